// Runs every test tier in order with Node's test runner: engine and CLI in
// plain Node, the inspector against real processes, the webview in Chromium,
// then real VS Code. Pass folder names to run only those tiers.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['engine', 'cli', 'devtools', 'inspector', 'webview', 'vscode', 'e2e'];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.ts$/.test(name) ? [path] : [];
  });
}

const files = tiers.flatMap((tier) => testFiles(join('test', tier)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// The programs npm cannot install (Chromium; code-server's build tools), checked
// before the first tier runs: installed with apt-get as root, else named in one message.
const needs = tiers.some((tier) => tier === 'vscode' || tier === 'e2e') ? 'chromium,code-server' : tiers.includes('webview') ? 'chromium' : undefined;
if (needs) {
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'test/harness/provision.ts', '--prerequisites', needs], { stdio: 'inherit' });
  if (check.status !== 0) process.exit(1);
}
// Node 24 beside this Node for the tiers that check live flows on both (an npm package; code-server comes later, if needed).
if (tiers.some((tier) => ['cli', 'devtools', 'inspector', 'vscode', 'e2e'].includes(tier))) {
  const node24 = spawnSync(process.execPath, ['--import', 'tsx', 'test/harness/provision.ts', '--node24'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (node24.status !== 0) process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
