// `npm run package` as a release would run it: vsce must neither ask a
// question (it prompts when the manifest lacks a repository or a license) nor
// warn, and the .vsix must hold every file the extension loads at run time
// (a missing dist/helper.js would only make big snapshots load on one thread,
// silently) and not the command line's bundle.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');
const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; icon: string; scripts: Record<string, string> };

/** What the extension host loads from the package: main, its worker threads, the webviews, the icon, the walkthrough. */
const LOADED = [manifest.main.replace(/^\.\//, ''), 'dist/worker.js', 'dist/helper.js', 'dist/webview.js', 'dist/webview.css', 'dist/growthView.js', 'dist/growthView.css', 'dist/memoryView.js', 'dist/memoryView.css', manifest.icon, 'media/walkthrough/attach.md', 'package.json', 'README.md', 'LICENSE'];

test('vsce packages without a question or a warning, with every file the extension loads and not dist/cli.js', { timeout: 5 * 60_000 }, () => {
  assert.match(manifest.scripts.package, /vsce package --no-dependencies$/, 'the test runs what `npm run package` runs');
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  const out = mkdtempSync(join(tmpdir(), 'retainer-graph-package-'));
  try {
    // No stdin: a question would read end of input and abort.
    const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', join(out, 'retainer-graph.vsix')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const output = `${packaged.stdout}\n${packaged.stderr}`;
    assert.equal(packaged.status, 0, output);
    assert.doesNotMatch(output, /WARNING|\[y\/N\]/i, output);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').map((line) => line.trim());
  for (const file of LOADED) assert.ok(files.includes(file), `the .vsix holds ${file}: ${files.join(', ')}`);
  assert.ok(!files.includes('dist/cli.js'), 'the command line is not part of the extension');
  assert.ok(!files.some((file) => file.startsWith('media/screenshots/') || file.startsWith('test/') || file.startsWith('src/')), files.join(', '));
});
