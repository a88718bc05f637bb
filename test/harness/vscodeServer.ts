// Starts and stops VS Code's server (the one inside the code-server npm
// package) for tests and `npm start`. The server runs in its own process
// group so stop() also ends the extension hosts and debuggees it spawned.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provisioned } from './provision';

export interface VSCodeServer {
  /** Base URL of the web UI, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  /** Directories this server uses (created fresh unless passed in). */
  dirs: { userDataDir: string; extensionsDir: string; serverDataDir: string };
  /** Everything the server and its extension hosts printed so far. */
  output(): string;
  /** Builds the URL that opens `folder` (an absolute path on this machine). */
  folderUrl(folder: string, payload?: Array<[string, string]>): string;
  /** A vscode-remote:// URI for a path on this machine, for payload entries. */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  provisioned: Provisioned;
  port?: number;
  /** Lets `run()` from extensionTestsPath drive the workbench (codeAutomationExit). */
  smokeTestDriver?: boolean;
  userDataDir?: string;
  extensionsDir?: string;
  /** User settings written into the user-data-dir before start. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and the extension hosts it spawns. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the server to listen. */
  timeoutMs?: number;
}

/** Asks the OS for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Installs a .vsix (or a marketplace id, offline: only .vsix) into an extensions dir with code-server's CLI. */
export function installExtension(provisioned: Provisioned, vsix: string, extensionsDir: string, userDataDir: string): void {
  const result = spawnSync(provisioned.node, [provisioned.codeServerBin, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Installing ${vsix} into ${extensionsDir} failed:\n${result.stdout}\n${result.stderr}`);
}

export async function startVSCodeServer(options: StartOptions): Promise<VSCodeServer> {
  const { provisioned } = options;
  const port = options.port ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'retainer-graph-vscode-'));
  const dirs = {
    userDataDir: options.userDataDir ?? join(scratch, 'user-data'),
    extensionsDir: options.extensionsDir ?? join(scratch, 'extensions'),
    serverDataDir: join(scratch, 'server-data'),
    // What the server, its extension hosts and their debuggees write to the temp dir (snapshots of
    // a GB, saved recordings) goes here, and with the rest of `scratch` when the server stops.
    tmpDir: join(scratch, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // The web UI keeps user settings in the server's user-data-dir.
  const settings = { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false,
    // Offline: no chat sign-in, no Copilot panel taking a third of the screenshots.
    'chat.disableAIFeatures': true, 'remote.autoForwardPorts': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden', ...options.settings };
  for (const settingsDir of [join(dirs.userDataDir, 'User'), join(dirs.serverDataDir, 'data', 'User')]) {
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  const args = [
    provisioned.serverMain,
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    '--disable-workspace-trust', '--disable-telemetry',
    '--server-data-dir', dirs.serverDataDir,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    ...(options.smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
  ];
  const child: ChildProcess = spawn(provisioned.node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dirs.tmpDir, ...options.env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exited;
      clearTimeout(timer);
    }
    // Extension hosts and debuggees may outlive the server in the same group.
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group empty */ }
    rmSync(scratch, { recursive: true, force: true });
  };

  const timeoutMs = options.timeoutMs ?? 60_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`VS Code server did not start within ${timeoutMs / 1000}s. Its output:\n${output}`)), timeoutMs);
    const onData = (): void => { if (/Web UI available at|Extension host agent listening on/.test(output)) { cleanup(); resolve(); } };
    const onExit = (code: number | null): void => fail(new Error(`VS Code server exited (code ${code}) before listening. Its output:\n${output}`));
    const fail = (error: Error): void => { cleanup(); void stop(); reject(error); };
    const cleanup = (): void => { clearTimeout(timer); child.stdout?.off('data', onData); child.off('exit', onExit); };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  const url = `http://127.0.0.1:${port}/`;
  const remoteUri = (path: string): string => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    url,
    port,
    dirs,
    output: () => output,
    remoteUri,
    folderUrl: (folder, payload) => {
      const query = new URLSearchParams({ folder: remoteUri(folder) });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}?${query.toString()}`;
    },
    stop,
  };
}
