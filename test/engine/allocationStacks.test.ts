// Allocation stacks on real snapshots: the allocations fixture records them
// from its first snapshot on (V8's allocation tracker, through its own
// in-process inspector session), so its jobs say which function built them.
// The trace sections are checked against JSON.parse of the same file, read in
// one pass and split after the edges (the helper thread's part); a snapshot
// taken without tracking says so instead of leaving the stack blank.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GrowthRecording, HeapGraph, SnapshotFormatError, SnapshotParser, mergedPathsOfClass } from '../../src/engine/index';
import type { HeapSnapshotData } from '../../src/engine/snapshotData';
import { formatGrowthText } from '../../src/engine/format/growth';
import { formatPathsText } from '../../src/engine/format/paths';
import { fixtureSeries } from '../fixtures/series';
import { fixtureProgram, fixtureSnapshot } from '../fixtures/snapshot';

function parse(bytes: Uint8Array): HeapSnapshotData {
  const parser = new SnapshotParser();
  parser.write(bytes);
  return parser.end();
}

/** 1-based line of the first line of the fixture that starts with `text`. */
function lineOf(text: string): number {
  const lines = readFileSync(fixtureProgram('allocations'), 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(text));
  assert.ok(at >= 0, `the fixture has "${text}"`);
  return at + 1;
}

describe('allocation stacks of a process that recorded them', () => {
  let series: string[];
  let graph: HeapGraph;
  before(async () => {
    series = await fixtureSeries('allocations');
    graph = HeapGraph.build(parse(readFileSync(series[2])));
    graph.computeRetainedSizes();
  });

  it('decodes trace_function_infos, trace_tree and trace_node_id as JSON.parse reads them, in one pass or split after the edges', () => {
    const bytes = readFileSync(series[2]);
    const reference = JSON.parse(bytes.toString('utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[]; trace_function_infos: number[]; trace_tree: unknown[] };
    // The tree by recursion, independently of the parser: [id, function, parent id] per node, pre-order.
    const expectedTree: [number, number, number][] = [];
    const visit = (flat: unknown[], parent: number) => {
      for (let i = 0; i < flat.length; i += 5) {
        expectedTree.push([flat[i] as number, flat[i + 1] as number, parent]);
        visit(flat[i + 4] as unknown[], flat[i] as number);
      }
    };
    visit(reference.trace_tree, 0);
    const width = reference.snapshot.meta.node_fields.length;
    const traceAt = reference.snapshot.meta.node_fields.indexOf('trace_node_id');
    const expectedNodeTraceIds = reference.nodes.filter((_, i) => i % width === traceAt);

    const onePass = parse(bytes);
    const edgesEnd = bytes.indexOf(']', bytes.indexOf('"edges"'));
    const main = new SnapshotParser({ sharedEdges: true });
    main.write(bytes.subarray(0, edgesEnd + 1));
    const rest = new SnapshotParser({ afterEdges: { layout: main.backwardEdgesTarget!.layout, offset: edgesEnd + 1 } });
    rest.write(bytes.subarray(edgesEnd + 1));
    assert.ok(main.acceptSectionsAfterEdges(rest.endSectionsAfterEdges()));
    const split = main.end();

    for (const [how, data] of [['one pass', onePass], ['split', split]] as const) {
      const traces = data.allocationTraces;
      assert.ok(traces, `${how}: traces read`);
      const { tree, functions } = traces;
      const actualTree = Array.from({ length: tree.count }, (_, row): [number, number, number] => [tree.ids[row], tree.functionIndexes[row], tree.parents[row] < 0 ? 0 : tree.ids[tree.parents[row]]]);
      assert.deepEqual(actualTree, expectedTree, `${how}: trace_tree`);
      assert.deepEqual(Array.from(traces.nodeTraceIds), expectedNodeTraceIds, `${how}: trace_node_id`);
      const flat: number[] = [];
      for (let f = 0; f < functions.count; f++) flat.push(0, functions.names[f], functions.scriptNames[f], functions.scriptIds[f], functions.lines[f], functions.columns[f]);
      assert.deepEqual(flat.filter((_, i) => i % 6 !== 0), reference.trace_function_infos.filter((_, i) => i % 6 !== 0), `${how}: trace_function_infos`);
    }
  });

  it("a job's stack starts at the function that built it, its site named by file and line", () => {
    const [site] = graph.allocationSitesOfClass('Job');
    const stack = graph.allocationStack(site.exampleIds[0]);
    assert.equal(stack.state, 'recorded');
    if (stack.state !== 'recorded') return;
    const [top, caller] = stack.frames;
    assert.equal(top.functionName, 'enqueue');
    assert.equal(top.file, 'allocations.js');
    assert.match(top.scriptName, /[\\/]allocations\.js$/);
    assert.equal(top.line! + 1, lineOf('function enqueue()'));
    assert.equal(caller.functionName, 'main');
    assert.equal(stack.site.label, `allocations.js:${lineOf('function enqueue()')} in enqueue()`);
    assert.deepEqual(graph.details(site.exampleIds[0]).allocation, stack, 'the details pane carries the same stack');
  });

  it('splits a class by allocation site; objects from before tracking have no stack', () => {
    const sites = graph.allocationSitesOfClass('Job').map((row) => [row.site?.label ?? null, row.count]);
    assert.deepEqual(sites, [
      [`allocations.js:${lineOf('function enqueue()')} in enqueue()`, 600],
      [`allocations.js:${lineOf('function enqueueUrgent()')} in enqueueUrgent()`, 40],
      [null, 20],
    ]);
    const early = graph.allocationSitesOfClass('Job').find((row) => row.site === null)!;
    assert.deepEqual(graph.allocationStack(early.exampleIds[0]), { state: 'no-stack' });
    // The payload arrays were built in the constructor: Job's own frame is their site.
    const arrays = graph.allocationSitesOfClass('Array', 0).filter((row) => row.site?.frame.functionName === 'Job');
    assert.equal(arrays[0]?.count, 640);
    assert.equal(arrays[0].site!.frame.line! + 1, lineOf('  constructor(n) {'));
  });

  it('merged paths split by allocation site: one group per path and site, retained sizes adding up to the path', () => {
    const split = mergedPathsOfClass(graph, 'Job', null, { byAllocationSite: true })!;
    const plain = mergedPathsOfClass(graph, 'Job')!;
    const enqueue = `allocations.js:${lineOf('function enqueue()')} in enqueue()`;
    const urgent = `allocations.js:${lineOf('function enqueueUrgent()')} in enqueueUrgent()`;
    assert.deepEqual(
      split.groups.map((g) => [g.label, g.allocationSite?.label ?? null, g.count]),
      [
        ['Scheduler.queued.get(*)', enqueue, 600],
        ['globalThis.urgent[*]', urgent, 40],
        ['Scheduler.queued.get(*)', null, 20],
      ],
    );
    assert.ok(plain.groups.every((g) => g.allocationSite === undefined), 'unsplit groups carry no site');
    for (const group of plain.groups) {
      const parts = split.groups.filter((g) => g.label === group.label);
      assert.equal(parts.reduce((sum, g) => sum + g.count, 0), group.count);
      // No job dominates another, so the parts' retained sizes add up to the whole group's.
      assert.equal(parts.reduce((sum, g) => sum + g.retainedSize!, 0), group.retainedSize);
    }
    assert.deepEqual(split.tree, plain.tree, 'the tree is the same');
    assert.match(formatPathsText(split), new RegExp(`\\n {2}600 via Scheduler\\.queued\\.get\\(\\*\\), allocated at ${enqueue.replace(/[.*()]/g, '\\$&')} {2}\\(`));
    assert.match(formatPathsText(split), /\n {2}20 via Scheduler\.queued\.get\(\*\), no allocation stack {2}\(/);
  });

  it('growth names where the new instances of each class were allocated', async () => {
    const recording = new GrowthRecording();
    recording.add(parse(readFileSync(series[0])), series[0]);
    recording.add(parse(readFileSync(series[1])), series[1]);
    const report = await recording.report(graph, series[2]);
    assert.deepEqual(report.snapshots.map((s) => s.allocationStacks), [true, true, true]);
    const job = report.classes.find((c) => c.name === 'Job')!;
    assert.deepEqual(job.allocationSites!.map((row) => [row.site?.frame.functionName ?? null, row.count]), [['enqueue', 600], ['enqueueUrgent', 40], [null, 20]]);
    const suspect = report.suspects.find((s) => s.kind === 'class' && s.label === 'Job');
    assert.deepEqual(suspect?.kind === 'class' && suspect.allocationSites, job.allocationSites);
    const text = formatGrowthText(report);
    assert.match(text, new RegExp(`\\n {2}Job: 600 at allocations\\.js:${lineOf('function enqueue()')} in enqueue\\(\\), 40 at allocations\\.js:${lineOf('function enqueueUrgent()')} in enqueueUrgent\\(\\); 20 without a stack\\n`));
    assert.match(text, /Job: \+320 at every step .*; allocated at allocations\.js:\d+ in enqueue\(\) \(600\), allocations\.js:\d+ in enqueueUrgent\(\) \(40\)\n/);
    assert.equal(job.newWithoutStack, 0, 'the 20 without a stack are older than the first snapshot');
    assert.doesNotMatch(text, /Note:/);
    // Had the GC moved 15 of the new ones (it drops their stacks), the line and a note would say so.
    job.newWithoutStack = 15;
    const moved = formatGrowthText(report);
    assert.match(moved, /\n {2}Job: 600 at .*; 20 without a stack \(15 of them new\)\n/);
    assert.match(moved, /\nNote: 15 of the [\d,]+ new objects of the classes above have no allocation stack although V8 recorded stacks from the first snapshot on: .*node --no-compact \(docs\/live\.md\)\.\n/);
  });

  it('a broken trace tree is a SnapshotFormatError at its byte', () => {
    const text = readFileSync(series[2], 'utf8');
    const start = text.indexOf('"trace_tree":[') + '"trace_tree":['.length;
    // The root's children array becomes a number: `[1,0,n,m,[` → `[1,0,n,m,7`.
    const children = text.indexOf('[', start);
    const broken = `${text.slice(0, children)}7${text.slice(children + 1)}`;
    assert.throws(() => parse(Buffer.from(broken)), (error: unknown) => {
      assert.ok(error instanceof SnapshotFormatError);
      assert.equal(error.offset, Buffer.byteLength(text.slice(0, children)));
      assert.match(error.message, /in "trace_tree"/);
      return true;
    });
  });
});

describe('a snapshot taken without allocation tracking', () => {
  it('says the stacks were not recorded, for every object', async () => {
    const graph = HeapGraph.build(parse(readFileSync(await fixtureSnapshot('staticMap'))));
    assert.equal(graph.hasAllocationStacks, false);
    assert.equal(graph.data.allocationTraces, undefined);
    const [processor] = graph.instances('Processor', 1);
    assert.deepEqual(graph.details(processor.id).allocation, { state: 'not-recorded' });
    assert.deepEqual(graph.allocationSitesOfClass('Processor'), []);
  });

  it('growth reports no allocation sites', async () => {
    const [first, , last] = await fixtureSeries('growth');
    const recording = new GrowthRecording();
    recording.add(parse(readFileSync(first)), first);
    const report = await recording.report(HeapGraph.build(parse(readFileSync(last))), last);
    assert.deepEqual(report.snapshots.map((s) => s.allocationStacks), [false, false]);
    assert.ok(report.classes.every((c) => c.allocationSites === undefined));
    assert.doesNotMatch(formatGrowthText(report), /allocat/);
  });
});
