// Every cut a walk makes is counted, so the view can show it: the fan-out,
// the depth limit, the owner of a static collection left unwalked, and the
// retainers skipped as weak or as V8 internals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph } from '../../src/engine/index';
import { SnapshotBuilder } from './helpers/fromJson';
import { fixtureGraph, nodeByLabel } from './helpers/fixtureGraph';

test('a node at the depth limit with retainers it did not walk gets "+N more"', () => {
  const b = new SnapshotBuilder().node('global', 'object', 'global').edge('root', 'shortcut', '1', 'global');
  // global → L0 → L1 → L2 → T, and X0, X1 also hold L2 (off the shortest path).
  b.node('L0', 'object', 'Link').node('L1', 'object', 'Link').node('L2', 'object', 'Link').node('T', 'object', 'Target');
  b.node('X0', 'object', 'Extra').node('X1', 'object', 'Extra');
  b.edge('global', 'property', 'l0', 'L0').edge('L0', 'property', 'next', 'L1').edge('L1', 'property', 'next', 'L2').edge('L2', 'property', 'next', 'T');
  b.edge('global', 'property', 'x0', 'X0').edge('X0', 'property', 'x', 'X1').edge('X1', 'property', 'more', 'L1');
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('T'), { depth: 2 });
  // L1 is at the depth limit: its retainers L0 (drawn: the shortest path) and X1 (not drawn).
  assert.deepEqual(walk.truncated, [{ id: b.idOf('L1'), hidden: 1, by: 'depth' }]);
  // Raising L1's fan-out opens it.
  const raised = graph.walk(b.idOf('T'), { depth: 2, fanOutOverrides: { [b.idOf('L1')]: 10 } });
  assert.ok(raised.edges.some((e) => e.from === b.idOf('X1') && e.to === b.idOf('L1')));
});

test('retainers skipped as weak or V8 internals are counted per node', () => {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('T', 'object', 'Target')
    .node('props', 'array', '(object properties)')
    .node('ref', 'object', 'WeakRef')
    .edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 't', 'T')
    .edge('global', 'internal', 'properties', 'props')
    .edge('props', 'internal', '0', 'T')
    .edge('global', 'property', 'ref', 'ref')
    .edge('ref', 'weak', 'target', 'T');
  const graph = HeapGraph.build(b.build());
  const walk = graph.walk(b.idOf('T'));
  assert.deepEqual(walk.filtered, [{ id: b.idOf('T'), weak: 1, internal: 1 }]);
  assert.deepEqual(walk.truncated, []);
  const everything = graph.walk(b.idOf('T'), { includeWeak: true, includeInternals: true });
  assert.equal(everything.edges.filter((e) => e.to === b.idOf('T')).length, 3);
  assert.equal(everything.filtered, undefined);
});

test('the class that owns a static map, not walked further, says how many retainers it has above', async () => {
  const graph = await fixtureGraph('staticMap');
  const [loader] = graph.instances('ResourceLoader', 1);
  // A depth that stops at the class, as a live heap's shorter path through a timer does.
  const walk = graph.walk(loader.id, { depth: 3 });
  const map = nodeByLabel(walk, 'Processor.instanceMap');
  const owner = walk.edges.find((e) => e.to === map.id)!.from;
  const cut = walk.truncated.find((t) => t.id === owner);
  const drawn = walk.edges.filter((e) => e.to === owner).length;
  assert.ok(cut && cut.hidden > 0, `the class's retainers are counted: ${JSON.stringify(walk.truncated)}`);
  // Opening it shows them.
  const opened = graph.walk(loader.id, { depth: 3, fanOutOverrides: { [owner]: 10 } });
  assert.ok(opened.edges.filter((e) => e.to === owner).length > drawn);
});
