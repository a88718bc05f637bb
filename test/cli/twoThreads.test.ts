// The two-thread load with the real helper thread (dist/helper.js): a real
// snapshot file read by two threads must give what one thread reads, and a
// file corrupted on the helper's side must fail with the one-thread error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeapGraph, type IndexedElsewhere } from '../../src/engine/heapGraph';
import { buildRetainerRows } from '../../src/engine/retainerIndex';
import { joinSplitRows, splitRows } from '../../src/engine/splitRetainerRows';
import type { HeapSnapshotData } from '../../src/engine/snapshotData';
import { buildGraph, sharedSnapshot } from '../../src/loading/buildGraph';
import { HelperThread } from '../../src/loading/helperThread';
import { readSnapshotFile, type SplitOutcome } from '../../src/loading/readSnapshotFile';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { EngineService } from '../../src/worker/engineService';
import { StreamIndexing } from '../../src/loading/streamIndexing';
import { digestSnapshotData } from '../../src/loading/digestSnapshot';
import { digestData, digestGraph } from '../../src/engine/growth/digest';
import { DEFAULT_WALK_OPTIONS } from '../../src/protocol/walk';

const root = join(__dirname, '..', '..');
const helperScript = join(root, 'dist', 'helper.js');

type Read = { data?: HeapSnapshotData; indexing?: IndexedElsewhere; error?: string; splits: SplitOutcome[] };

/**
 * Reads `path` with the helper thread from 0 bytes on (or in one thread),
 * recording every onSplit. The parser waits until the helper has claimed part
 * of the edges, so the split these tests are about happens however busy the
 * machine is.
 */
async function read(path: string, script: string | null): Promise<Read> {
  const splits: SplitOutcome[] = [];
  try {
    const { data, indexing } = await readSnapshotFile(path, { helperScript: script, twoThreadsFromBytes: 0, parserWaitsForHelper: true, onSplit: (outcome) => splits.push(outcome) });
    return { data, indexing, splits };
  } catch (error) {
    return { error: (error as Error).message, splits };
  }
}

/** A two-thread read in which the helper claimed part of the edges (and, as it starts there, the rest of the file). */
async function readSplit(path: string): Promise<Read> {
  const result = await read(path, helperScript);
  const helperReadEdges = result.splits.length === 1 && result.splits[0].meetingPoint < result.splits[0].end;
  assert.ok(helperReadEdges, `the helper claimed part of the edges of ${path}: ${JSON.stringify(result.splits)}`);
  return result;
}

/** The same values, whether the arrays are shared (filled by the helper) or not. */
function assertSameValues(actual: ArrayBufferView | null, expected: ArrayBufferView | null, what: string): void {
  assert.ok(actual && expected, what);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)), what);
}

function assertSameData(actual: HeapSnapshotData, expected: HeapSnapshotData): void {
  assert.equal(actual.nodeCount, expected.nodeCount);
  assert.equal(actual.edgeCount, expected.edgeCount);
  const bytes = (column: Uint8Array | Uint32Array | Float64Array): Buffer => Buffer.from(column.buffer, column.byteOffset, column.byteLength);
  const columns = ['nodeTypes', 'nodeNames', 'nodeIds', 'nodeSelfSizes', 'firstEdgeIndexes', 'edgeTypes', 'edgeNamesOrIndexes', 'edgeToNodes'] as const;
  for (const name of columns) assert.ok(bytes(actual[name]).equals(bytes(expected[name])), `${name} differs`);
  for (const name of ['ordinals', 'states'] as const) assert.ok(bytes(actual.nodeDetachedness[name]).equals(bytes(expected.nodeDetachedness[name])), `nodeDetachedness.${name} differs`);
  for (const name of ['nodeOrdinals', 'scriptIds', 'lines', 'columns'] as const) {
    assert.ok(bytes(actual.locations[name]).equals(bytes(expected.locations[name])), `locations.${name} differs`);
  }
  assert.equal(actual.strings.length, expected.strings.length);
  for (let i = 0; i < expected.strings.length; i += 53) assert.equal(actual.strings.get(i), expected.strings.get(i));
}

before(() => {
  // Always rebuilt: a stale bundle would test yesterday's helper.
  execFileSync(process.execPath, ['scripts/build.mjs', 'helper'], { cwd: root, stdio: 'inherit' });
});

/** A real heap with 240 000 small objects: ~70 MB and ~2.8 M edges, above both two-thread thresholds (buildGraph uses the helper from 2^20 edges). */
const BIG_HEAP_PROGRAM = `
globalThis.keep = Array.from({ length: 240000 }, (_, i) => ({ i, name: 'item ' + i, tags: [i % 7, i % 11] }));
require('v8').writeHeapSnapshot(process.argv[1]);`;

/** A real heap with ~16 retaining edges a node (as the TypeScript compiler's has ~12): its dominator tree takes several windows of predecessor rows. */
const DENSE_HEAP_PROGRAM = `
const items = Array.from({ length: 60000 }, (_, i) => ({ i }));
const at = (i, k) => items[(i * k + k) % items.length];
globalThis.keep = items.map((_, i) => ({ a: at(i, 1), b: at(i, 3), c: at(i, 5), d: at(i, 7), e: at(i, 11), f: at(i, 13), g: at(i, 17), h: at(i, 19), j: at(i, 23), k: at(i, 29),
  l: at(i, 31), m: at(i, 37), n: at(i, 41), o: at(i, 43), p: at(i, 47), q: at(i, 53), r: at(i, 59), s: at(i, 61), t: at(i, 67), u: at(i, 71) }));
require('v8').writeHeapSnapshot(process.argv[1]);`;

describe('two threads read a snapshot file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-two-threads-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'big.heapsnapshot');
  let oneThread: HeapSnapshotData;
  let twoThreads: Read;

  before(async () => {
    execFileSync(process.execPath, ['-e', BIG_HEAP_PROGRAM, path], { stdio: 'inherit' });
    const single = await read(path, null);
    assert.ok(single.data, single.error);
    assert.equal(single.splits.length, 0, 'no split without a helper');
    oneThread = single.data;
    twoThreads = await readSplit(path);
  });

  test('the helper reads the rest of the file and the end of the edges, and the parts join into the one-thread data', () => {
    assert.equal(twoThreads.error, undefined);
    assert.equal(twoThreads.splits.length, 1);
    const [split] = twoThreads.splits;
    assert.deepEqual({ joined: split.joined, mismatch: split.mismatch, sectionsAfterEdges: split.sectionsAfterEdges }, { joined: true, mismatch: undefined, sectionsAfterEdges: true });
    const bytes = readFileSync(path);
    assert.equal(split.end, bytes.lastIndexOf(']', bytes.indexOf('"trace_function_infos":')), "the helper's part ends at the edges' ']'");
    assert.ok(twoThreads.data?.edgeToNodes.buffer instanceof SharedArrayBuffer, 'edge columns are shared');
    assertSameData(twoThreads.data, oneThread);
  });

  test('a file corrupted on the helper side fails with the one-thread error', async () => {
    const { end } = twoThreads.splits[0];
    const original = readFileSync(path);
    // Near the edges' end, which the helper reads first; same length as the original, so the file splits alike.
    const nearEnd = original.indexOf(0x2c, end - 200) + 1;
    const threeDigits = original.subarray(end - 400, end).toString('latin1').search(/,\d\d\d,/) + end - 400 + 1;
    const betweenStrings = original.indexOf('",', original.indexOf('"strings":[')) + 1;
    const inLocations = original.indexOf('"locations":[') + '"locations":['.length + 1;
    // [name, offset, replacement, the edges' mismatch (undefined: the edges join)]
    const cases: Array<[string, number, string, RegExp | undefined]> = [
      ['a letter in a number', nearEnd, 'x', /not part of a numbers array/],
      ['one number too many (123 -> 1,2)', threeDigits, '1,2', /do not fit together|not a valid edge/],
      ['no comma between two strings', betweenStrings, ' ', undefined],
      ['a letter in a location', inLocations, 'x', undefined],
    ];
    for (const [name, offset, replacement, mismatch] of cases) {
      const corrupt = Buffer.from(original);
      corrupt.write(replacement, offset, 'latin1');
      const file = join(dir, `${name.replace(/\W+/g, '-')}.heapsnapshot`);
      writeFileSync(file, corrupt);
      const single = await read(file, null);
      assert.ok(single.error, `${name}: one thread refuses the file`);
      const double = await readSplit(file);
      assert.equal(double.error, single.error, name);
      const [split] = double.splits;
      assert.equal(split.sectionsAfterEdges, false, `${name}: the helper's rest of the file is not used`);
      assert.equal(split.joined, mismatch === undefined, name);
      if (mismatch) assert.match(split.mismatch ?? '', mismatch, name);
    }
  });

  test('a file cut inside its last string fails with the one-thread error, size estimate included', async () => {
    // The helper's own parser cannot know how many strings the nodes and edges name, so its estimate may differ;
    // the message a user sees must be the one-thread one.
    const file = join(dir, 'cut-in-last-string.heapsnapshot');
    const original = readFileSync(path);
    writeFileSync(file, original.subarray(0, original.lastIndexOf('"]}')));
    const single = await read(file, null);
    assert.match(single.error ?? '', /the file is incomplete .*in "strings"; a snapshot of this header's size is about/);
    const double = await readSplit(file);
    assert.equal(double.error, single.error);
    assert.equal(double.splits[0].sectionsAfterEdges, false, "the helper's failed rest of the file is not used");
  });

  // planEdgeSplit (findEdgesEnd) searches the last size / 4 bytes for "trace_function_infos": a fractional
  // offset when the size is not a multiple of 4 and the search reaches that far (small files, string-heavy heaps).
  test('a file whose size is not a multiple of 4 reads as in one thread', async () => {
    const bytes = readFileSync(await fixtureSnapshot('staticMap'));
    const oddSized = join(dir, 'odd-sized.heapsnapshot');
    writeFileSync(oddSized, Buffer.concat([bytes, Buffer.from('\n'.repeat(bytes.length % 4 === 0 ? 1 : 0))]));
    const expected = await read(oddSized, null);
    const result = await read(oddSized, helperScript);
    assert.equal(result.error, undefined);
    assertSameData(result.data as HeapSnapshotData, expected.data as HeapSnapshotData);
  });

  test('a helper thread that cannot start leaves the whole file to the parser', async () => {
    const broken = await read(path, join(root, 'dist', 'no-such-helper.js'));
    assert.equal(broken.error, undefined);
    assert.ok(!broken.splits.some((split) => split.joined), 'nothing joined from a thread that never ran');
    assertSameData(broken.data as HeapSnapshotData, oneThread);
  });

  test('the helper thread builds the same retainer rows as this thread, alone or with this thread joining in', async () => {
    const data = twoThreads.data as HeapSnapshotData;
    const expected = buildRetainerRows(data.edgeToNodes, data.nodeCount);
    // Joined before the helper has booted, this thread takes the chunks it asks for: none, three from the end, all.
    for (const chunks of [0, 3, Infinity]) {
      const helper = new HelperThread(helperScript);
      try {
        const shared = splitRows(data.edgeToNodes, data.nodeCount, (bytes) => new SharedArrayBuffer(bytes));
        assert.ok(shared.chunkCount > 3, 'edges enough for a split');
        // This thread's counts reuse the distances' queue: whatever that left there is cleared.
        shared.joinedCounts.fill(0xdeadbeef);
        const job = helper.call('retainerRows', shared);
        await joinSplitRows(shared, job, chunks);
        const rows = await job;
        const joined = shared.chunkCount - (Atomics.load(shared.state, 0) >>> 16);
        assert.equal(joined, Math.min(chunks, shared.chunkCount), `this thread counted and filled ${chunks} chunks`);
        assert.ok(rows.retainingEdges.buffer instanceof SharedArrayBuffer, 'rows come back shared, not copied');
        assert.deepEqual(Array.from(rows.firstRetainerIndexes), Array.from(expected.firstRetainerIndexes), `row starts, ${chunks} chunks joined`);
        assert.deepEqual(Array.from(rows.retainingEdges), Array.from(expected.retainingEdges), `rows, ${chunks} chunks joined`);
      } finally {
        await helper.stop();
      }
    }
  });

  test('a helper that stops while this thread waits for its sums leaves this thread free, not hanging', async () => {
    const data = twoThreads.data as HeapSnapshotData;
    const helper = new HelperThread(helperScript);
    const shared = splitRows(data.edgeToNodes, data.nodeCount, (bytes) => new SharedArrayBuffer(bytes));
    // Made busy first, the helper has not begun the rows when it stops.
    const busy = helper.call('shallowSizes', sharedSnapshot(data)!);
    const job = helper.call('retainerRows', shared);
    const joining = joinSplitRows(shared, job);
    await helper.stop();
    await Promise.allSettled([busy, job]);
    await joining;
    assert.equal(Atomics.load(shared.state, 2), 0, 'the helper never summed');
    await assert.rejects(job);
  });

  test('with retained sizes asked for at load, the helper computes the same shallow sizes, dominators and retained sizes as this thread', async () => {
    const { data, indexing } = await readSnapshotFile(path, { helperScript, twoThreadsFromBytes: 0, retainedSizes: true });
    assert.ok(indexing?.shallowSizes && indexing.dominatorTree, 'the helper was given the whole graph');
    const sizes = await indexing.shallowSizes;
    assert.ok(sizes.buffer instanceof SharedArrayBuffer, 'shallow sizes come back shared');
    const threaded = await buildGraph({ data, indexing }, undefined, null);
    await threaded.retainedSizesElsewhere();
    threaded.computeRetainedSizes();
    const single = HeapGraph.build(data);
    single.computeRetainedSizes();
    const helperFailed = new Error('the helper thread exited');
    const builtHere = await buildGraph({ data, indexing: { ...indexing, dominatorTree: Promise.reject(helperFailed) } }, undefined, null);
    await builtHere.retainedSizesElsewhere();
    builtHere.computeRetainedSizes();
    const expected = single.nodeFigures();
    for (const [graph, how] of [[threaded, 'from the helper'], [builtHere, 'built here when the helper failed']] as const) {
      const figures = graph.nodeFigures();
      for (const name of ['shallowSizes', 'retainedSizes', 'dominators'] as const) assertSameValues(figures[name], expected[name], `${name} ${how}`);
      assert.deepEqual(graph.classes(), single.classes(), `classes ${how}`);
    }
  });

  test('the engine service, loading with the helper thread, gives the walks, retained sizes and classes of HeapGraph.build', async () => {
    const service = new EngineService(() => undefined, helperScript);
    await service.loadFile(path);
    const single = HeapGraph.build(oneThread);
    single.computeRetainedSizes();
    const [target] = single.instances('Object', 1);
    const first = await service.walk(target.id, DEFAULT_WALK_OPTIONS);
    assert.ok(first.nodes.every((node) => node.retainedSize === null), 'the first walk does not wait for the dominators');
    await service.computeRetainedSizes();
    assert.equal(JSON.stringify(await service.walk(target.id, DEFAULT_WALK_OPTIONS)), JSON.stringify(single.walk(target.id, DEFAULT_WALK_OPTIONS)));
    assert.deepEqual(await service.classes(), single.classes());
    await service.dispose();
  });

  test('the engine service, fed the snapshot in chunks as CDP sends it, indexes ahead once nodes and edges are read, and gives the walks, retained sizes and classes of HeapGraph.build', async () => {
    const starts: { complete: boolean; section: string }[] = [];
    const stops: number[] = [];
    const original = StreamIndexing.startWhenReady;
    StreamIndexing.startWhenReady = (parser, script) => {
      const started = original(parser, script);
      if (started) {
        starts.push({ complete: parser.complete, section: parser.currentSection });
        const stop = started.stop.bind(started);
        started.stop = () => (stops.push(1), stop());
      }
      return started;
    };
    try {
      const text = readFileSync(path, 'utf8');
      const chunks = (service: EngineService) => {
        for (let offset = 0; offset < text.length; offset += 1 << 20) service.addChunk(text.slice(offset, offset + (1 << 20)));
      };
      const service = new EngineService(() => undefined, helperScript);
      await service.beginSnapshot();
      chunks(service);
      await service.endSnapshot();
      assert.equal(starts.length, 1, 'indexed ahead once');
      assert.ok(!starts[0].complete, `began before the snapshot's end, in ${starts[0].section}`);
      const single = HeapGraph.build(oneThread);
      single.computeRetainedSizes();
      const targets = single.instances('Object', 3);
      for (const target of targets) {
        const ids = (walk: { nodes: { id: number }[] }) => walk.nodes.map((node) => node.id);
        assert.deepEqual(ids(await service.walk(target.id, DEFAULT_WALK_OPTIONS)), ids(single.walk(target.id, DEFAULT_WALK_OPTIONS)));
      }
      await service.computeRetainedSizes();
      assert.equal(JSON.stringify(await service.walk(targets[0].id, DEFAULT_WALK_OPTIONS)), JSON.stringify(single.walk(targets[0].id, DEFAULT_WALK_OPTIONS)));
      assert.deepEqual(await service.classes(), single.classes());

      // Cancelled after the edges: the helper indexing ahead is stopped, and the next snapshot loads.
      await service.beginSnapshot();
      service.addChunk(text.slice(0, text.indexOf('"strings"')));
      assert.equal(starts.length, 2, 'indexing ahead began');
      await service.abortSnapshot();
      assert.equal(stops.length, 1, 'and was stopped');
      await service.beginSnapshot();
      chunks(service);
      assert.equal((await service.endSnapshot()).nodeCount, oneThread.nodeCount);
      await service.dispose();
    } finally {
      StreamIndexing.startWhenReady = original;
    }
  });

  test('an older snapshot of a growth series digested on two threads is the digest made on one', async () => {
    const { data } = await readSnapshotFile(path, { helperScript, indexEdges: false });
    assert.ok(sharedSnapshot(data), 'every column and the strings are shared: the helper takes its part');
    for (const withObjects of [true, false]) {
      const digested = await digestSnapshotData(data, path, { withObjects }, helperScript);
      assert.ok(digested.collections.ids.length > 0 && digested.classes.size > 10);
      assert.deepEqual(digested, digestData(oneThread, path, { withObjects }), `withObjects: ${withObjects}`);
    }
  });

  test('a graph for a growth report has its collections found by the helper: the digest is the one made here, retained sizes included', async () => {
    const loaded = await readSnapshotFile(path, { helperScript, collections: true, retainedSizes: true });
    assert.ok(loaded.indexing?.collections, 'the helper was given the collection table');
    const graph = await buildGraph(loaded, undefined, null);
    await graph.collectionsFromElsewhere();
    const found = graph.adoptedCollectionTable;
    assert.ok(found && found.ids.length > 0, 'the table arrived');
    const single = HeapGraph.build(oneThread);
    assert.deepEqual(digestGraph(graph, path, { withObjects: true }), digestGraph(single, path, { withObjects: true }));
    await graph.retainedSizesElsewhere();
    graph.computeRetainedSizes();
    single.computeRetainedSizes();
    const [withSizes, expected] = [digestGraph(graph, path, { withObjects: false }), digestGraph(single, path, { withObjects: false })];
    assert.ok(withSizes.collections.retainedSizes?.some((size) => size > 0), 'the retained sizes were filled in');
    assert.deepEqual(withSizes, expected);
    assert.equal(graph.adoptedCollectionTable, found, 'the digests took the helper\'s table');
  });

  test('a dominator tree that waits to be asked (treeWhenAsked) begins only when the graph asks for it, and is the one made here', async () => {
    const loaded = await readSnapshotFile(path, { helperScript, retainedSizes: true, treeWhenAsked: true });
    const tree = loaded.indexing?.dominatorTree;
    assert.ok(tree, 'the helper was given the tree');
    let settled = false;
    void tree.finally(() => (settled = true)).catch(() => undefined);
    const graph = await buildGraph(loaded, undefined, null);
    // Long enough for the tree of this heap (~0.3 s on one core), had it begun with the shallow sizes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(settled, false, 'no tree before it was asked for');
    await graph.retainedSizesElsewhere();
    assert.equal(settled, true, 'asking began it, and the graph waited for it');
    graph.computeRetainedSizes();
    const single = HeapGraph.build(oneThread);
    single.computeRetainedSizes();
    assertSameValues(graph.nodeFigures().retainedSizes, single.nodeFigures().retainedSizes, 'retained sizes');

    // Dropped before anyone asked: the helper stops, and a late ask does not wait forever.
    const dropped = await buildGraph(await readSnapshotFile(path, { helperScript, retainedSizes: true, treeWhenAsked: true }), undefined, null);
    await dropped.stopWorkElsewhere();
    await dropped.retainedSizesElsewhere();
    dropped.computeRetainedSizes();
    assertSameValues(dropped.nodeFigures().retainedSizes, single.nodeFigures().retainedSizes, 'retained sizes');
  });

  test('on a heap with many retaining edges a node, this thread fills windows of predecessor rows for the helper\'s dominator tree, and the tree is the one made here', async () => {
    const dense = join(dir, 'dense.heapsnapshot');
    execFileSync(process.execPath, ['-e', DENSE_HEAP_PROGRAM, dense], { stdio: 'inherit' });
    const loaded = await readSnapshotFile(dense, { helperScript, twoThreadsFromBytes: 0, retainedSizes: true });
    const graph = await buildGraph(loaded, undefined, null);
    // This thread only waits meanwhile, so it takes the windows it is offered.
    const tree = await loaded.indexing?.dominatorTree;
    assert.ok(tree?.windows, 'the helper computed the tree');
    assert.ok(tree.windows.count >= 3, `${tree.windows.count} windows`);
    assert.ok(tree.windows.filledElsewhere >= 1, 'this thread filled windows while the helper went through others');
    await graph.retainedSizesElsewhere();
    graph.computeRetainedSizes();
    const single = HeapGraph.build(loaded.data);
    single.computeRetainedSizes();
    const [threaded, expected] = [graph.nodeFigures(), single.nodeFigures()];
    assertSameValues(threaded.dominators, expected.dominators, 'dominators');
    assertSameValues(threaded.retainedSizes, expected.retainedSizes, 'retained sizes');
  });

  test('a read for no graph (indexEdges: false) gives the helper no indexing job, even with retained sizes asked for', async () => {
    const splits: SplitOutcome[] = [];
    const { data, indexing } = await readSnapshotFile(path, { helperScript, twoThreadsFromBytes: 0, parserWaitsForHelper: true, onSplit: (outcome) => splits.push(outcome), indexEdges: false, retainedSizes: true });
    assert.equal(splits.length, 1, 'the helper read its part of the file');
    assert.equal(indexing, undefined, 'nothing indexed, no shallow sizes, no dominator tree');
    assertSameData(data, oneThread);
  });

  test('a graph dropped while the helper computes its dominator tree stops the helper; retained sizes asked for later are computed here, the same', async () => {
    const { data, indexing } = await readSnapshotFile(path, { helperScript, twoThreadsFromBytes: 0, retainedSizes: true });
    assert.ok(indexing?.stop && indexing.dominatorTree, 'the helper was given the dominator tree');
    const { stop, dominatorTree } = indexing;
    let stops = 0;
    const graph = await buildGraph({ data, indexing: { ...indexing, stop: () => (stops++, stop()) } }, undefined, null);
    await graph.stopWorkElsewhere();
    assert.equal(stops, 1, 'the helper thread was stopped');
    // Whether the tree came before the stop or never will, the wait for it ends.
    await dominatorTree.catch(() => undefined);
    await graph.retainedSizesElsewhere();
    graph.computeRetainedSizes();
    const single = HeapGraph.build(data);
    single.computeRetainedSizes();
    const [actual, expected] = [graph.nodeFigures(), single.nodeFigures()];
    assert.deepEqual(actual.retainedSizes, expected.retainedSizes);
    assert.deepEqual(actual.dominators, expected.dominators);
    assert.deepEqual(graph.classes(), single.classes());
  });

  test('the engine service stops the helper\'s work for a snapshot once a newer one is loaded or it is disposed', async () => {
    const stopped: HeapGraph[] = [];
    const original = HeapGraph.prototype.stopWorkElsewhere;
    HeapGraph.prototype.stopWorkElsewhere = function (this: HeapGraph) {
      stopped.push(this);
      return original.call(this);
    };
    try {
      const service = new EngineService(() => undefined, helperScript);
      await service.loadFile(path);
      assert.equal(stopped.length, 0);
      await service.loadFile(path);
      assert.equal(stopped.length, 1, 'the first snapshot\'s work stopped when the second loaded');
      const single = HeapGraph.build(oneThread);
      single.computeRetainedSizes();
      await service.computeRetainedSizes();
      assert.deepEqual(await service.classes(), single.classes(), 'the second snapshot\'s retained sizes');
      await service.dispose();
      assert.equal(stopped.length, 2, 'and the second\'s when the service was disposed');
      assert.notEqual(stopped[0], stopped[1]);
    } finally {
      HeapGraph.prototype.stopWorkElsewhere = original;
    }
  });

  test('buildGraph with the helper thread walks like HeapGraph.build', async () => {
    const data = twoThreads.data as HeapSnapshotData;
    assert.ok(data.edgeCount >= 1 << 20, `${data.edgeCount} edges: buildGraph uses the helper from 2^20`);
    const threaded = await buildGraph({ data }, undefined, helperScript);
    const single = HeapGraph.build(data);
    const targets = [...single.instances('Object', 25), ...single.instances('Array', 10), ...single.instances('Map', 5)];
    assert.ok(targets.length >= 30);
    for (const { id } of targets) assert.equal(JSON.stringify(threaded.walk(id)), JSON.stringify(single.walk(id)), `walk of @${id}`);
    assert.ok(targets.some(({ id }) => single.walk(id).nodes.length > 3), 'walks that go somewhere');
  });

  test('a two-thread read hands over the indexes its helper builds, and buildGraph uses them', async () => {
    const { data, indexing } = twoThreads;
    assert.ok(data && indexing, 'the helper indexes the edges once they are all read');
    const rows = await indexing.retainerRows;
    assert.ok(rows.retainingEdges.buffer instanceof SharedArrayBuffer, 'built by the helper, in shared memory');
    assert.deepEqual(Array.from(rows.retainingEdges), Array.from(buildRetainerRows(data.edgeToNodes, data.nodeCount).retainingEdges));
    const handedOver = await buildGraph({ data, indexing }, undefined, null);
    const single = HeapGraph.build(data);
    const helperFailed = new Error('the helper thread exited');
    const builtHere = await buildGraph({ data, indexing: { retainerRows: Promise.reject(helperFailed) } }, undefined, null);
    for (const { id } of single.instances('Object', 20)) {
      assert.equal(JSON.stringify(handedOver.walk(id)), JSON.stringify(single.walk(id)), `walk of @${id}`);
      assert.equal(JSON.stringify(builtHere.walk(id)), JSON.stringify(single.walk(id)), `walk of @${id} when the helper failed`);
    }
  });
});
