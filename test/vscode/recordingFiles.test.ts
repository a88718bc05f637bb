// A growth recording's snapshot files, in plain Node (recordingFiles.ts needs
// no VS Code): chunks written as they come, saved without overwriting, and
// the folders of extension hosts that died removed at the next activation.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingFiles, removeStaleRecordings } from '../../src/extension/growth/recordingFiles';

test('a snapshot is written chunk by chunk, saved oldest first under new names, and never over an existing file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'retainer-graph-recordings-'));
  const files = await RecordingFiles.create(root);
  const written: string[] = [];
  for (const [index, chunks] of [['{"snap', 'shot":1}'], ['{"snapshot":2}']].entries()) {
    const writer = files.writer(index + 1);
    for (const chunk of chunks) writer.write(chunk);
    const path = await writer.finish();
    assert.ok(path);
    written.push(path);
  }
  const dropped = files.writer(3);
  dropped.write('{"partial');
  await dropped.discard();
  assert.ok(!existsSync(dropped.path), 'a discarded snapshot leaves no file');

  const folder = mkdtempSync(join(tmpdir(), 'retainer-graph-saved-'));
  const saved = await RecordingFiles.save(written, folder, 'heap-2026-11-30-103105');
  assert.deepEqual(saved.map((path) => path.slice(folder.length + 1)), ['heap-2026-11-30-103105-1.heapsnapshot', 'heap-2026-11-30-103105-2.heapsnapshot']);
  assert.deepEqual(saved.map((path) => readFileSync(path, 'utf8')), ['{"snapshot":1}', '{"snapshot":2}']);
  await assert.rejects(RecordingFiles.save(written, folder, 'heap-2026-11-30-103105'), (error: NodeJS.ErrnoException) => error.code === 'EEXIST');

  await files.dispose();
  assert.deepEqual(readdirSync(root), [], 'the recording\'s folder is gone');
});

test('folders of extension hosts that are no longer running are removed; this one\'s and running ones\' stay', async () => {
  const root = mkdtempSync(join(tmpdir(), 'retainer-graph-recordings-'));
  const ended = spawnSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' });
  const deadPid = Number(ended.stdout.trim());
  for (const name of [`${deadPid}-abc`, `${process.pid}-def`, `${process.ppid}-ghi`, 'not-a-recording']) mkdirSync(join(root, name));
  await removeStaleRecordings(root);
  assert.deepEqual(readdirSync(root).sort(), [`${process.pid}-def`, `${process.ppid}-ghi`, 'not-a-recording'].sort());
  await removeStaleRecordings(join(root, 'missing'));
});
