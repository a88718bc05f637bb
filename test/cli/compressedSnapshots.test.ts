// Snapshots stored gzip-compressed (.heapsnapshot.gz), as production heaps
// often are: a real snapshot gzipped here must read exactly as the plain
// file, through the loader, the engine worker's service and the CLI; a gzip
// file is known by its magic bytes, not its name; a cut or corrupt one says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IncompleteSnapshotError, SnapshotFormatError } from '../../src/engine/snapshotFormatError';
import type { HeapSnapshotData } from '../../src/engine/snapshotData';
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';
import { EngineService } from '../../src/worker/engineService';
import { DEFAULT_WALK_OPTIONS } from '../../src/protocol/walk';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { runCli } from './runCli';

const root = join(__dirname, '..', '..');

function assertSameData(actual: HeapSnapshotData, expected: HeapSnapshotData): void {
  const bytes = (column: ArrayBufferView): Buffer => Buffer.from(column.buffer, column.byteOffset, column.byteLength);
  for (const name of ['nodeTypes', 'nodeNames', 'nodeIds', 'nodeSelfSizes', 'firstEdgeIndexes', 'edgeTypes', 'edgeNamesOrIndexes', 'edgeToNodes'] as const) {
    assert.ok(bytes(actual[name]).equals(bytes(expected[name])), `${name} differs`);
  }
  assert.equal(actual.locations.count, expected.locations.count);
  assert.equal(actual.strings.length, expected.strings.length);
  for (let i = 0; i < expected.strings.length; i += 7) assert.equal(actual.strings.get(i), expected.strings.get(i));
}

describe('gzip-compressed snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-gzip-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let plainPath: string;
  let plain: Buffer;
  let gzipped: Buffer;
  let gzPath: string;
  let expected: HeapSnapshotData;

  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: root, stdio: 'inherit' });
    plainPath = await fixtureSnapshot('staticMap');
    plain = readFileSync(plainPath);
    gzipped = gzipSync(plain);
    gzPath = join(dir, 'staticMap.heapsnapshot.gz');
    writeFileSync(gzPath, gzipped);
    expected = (await readSnapshotFile(plainPath)).data;
  });

  test('a .heapsnapshot.gz reads as the plain file, with progress through the compressed bytes', async () => {
    const fractions: number[] = [];
    const { data } = await readSnapshotFile(gzPath, { onProgress: ({ bytes, totalBytes }) => fractions.push(bytes / totalBytes) });
    assertSameData(data, expected);
    assert.ok(fractions.every((fraction, i) => fraction >= 0 && fraction <= 1 && (i === 0 || fraction >= fractions[i - 1])), `fractions go forward: ${fractions}`);
    assert.equal(fractions.at(-1), 1);
  });

  test('gzip is known by its magic bytes, whatever the name', async () => {
    const misnamed = join(dir, 'compressed.heapsnapshot');
    writeFileSync(misnamed, gzipped);
    assertSameData((await readSnapshotFile(misnamed)).data, expected);
    const notCompressed = join(dir, 'plain.heapsnapshot.gz');
    writeFileSync(notCompressed, plain);
    assertSameData((await readSnapshotFile(notCompressed)).data, expected);
  });

  test('a gzip file cut short says the file is incomplete, in snapshot bytes', async () => {
    const cut = join(dir, 'cut.heapsnapshot.gz');
    writeFileSync(cut, gzipped.subarray(0, Math.floor(gzipped.length / 2)));
    const error = await readSnapshotFile(cut).then(() => assert.fail('a partial graph'), (error: unknown) => error);
    assert.ok(error instanceof IncompleteSnapshotError, String(error));
    assert.match(error.message, new RegExp(`^${cut}: the file is incomplete \\(the gzip data ends early, and the snapshot in it ends at byte \\d+, in "(nodes|edges)"; a snapshot of this header's size is about [\\d.]+ MB uncompressed\\)$`));
    assert.ok(error.offset > gzipped.length / 2 && error.offset < plain.length, `ends at snapshot byte ${error.offset}`);
  });

  test('a whole gzip file of a cut snapshot, and corrupt gzip data, say which', async () => {
    const cutInside = join(dir, 'cut-inside.heapsnapshot.gz');
    const end = plain.lastIndexOf('}');
    writeFileSync(cutInside, gzipSync(plain.subarray(0, end)));
    await assert.rejects(readSnapshotFile(cutInside), { message: `${cutInside}: the file is incomplete (the snapshot in it ends at byte ${end}, where only the final '}' is missing)` });
    const corrupt = join(dir, 'corrupt.heapsnapshot.gz');
    const flipped = Buffer.from(gzipped);
    for (let i = 1000; i < 1100; i++) flipped[i] ^= 0x55;
    writeFileSync(corrupt, flipped);
    const error = await readSnapshotFile(corrupt).then(() => assert.fail('corrupt data read'), (error: unknown) => error);
    assert.ok(error instanceof SnapshotFormatError, String(error));
    assert.match(error.message, new RegExp(`^${corrupt}: the gzip data is corrupt \\(zlib: .+\\) within the first \\d+ bytes of the file$`));
  });

  test("the engine worker's service loads a .heapsnapshot.gz and walks it", async () => {
    const service = new EngineService(() => undefined);
    const summary = await service.loadFile(gzPath);
    assert.equal(summary.nodeCount, expected.nodeCount);
    const loaders = await service.instances('ResourceLoader', 10);
    assert.equal(loaders.total, 5);
    const walk = await service.walk(loaders.nodes[0].id, DEFAULT_WALK_OPTIONS);
    assert.ok(walk.nodes.some((node) => node.label.includes('Processor.instanceMap')));
    await service.dispose();
  });

  test('the CLI prints the same for the .gz as for the plain file, and one line for a cut one', async () => {
    const fromPlain = await runCli(plainPath, '--class', 'ResourceLoader', '--nth', '2');
    const fromGzip = await runCli(gzPath, '--class', 'ResourceLoader', '--nth', '2');
    assert.equal(fromPlain.code, 0, fromPlain.stderr);
    assert.equal(fromGzip.code, 0, fromGzip.stderr);
    assert.equal(fromGzip.stdout, fromPlain.stdout);
    const cut = join(dir, 'cli-cut.heapsnapshot.gz');
    writeFileSync(cut, gzipped.subarray(0, gzipped.length - 1000));
    const failed = await runCli(cut, '--id', '1');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^retainer-graph: .*cli-cut\.heapsnapshot\.gz is not a valid heap snapshot: the file is incomplete \(the gzip data ends early, and the snapshot in it ends at byte \d+, in "strings"; .+ uncompressed\)\n$/);
  });
});
