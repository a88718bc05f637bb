// Exact walk semantics on tiny graphs built in code (DevTools' snapshot builder style).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph, UnknownObjectError } from '../../src/engine/index';
import { SnapshotBuilder } from './helpers/fromJson';

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
  assert.deepEqual(walk.truncated, [{ id: id('T'), hidden: 1 }]);
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

test('weak edges and WeakMap ephemeron edges do not retain', () => {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('ref', 'object', 'WeakRef')
    .node('table', 'array', 'system / EphemeronHashTable')
    .node('V', 'object', 'Value')
    .edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 'ref', 'ref')
    .edge('global', 'property', 'wm', 'table')
    .edge('ref', 'weak', 'target', 'V')
    .edge('table', 'weak', '4', 'V')
    .edge('table', 'internal', '3 / part of key (Key @7) -> value (Value @9) pair in WeakMap (table @5)', 'V');
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('V'));
  assert.equal(walk.nodes[0].distance, null);
  assert.deepEqual(walk.edges, []);
  assert.deepEqual(walk.shortestPath, { nodes: [], edges: [] });
  assert.equal(walk.nodes[0].retainerCount, 0);
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
