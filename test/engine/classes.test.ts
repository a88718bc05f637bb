// The class list (DevTools' summary view) on a real heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureGraph } from './helpers/fixtureGraph';

test('classes group instances by constructor and add up self sizes', async () => {
  const graph = await fixtureGraph('staticMap');
  const classes = graph.classes();
  const row = (name: string) => classes.find((c) => c.name === name);
  assert.equal(row('Processor')?.count, 5);
  assert.equal(row('ResourceLoader')?.count, 5);
  assert.ok((row('(string)')?.count ?? 0) > 1000);
  assert.ok(row('(closure)') && row('(compiled code)') && row('(system)'));
  // As in DevTools' summary, a store counted in its owner's shallow size is no instance of its own; no byte is lost.
  let v8Total = 0;
  for (const size of graph.data.nodeSelfSizes) v8Total += size;
  assert.equal(classes.reduce((sum, c) => sum + c.selfSize, 0), v8Total, 'the shallow sizes add up to the V8 self sizes');
  const counted = classes.reduce((sum, c) => sum + c.count, 0);
  assert.ok(counted < graph.nodeCount - 1 && counted > graph.nodeCount / 2, `${counted} instances of ${graph.nodeCount - 1} nodes`);
  for (let i = 1; i < classes.length; i++) assert.ok(classes[i - 1].selfSize >= classes[i].selfSize, 'largest first');
  const loaders = graph.instances('ResourceLoader');
  assert.equal(loaders.length, 5);
  assert.ok(loaders.every((n) => n.name === 'ResourceLoader' && n.distance !== null));
  assert.deepEqual(graph.instances('ResourceLoader', 2).map((n) => n.id), loaders.slice(0, 2).map((n) => n.id));
  assert.deepEqual(graph.instances('NoSuchClass'), []);
});
