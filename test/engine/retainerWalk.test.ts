// Exact walk semantics on tiny graphs built in code (DevTools' snapshot builder style).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph, UnknownObjectError } from '../../src/engine/index';
import { SnapshotBuilder } from './helpers/fromJson';
import { ReplayedEdges, seededRandom, tangledGraph } from './helpers/tangledGraphs';

/** root → global; global.a → A; global.b → B → C; A, B and C all hold T. */
function diamond(): { graph: HeapGraph; id: (key: string) => number } {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('A', 'object', 'A')
    .node('B', 'object', 'B')
    .node('C', 'object', 'C')
    .node('T', 'object', 'Target')
    .edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 'a', 'A')
    .edge('global', 'property', 'b', 'B')
    .edge('B', 'property', 'c', 'C')
    .edge('C', 'property', 't', 'T')
    .edge('B', 'property', 't', 'T')
    .edge('A', 'property', 't', 'T');
  return { graph: HeapGraph.build(b.build()), id: (key) => b.idOf(key) };
}

test('retainers are shown closest to a root first, the rest counted', () => {
  const { graph, id } = diamond();
  const walk = graph.walk(id('T'), { fanOut: 2 });
  const into = walk.edges.filter((e) => e.to === id('T')).map((e) => e.from);
  // A and B are both at distance 2 (ties keep V8's order); C, at 3, is cut.
  assert.deepEqual(into, [id('A'), id('B')]);
  assert.deepEqual(walk.truncated, [{ id: id('T'), hidden: 1, by: 'fan-out' }]);
  assert.equal(walk.nodes.find((n) => n.id === id('T'))!.distance, 3);
});

test('depth limits the walk but not the shortest path', () => {
  const b = new SnapshotBuilder().node('global', 'object', 'global').edge('root', 'shortcut', '1', 'global');
  let previous = 'global';
  for (let i = 0; i < 12; i++) {
    b.node(`n${i}`, 'object', 'Link').edge(previous, 'property', 'next', `n${i}`);
    previous = `n${i}`;
  }
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('n11'), { depth: 3 });
  assert.equal(walk.shortestPath.edges.length, 12);
  assert.equal(walk.shortestPath.nodes[0], b.idOf('global'));
  const onPath = (e: { from: number; to: number }): boolean => walk.shortestPath.edges.some((p) => p.from === e.from && p.to === e.to);
  const walked = walk.edges.filter((e) => !onPath(e));
  assert.equal(walked.length, 0, 'every walked edge is on the path here');
  assert.deepEqual(walk.truncated, []);
});

test('a cycle terminates and the closing edge is marked', () => {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('H', 'object', 'Holder')
    .node('X', 'object', 'X')
    .node('Y', 'object', 'Y')
    .edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 'h', 'H')
    .edge('H', 'property', 'x', 'X')
    .edge('X', 'property', 'y', 'Y')
    .edge('Y', 'property', 'x', 'X');
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('Y'), { depth: 50 });
  assert.deepEqual(
    walk.edges.map((e) => [e.label, e.cycle ?? false]),
    [['.y', false], ['.x', false], ['.x', true], ['.h', false]],
  );
});

test('on tangled graphs, an edge is marked as a cycle exactly when what it leads to already held its holder', () => {
  // Replays the walk's edges in order: an edge from a node already drawn closes a cycle when
  // the object it leads to holds that node through the edges drawn before it.
  const random = seededRandom(7);
  let roundsWithCycles = 0;
  for (let round = 0; round < 20; round++) {
    const { graph, start } = tangledGraph(random);
    const walk = graph.walk(start, { depth: 100, fanOut: 100 });
    const replayed = new ReplayedEdges();
    const drawn = new Set([walk.target]);
    let cycles = 0;
    for (const edge of walk.edges) {
      const expected = drawn.has(edge.from) && replayed.holdsThrough(edge.to, edge.from);
      assert.equal(edge.cycle ?? false, expected, `round ${round}: ${edge.from} → ${edge.to}`);
      if (expected) cycles++;
      drawn.add(edge.from);
      replayed.add(edge.from, edge.to);
    }
    if (cycles > 0) roundsWithCycles++;
  }
  // Some starts have no retainer at all; most rounds must have cycles to mark.
  assert.ok(roundsWithCycles >= 15, `${roundsWithCycles} of 20 rounds have cycles to mark`);
});

test('an ignored retainer is treated as absent, also for distances and the path', () => {
  const { graph, id } = diamond();
  const ignored = [{ from: id('A'), to: id('T'), name: 't' }];
  const walk = graph.walk(id('T'), { ignoredEdges: ignored });
  assert.ok(!walk.edges.some((e) => e.from === id('A')));
  assert.equal(walk.nodes.find((n) => n.id === id('T'))!.distance, 3);
  assert.deepEqual(walk.shortestPath.nodes, [id('global'), id('B'), id('T')]);
  // Ignoring B's edge too leaves the longer way round through C.
  const both = graph.walk(id('T'), { ignoredEdges: [...ignored, { from: id('B'), to: id('T'), name: 't' }] });
  assert.deepEqual(both.shortestPath.nodes, [id('global'), id('B'), id('C'), id('T')]);
  assert.equal(both.nodes.find((n) => n.id === id('T'))!.distance, 4);
});

/**
 * A WeakMap `wm` (its table `table`) with one entry key K → value V, written
 * as V8 does: weak slot edges from the table, and two ephemeron edges into V
 * (one from the table, one from K) sharing a description. The global holds
 * the map directly and the key behind `keyDepth` intermediate objects.
 */
function weakMapHeap(keyDepth: number, { keyReachable = true } = {}): { graph: HeapGraph; id: (key: string) => number } {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('wm', 'object', 'WeakMap')
    .node('table', 'array', '')
    .node('K', 'object', 'Key')
    .node('V', 'object', 'Value')
    .node('ref', 'object', 'WeakRef')
    .node('R', 'object', 'RefTarget');
  const pair = `part of key (Key @${b.idOf('K')}) -> value (Value @${b.idOf('V')}) pair in WeakMap (table @${b.idOf('table')})`;
  b.edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 'cache', 'wm')
    .edge('wm', 'internal', 'table', 'table')
    .edge('table', 'weak', '3', 'K')
    .edge('table', 'weak', '4', 'V')
    .edge('table', 'internal', `1 / ${pair}`, 'V')
    .edge('K', 'internal', `1 / ${pair}`, 'V')
    .edge('global', 'property', 'ref', 'ref')
    .edge('ref', 'weak', 'target', 'R');
  let holder = 'global';
  for (let i = 0; i < keyDepth; i++) {
    b.node(`hop${i}`, 'object', 'Hop').edge(holder, 'property', `hop${i}`, `hop${i}`);
    holder = `hop${i}`;
  }
  if (keyReachable) b.edge(holder, 'property', 'key', 'K');
  return { graph: HeapGraph.build(b.build()), id: (key) => b.idOf(key) };
}

test('a weak edge does not retain: a WeakRef target held by nothing else is unreachable', () => {
  const { graph, id } = weakMapHeap(0);
  const walk = graph.walk(id('R'));
  assert.equal(walk.nodes[0].distance, null);
  assert.deepEqual(walk.shortestPath, { nodes: [], edges: [] });
  assert.equal(walk.nodes[0].retainerCount, 0);
});

test('a WeakMap value is one past the farther of its key and its map, and the walk shows both conditions', () => {
  // Map at distance 2 (global → wm) behind its table at 3; key at 5 (global → hop0 → hop1 → hop2 → K... ).
  const { graph, id } = weakMapHeap(3);
  const distanceOf = (key: string): number | null => graph.details(id(key), 0).node.distance;
  assert.equal(distanceOf('table'), 3);
  assert.equal(distanceOf('K'), 5);
  assert.equal(distanceOf('V'), 6, 'max(key, table) + 1');
  const walk = graph.walk(id('V'));
  const into = walk.edges.filter((e) => e.to === id('V'));
  assert.deepEqual(
    into.map((e) => [e.from, e.label, e.ephemeron]).sort(),
    [
      [id('K'), 'key of WeakMap entry in globalThis.cache', 'key'],
      [id('wm'), `WeakMap entry keyed by Key @${id('K')}`, 'map'],
    ].sort(),
  );
  // The path runs through the farther condition (the key); the map's half is drawn beside it.
  const last = walk.shortestPath.edges[walk.shortestPath.edges.length - 1];
  assert.equal(last.from, id('K'));
  assert.equal(last.label, 'key of WeakMap entry in globalThis.cache');

  // Key closer than the map: the path ends with the map's half, the key's half still drawn.
  const near = weakMapHeap(0);
  assert.equal(near.graph.details(near.id('V'), 0).node.distance, 4, 'max(key 2, table 3) + 1');
  const nearWalk = near.graph.walk(near.id('V'), { fanOut: 1 });
  const pathEdge = nearWalk.shortestPath.edges[nearWalk.shortestPath.edges.length - 1];
  assert.deepEqual([pathEdge.from, pathEdge.label, pathEdge.ephemeron], [near.id('wm'), `WeakMap entry keyed by Key @${near.id('K')}`, 'map']);
  assert.ok(nearWalk.edges.some((e) => e.from === near.id('K') && e.to === near.id('V') && e.ephemeron === 'key'), 'fan-out 1 still shows the key half');
});

test('a WeakMap value whose key is unreachable is unreachable, however reachable the map', () => {
  const { graph, id } = weakMapHeap(0, { keyReachable: false });
  assert.equal(graph.details(id('table'), 0).node.distance, 3);
  const walk = graph.walk(id('V'));
  assert.equal(walk.nodes[0].distance, null);
  assert.deepEqual(walk.shortestPath, { nodes: [], edges: [] });
  graph.computeRetainedSizes();
  // For dominators the map's half never retains, and the key's comes from outside what the global
  // reaches into what it reaches (through the map): as in DevTools, V hangs under the root.
  assert.equal(graph.dominatorOf(id('V')), graph.data.nodeIds[0]);
});

test('ignoring either half of a WeakMap entry leaves its value unreached through it, as DevTools pairs the halves', () => {
  const { graph, id } = weakMapHeap(0);
  const pair = `part of key (Key @${id('K')}) -> value (Value @${id('V')}) pair in WeakMap (table @${id('table')})`;
  assert.equal(graph.walk(id('V')).nodes[0].distance, 4);
  for (const from of ['K', 'table']) {
    const walk = graph.walk(id('V'), { ignoredEdges: [{ from: id(from), to: id('V'), name: `1 / ${pair}` }] });
    assert.equal(walk.nodes[0].distance, null, `without the ${from === 'K' ? 'key' : 'table'}'s half`);
  }
});

test('an unknown id throws UnknownObjectError with a readable message', () => {
  const { graph } = diamond();
  assert.throws(() => graph.walk(123456), (error: unknown) => error instanceof UnknownObjectError && /@123456 is not in this heap snapshot/.test(error.message));
  assert.equal(graph.ordinalOf(123456), -1);
});

test('classes and instances follow DevTools summary grouping', () => {
  const { graph, id } = diamond();
  const names = graph.classes().map((c) => c.name);
  assert.ok(names.includes('Target') && names.includes('global'));
  assert.deepEqual(graph.instances('Target').map((n) => n.id), [id('T')]);
});

test('details lists every retainer, closest first', () => {
  const { graph, id } = diamond();
  const details = graph.details(id('T'));
  assert.deepEqual(details.retainers.map((r) => r.node.id), [id('A'), id('B'), id('C')]);
  assert.deepEqual(details.retainers.map((r) => r.edge.label), ['.t', '.t', '.t']);
});

test('build reports each phase, in order, ending complete', () => {
  const b = new SnapshotBuilder().node('global', 'object', 'global').edge('root', 'shortcut', '1', 'global');
  const seen: string[] = [];
  const last = new Map<string, [number, number]>();
  HeapGraph.build(b.build(), (phase, done, total) => {
    if (seen.at(-1) !== phase) seen.push(phase);
    last.set(phase, [done, total]);
  });
  assert.deepEqual(seen, ['id index', 'distances', 'retainer index']);
  for (const [phase, [done, total]] of last) assert.equal(done, total, `${phase} ends complete`);
});
