// A VS Code session as a user gets it: the packaged .vsix installed into a
// fresh code-server extensions dir, the leaky demo running under --inspect,
// the demo folder open in Chromium. Shared by the browser e2e tests and the
// README screenshots.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { provideChromium, provision } from './provision';
import { freePort, installExtension, startVSCodeServer, type VSCodeServer } from './vscodeServer';
import { openWorkbench } from './workbench';

export const repoRoot = resolve(__dirname, '..', '..');
export const demoDir = join(repoRoot, 'demo');

export interface UserSession {
  page: Page;
  server: VSCodeServer;
  demo: ChildProcess;
  demoOutput(): string;
  inspectorPort: number;
  close(): Promise<void>;
}

/**
 * Builds and packages the extension into a temp folder; returns the .vsix
 * path. Under `npm test`, which packages it once after its build, that one.
 */
export function packageVsix(): string {
  const packaged = process.env.RETAINER_GRAPH_VSIX;
  if (packaged && existsSync(packaged)) return packaged;
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`The build failed:\n${build.stdout}\n${build.stderr}`);
  const vsix = join(mkdtempSync(join(tmpdir(), 'retainer-graph-vsix-')), 'retainer-graph.vsix');
  const vsce = spawnSync(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: repoRoot, encoding: 'utf8' });
  if (vsce.status !== 0) throw new Error(`vsce package failed:\n${vsce.stdout}\n${vsce.stderr}`);
  return vsix;
}

/** Waits until `text` appears in what `read()` returns. */
export async function waitForText(read: () => string, text: string | RegExp, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (typeof text === 'string' ? read().includes(text) : text.test(read())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000}s. Output so far:\n${read()}`);
}

/**
 * `demoEnv` adds to the demo's environment, e.g. `DEMO_FIXED: '1'` (the fix
 * applied) or a `BOT_INTERVAL_MS` so long that bots load only on `GET /load`.
 */
export async function startUserSession(options: { vsix: string; settings?: Record<string, unknown>; demoEnv?: Record<string, string> }): Promise<UserSession> {
  const provisioned = await provision();
  const inspectorPort = await freePort();
  const demo = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectorPort}`, 'server.js'], {
    cwd: demoDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', BOT_INTERVAL_MS: '500', MAX_BOTS: '12', ...options.demoEnv },
  });
  let demoOutput = '';
  demo.stdout?.on('data', (c: Buffer) => { demoOutput += c.toString(); });
  demo.stderr?.on('data', (c: Buffer) => { demoOutput += c.toString(); });
  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'retainer-graph-e2e-'));
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    demo.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitForText(() => demoOutput, 'leaky bot server on', 15_000, 'The demo server starting');
    const extensionsDir = join(scratch, 'extensions');
    const userDataDir = join(scratch, 'user-data');
    installExtension(provisioned, options.vsix, extensionsDir, userDataDir);
    server = await startVSCodeServer({
      provisioned,
      extensionsDir,
      userDataDir,
      settings: { 'retainerGraph.inspectorPorts': [`127.0.0.1:${inspectorPort}`], 'workbench.startupEditor': 'none', ...options.settings },
    });
    browser = await launchChromium(provideChromium());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openWorkbench(page, server.folderUrl(demoDir));
    return { page, server, demo, demoOutput: () => demoOutput, inspectorPort, close };
  } catch (error) {
    await close();
    throw error;
  }
}
