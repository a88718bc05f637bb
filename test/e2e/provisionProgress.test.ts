// The first `npm start` spends about 3 minutes in code-server's install,
// most of it compiling native modules: the step says it is still working,
// with the time so far and what the install last printed, instead of
// staying silent. Run here on a child that waits for the first such line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithHeartbeat } from '../harness/provision';

test('a long provisioning step says it is still working, and what it is doing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rg-heartbeat-'));
  const go = join(dir, 'go');
  // Prints what it is doing, then works until the test has heard the step say it is still at it.
  const child = `console.log('gyp info spawn make'); const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(go)})) { clearInterval(t); console.log('done'); } }, 20);`;
  const lines: string[] = [];
  const output = await runWithHeartbeat(process.execPath, ['-e', child], { cwd: dir, env: process.env }, (line) => {
    lines.push(line);
    if (line.endsWith(': gyp info spawn make') && !existsSync(go)) writeFileSync(go, '');
  }, 50);
  assert.match(output, /done/);
  for (const line of lines) assert.match(line, /^still working \(\d+m\d\ds\)(: gyp info spawn make)?$/);
  assert.ok(lines.some((line) => line.endsWith(': gyp info spawn make')), 'it says what the install is doing');
  await assert.rejects(runWithHeartbeat(process.execPath, ['-e', 'console.error("gyp ERR! build error"); process.exit(3)'], { cwd: dir, env: process.env }, () => undefined, 50), /failed \(exit 3\):\ngyp ERR! build error/);
});
