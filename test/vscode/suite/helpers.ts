// Shared by the extension-host specs: the extension's test API, fixture
// processes under --inspect (and what another client sees of them), and
// waiting for things.
import * as vscode from 'vscode';
import CDP from 'chrome-remote-interface';
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import type { RetainerGraphTestApi } from '../../../src/extension/main';

export const extensionId = 'retainer-graph.retainer-graph';
/** out/test/index.js → the repository. */
export const repoRoot = resolve(__dirname, '..', '..');
export const fixture = (name: string): string => join(repoRoot, 'test', 'vscode', 'suite', 'fixtures', name);

export async function extensionApi(): Promise<RetainerGraphTestApi> {
  const extension = vscode.extensions.getExtension<RetainerGraphTestApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed in this extension host`);
  return extension.activate();
}

export interface InspectedProcess {
  child: ChildProcess;
  webSocketUrl: string;
  host: string;
  port: number;
  kill(): void;
}

/** Starts `node --inspect=127.0.0.1:0 <script>` (this Node, or `node` given) and waits for its WebSocket URL and our ready line. */
export async function startInspected(script: string, env: Record<string, string> = {}, node = process.execPath): Promise<InspectedProcess> {
  const child = spawn(node, ['--inspect=127.0.0.1:0', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  let stdout = '';
  const webSocketUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no inspector URL from ${script}: ${stderr}`)), 60_000);
    let url: string | undefined;
    const check = () => {
      url ??= /ws:\/\/\S+/.exec(stderr)?.[0];
      if (url && stdout.includes('ready')) {
        clearTimeout(timer);
        ok(url);
      }
    };
    child.stderr?.on('data', (data) => {
      stderr += String(data);
      check();
    });
    child.stdout?.on('data', (data) => {
      stdout += String(data);
      check();
    });
    child.on('exit', (code) => fail(new Error(`${script} exited (${code}): ${stderr}`)));
  });
  const { hostname, port } = new URL(webSocketUrl);
  return { child, webSocketUrl, host: hostname, port: Number(port), kill: () => child.kill() };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Labels of the open retainer graph tabs, in tab order. */
export function graphTabs(): string[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('retainerGraph.panel'))
    .map((tab) => tab.label);
}

/** How the commands name an attached process. */
export function inspectorTarget(target: InspectedProcess) {
  return { kind: 'inspector' as const, host: target.host, port: target.port, webSocketUrl: target.webSocketUrl };
}

/** A port that was free a moment ago (nothing listens on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** GET `path` of a fixture's HTTP server on 127.0.0.1:`port` (`/load?count=3`, `/fix`), resolved once answered. */
export function request(port: number, path: string): Promise<void> {
  return new Promise((ok, fail) => {
    get(`http://127.0.0.1:${port}${path}`, (response) => {
      response.resume();
      response.on('end', () => ok());
    }).on('error', fail);
  });
}

/** What another inspector client sees: the process's own globals, and the heap id of globalThis ("0": no ids held, nobody tracks). */
export async function processState(webSocketUrl: string): Promise<{ globals: string[]; heapId: string }> {
  const client = await CDP({ target: webSocketUrl, local: true });
  try {
    const { result } = await client.Runtime.evaluate({ expression: 'Object.getOwnPropertyNames(globalThis).sort()', returnByValue: true });
    const probe = await client.Runtime.evaluate({ expression: 'globalThis', objectGroup: 'probe' });
    const { heapSnapshotObjectId } = await client.HeapProfiler.getHeapObjectId({ objectId: probe.result.objectId! });
    await client.Runtime.releaseObjectGroup({ objectGroup: 'probe' });
    return { globals: result.value as string[], heapId: heapSnapshotObjectId };
  } finally {
    await client.close();
  }
}

/** Starts fixtures/growingBots.js under --inspect, its HTTP server on a free port (`env` adds to PORT). */
export async function startGrowingBots(env: Record<string, string> = {}, node?: string): Promise<{ target: InspectedProcess; port: number }> {
  const port = await freePort();
  return { target: await startInspected(fixture('growingBots.js'), { PORT: String(port), ...env }, node), port };
}

/**
 * Launches fixtures/growingBots.js under VS Code's JS debugger on a free
 * port (`env` adds to PORT, `configuration` to the launch configuration);
 * resolves with js-debug's session of the process once its server answers
 * `readyPath`.
 */
export async function debugGrowingBots(name: string, { env = {}, configuration = {}, readyPath = '/' }: { env?: Record<string, string>; configuration?: Record<string, unknown>; readyPath?: string } = {}): Promise<{ session: vscode.DebugSession; port: number }> {
  const port = await freePort();
  const started = await vscode.debug.startDebugging(undefined, { type: 'node', request: 'launch', name, program: fixture('growingBots.js'), env: { PORT: String(port), ...env }, ...configuration });
  if (!started) throw new Error(`the debug session "${name}" did not start`);
  const session = await waitFor('the process session', () => {
    const active = vscode.debug.activeDebugSession;
    return active && (active.parentSession || '__pendingTargetId' in active.configuration) ? active : undefined;
  }, 90_000);
  await waitFor('the server to listen', () => request(port, readyPath).then(() => true, () => undefined), 60_000);
  return { session, port };
}

/**
 * Picks a row of the open class or instance picker as a user does, with the
 * keyboard: waits for a picker whose title matches (its rows shown), moves
 * down to the row whose label matches, and accepts it.
 */
export async function pickRow(api: RetainerGraphTestApi, title: RegExp, row: RegExp): Promise<void> {
  await waitFor(`a picker titled ${title} with a row ${row}`, () => {
    const shown = api.shownPicker();
    return shown && title.test(shown.title) && shown.rows.some((label) => row.test(label)) ? true : undefined;
  }, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}; shown: ${JSON.stringify(api.shownPicker())}`);
  });
  await waitFor(`the row ${row} to be active`, async () => {
    const shown = api.shownPicker();
    if (!shown || !title.test(shown.title)) throw new Error(`the picker ${title} closed before its row ${row} was chosen`);
    if (shown.active !== undefined && row.test(shown.active)) return true;
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    // The next key only once this one has moved the row: a key still on its way would move past the row accepted.
    // One the picker missed (under load, the first picker of a session has) is sent again after 10 s.
    await waitFor('the active row to move', () => (api.shownPicker()?.active !== shown.active ? true : undefined), 10_000).catch(() => undefined);
    return undefined;
  }, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}; shown: ${JSON.stringify(api.shownPicker())}`);
  });
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/**
 * In the class list of the snapshot editor open on `file` (keyed `key`), picks
 * ResourceLoader, then "The first of N" (the instance list's first row opens
 * all instances' merged paths in the Growth view); resolves with the title of
 * the graph drawn.
 */
export async function drawFirstResourceLoader(api: RetainerGraphTestApi, key: string, file: string): Promise<string> {
  // Sizes first: a picker whose rows are replaced when sizes arrive could move the row the keys select.
  await api.retainedSizes(key);
  const name = basename(file).replace(/[.]/g, '\\.');
  await pickRow(api, new RegExp(`^Classes in .*${name} \\(`), /^ResourceLoader$/);
  await pickRow(api, /^ResourceLoader: \d+ instances/, /The first of \d+$/);
  return waitFor('a graph in the editor', () => {
    const shown = api.lastWalk()?.title;
    return shown?.startsWith(basename(file)) ? shown : undefined;
  });
}
