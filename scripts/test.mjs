// Runs every test tier in order with Node's test runner: engine and CLI in
// plain Node, the inspector against real processes, the webview in Chromium,
// then real VS Code. Pass folder names to run only those tiers; with none it
// is the whole of `npm test`: build (and package), typecheck and lint first, then every tier.
import { readdirSync, statSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setPriority, tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';

const named = process.argv.slice(2);
const tiers = named.length ? named : ['engine', 'cli', 'devtools', 'inspector', 'webview', 'vscode', 'e2e'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.ts$/.test(name) ? [path] : [];
  });
}

function harness(...args) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'test/harness/provision.ts', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const files = tiers.flatMap((tier) => testFiles(join('test', tier)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// The programs npm cannot install (Chromium; code-server's build tools), checked
// before anything else: installed with apt-get as root, else named in one message.
const needsVsCode = tiers.some((tier) => tier === 'vscode' || tier === 'e2e');
const needs = needsVsCode ? 'chromium,code-server' : tiers.includes('webview') ? 'chromium' : undefined;
if (needs && harness('--prerequisites', needs).status !== 0) process.exit(1);
// Node 24 beside this Node for the tiers that check live flows on both (an npm package, seconds).
if (tiers.some((tier) => ['cli', 'devtools', 'inspector', 'vscode', 'e2e'].includes(tier)) && harness('--node24').status !== 0) process.exit(1);

// code-server's first install compiles native modules for minutes on one core:
// it runs beside the checks and the first tiers instead of inside the first
// VS Code test, which waits on the harness's lock until it is done (and, if
// it failed, tries again and reports why).
let provisioning;
if (needsVsCode && harness('--is-provisioned').status !== 0) {
  mkdirSync('.vscode-test', { recursive: true });
  const log = join('.vscode-test', 'provision.log');
  const out = openSync(log, 'w');
  provisioning = spawn(process.execPath, ['--import', 'tsx', 'test/harness/provision.ts'], { stdio: ['ignore', out, out] });
  // Lowest priority, inherited by npm and the compilers it starts: the tests keep the cores they need.
  try { setPriority(provisioning.pid, 19); } catch { /* not permitted: runs at normal priority */ }
  console.error(`[provision] installing code-server in the background while the other tiers run (log: ${log})`);
  provisioning.once('exit', (code) => {
    if (code !== 0) console.error(`[provision] the background install failed (exit ${code}); the first VS Code test tries again:\n${readFileSync(log, 'utf8').trim().split('\n').slice(-20).join('\n')}`);
  });
}

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
let status = 0;
if (named.length === 0) {
  // The whole run builds by packaging (`npm run package`: the build, then vsce), and the browser
  // tests install that one .vsix as a user does instead of each packaging its own (userSession.packageVsix).
  const vsix = join(mkdtempSync(join(tmpdir(), 'retainer-graph-vsix-')), 'retainer-graph.vsix');
  for (const script of [['package', '--', '-o', vsix], ['typecheck'], ['lint']]) if ((status = run(npm, ['run', ...script])) !== 0) break;
  process.env.RETAINER_GRAPH_VSIX = vsix;
}
if (status === 0) status = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]);
if (provisioning && provisioning.exitCode === null) provisioning.kill();
process.exit(status);
