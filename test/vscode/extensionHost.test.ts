// The node:test wrapper of the extension-host tier: one mocha suite
// (test/vscode/suite/**/*.spec.ts, bundled to out/test/index.js), two runners.
// With VSCODE_EXECUTABLE_PATH set it runs in that desktop VS Code through
// @vscode/test-electron; otherwise in the VS Code server + headless Chromium.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { runExtensionTestsInServer, workbenchNoise } from '../harness/extensionHost';

const repoRoot = resolve(__dirname, '..', '..');
const extensionTestsPath = join(repoRoot, 'out', 'test', 'index.js');
const workspace = join(repoRoot, 'demo');

test('the extension-host suite passes inside a real VS Code', { timeout: 20 * 60_000 }, async () => {
  // Fresh bundles: the suite and the extension it tests.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });

  const desktop = process.env.VSCODE_EXECUTABLE_PATH;
  if (desktop) {
    const { runTests } = await import('@vscode/test-electron');
    const code = await runTests({
      vscodeExecutablePath: desktop,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions'],
    }).catch((error: unknown) => { console.error(error); return 1; });
    assert.equal(code, 0, 'the extension-host suite failed in desktop VS Code (its output is above)');
    return;
  }

  const run = await runExtensionTestsInServer({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    workspace,
    onLog: (line) => { if (!workbenchNoise.test(line)) console.log(`  │ ${line}`); },
  });
  if (run.exitCode !== 0) {
    const serverTail = run.serverOutput.split('\n').filter((l) => !workbenchNoise.test(l)).slice(-60).join('\n');
    assert.fail(`The extension-host suite failed (exit ${run.exitCode}); its mocha output is above.\n--- server output (last lines) ---\n${serverTail}`);
  }
});
