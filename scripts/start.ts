// `npm start`: the one command that shows Retainer Graph on a real leak.
// Builds and packages the extension, provisions VS Code's server (first run
// only, ~3 min), starts the leaky demo bot server under the inspector,
// installs the .vsix into a VS Code that opens the demo folder, and prints
// the URL to open (and opens it in a browser where one can be opened).
// Ctrl+C stops everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { isProvisioned, MissingPrerequisiteError, provision } from '../test/harness/provision';
import { freePort, installExtension, startVSCodeServer, type VSCodeServer } from '../test/harness/vscodeServer';

const repoRoot = resolve(__dirname, '..');
const demoDir = join(repoRoot, 'demo');
const stateDir = join(repoRoot, '.vscode-test', 'start');

function step(text: string): void {
  process.stdout.write(`\x1b[36m›\x1b[0m ${text}\n`);
}

/** The preferred port when it is free (so the URL stays the same between runs), else any free one. */
function portOr(preferred: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => void freePort().then(done));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

function runOrExit(what: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${what} failed (see above); fix that and run \`npm start\` again.`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  step('building the extension');
  runOrExit('The build', process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const vsix = join(stateDir, 'retainer-graph-dev.vsix');
  mkdirSync(stateDir, { recursive: true });
  step('packaging it as a .vsix');
  runOrExit('Packaging', process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix]);

  // Said only when it happens: later runs read a marker and go on at once.
  if (!isProvisioned()) step('provisioning VS Code… (first run only: Node 24 and code-server from npm, about 3 minutes)');
  const provisioned = await provision({ log: (line) => step(line) });

  const inspectorPort = await portOr(9229);
  const demoHttpPort = await portOr(3000);
  step(`starting the leaky demo (demo/server.js) with --inspect=127.0.0.1:${inspectorPort}`);
  const demo: ChildProcess = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectorPort}`, 'server.js'], {
    cwd: demoDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(demoHttpPort) },
  });
  demo.stdout?.on('data', (chunk: Buffer) => process.stdout.write(`  demo │ ${chunk}`));
  demo.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (!/Debugger listening|For help, see|Debugger attached|Waiting for the debugger/.test(text)) process.stderr.write(`  demo │ ${text}`);
  });

  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(userDataDir, { recursive: true });
  step('installing the .vsix into VS Code');
  installExtension(provisioned, vsix, extensionsDir, userDataDir);

  const running: { server?: VSCodeServer } = {};
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping VS Code and the demo…\n');
    demo.kill('SIGTERM');
    await running.server?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  demo.once('exit', (code, signal) => {
    // Ctrl+C in a terminal reaches the demo (same process group) as well as this script.
    if (stopping || signal === 'SIGINT') return;
    console.error(`The demo app exited (code ${code}); stopping.`);
    void stopAll(1);
  });

  step('starting VS Code');
  const server = await startVSCodeServer({
    provisioned,
    port: await portOr(Number(process.env.RETAINER_GRAPH_PORT ?? 8088)),
    userDataDir,
    extensionsDir,
    settings: {
      'workbench.startupEditor': 'readme',
      'retainerGraph.inspectorPorts': [`127.0.0.1:${inspectorPort}`],
    },
  });
  running.server = server;
  const url = server.folderUrl(demoDir);
  const opened = await openBrowser(url);
  process.stdout.write([
    '',
    `  \x1b[1mRetainer Graph is ready:\x1b[0m  ${url}`,
    opened ? '  (opening it in your browser)' : '  Open that URL in a browser: it is VS Code, with the demo folder open.',
    '',
    '  In that VS Code: Ctrl+Shift+P → "Retainer Graph: Attach to a Node Process…" → pick the',
    '  leaky bot server → press Enter on the empty expression → pick the class ResourceLoader',
    '  and an instance. The graph shows what keeps it alive: Processor.instanceMap, which keeps',
    '  every bot the demo loads until you apply the fix in demo/README.md (the full walk is there).',
    '',
    '  Ctrl+C stops VS Code and the demo.',
    '',
  ].join('\n'));
}

/**
 * Opens `url` in the user's browser where that is reliable: macOS and
 * Windows always have a handler; Linux only in a desktop session (a display)
 * with xdg-open installed. Never in CI or when RETAINER_GRAPH_NO_BROWSER is set.
 */
function openBrowser(url: string): Promise<boolean> {
  if (process.env.CI || process.env.RETAINER_GRAPH_NO_BROWSER) return Promise.resolve(false);
  let command: string[];
  if (process.platform === 'darwin') command = ['open', url];
  else if (process.platform === 'win32') command = ['cmd', '/c', 'start', '""', url];
  else if ((process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && spawnSync('which', ['xdg-open']).status === 0) command = ['xdg-open', url];
  else return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof MissingPrerequisiteError ? error.message : error);
  process.exit(1);
});
