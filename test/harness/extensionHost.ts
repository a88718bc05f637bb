// Runs the mocha suite bundled at out/test/index.js inside a real VS Code
// extension host: the VS Code server's smoke-test driver plus headless
// Chromium. The workbench calls codeAutomationExit(code) when run() settles,
// exactly as desktop VS Code exits after @vscode/test-electron's runTests.
import { format } from 'node:util';
import { provideChromium, provision } from './provision';
import { startVSCodeServer } from './vscodeServer';
import { launchChromium } from './browser';

/** Workbench chatter that says nothing about the suite (offline gallery, chat, accounts…). */
export const workbenchNoise = /AgentHost|ChatModelSelection|open-vsx\.org|gallery|Creation of workbench contribution|AccountPolicyGate|\[Service Worker\]|authentication provider 'github'|Creating a socket|connection token|reconnection-grace-time|Updating additional builtin|DEP0169/;

export interface ExtensionTestRun {
  exitCode: number;
  /** The suite's console output (mocha's reporter) and the workbench's log lines. */
  log: string;
  /** What the server and extension host printed on stdout/stderr. */
  serverOutput: string;
}

export interface ExtensionTestOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace: string;
  timeoutMs?: number;
  /** Environment for the extension host (e.g. RETAINER_GRAPH_TEST_GREP). */
  env?: NodeJS.ProcessEnv;
  onLog?: (line: string) => void;
}

export async function runExtensionTestsInServer(options: ExtensionTestOptions): Promise<ExtensionTestRun> {
  const provisioned = await provision();
  const server = await startVSCodeServer({ provisioned, smokeTestDriver: true, env: options.env });
  const browser = await launchChromium(provideChromium()).catch(async (error: unknown) => { await server.stop(); throw error; });
  const lines: string[] = [];
  const note = (line: string): void => { lines.push(line); options.onLog?.(line); };
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    // The workbench forwards console calls unformatted (mocha's reporter logs '%s%s' templates).
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      note(`${type === 'log' || type === 'info' ? '' : `[${type}] `}${text}`);
    });
    page.on('pageerror', (error) => note(`[page error] ${error.message}`));
    const url = server.folderUrl(options.workspace, [
      ['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)],
      ['extensionTestsPath', server.remoteUri(options.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(url);
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        note(`[harness] The extension-host suite did not finish within ${timeoutMs / 1000}s; stopping it. Raise the timeout or look for a test that waits forever.`);
        resolve(124);
      }, timeoutMs);
    });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return { exitCode, log: lines.join('\n'), serverOutput: server.output() };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
