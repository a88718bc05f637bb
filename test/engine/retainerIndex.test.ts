import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetainerIndex } from '../../src/engine/retainerIndex';
import { fixtureGraph } from './helpers/fixtureGraph';
import { SnapshotBuilder } from './helpers/fromJson';

/** Every row's holders found stepping on from the last one equal those found one by one. */
function checkRows(index: RetainerIndex, nodeCount: number): number {
  let checked = 0;
  for (let n = 0; n < nodeCount; n++) {
    let holder = -1;
    for (let r = index.firstRetainerIndexes[n]; r < index.firstRetainerIndexes[n + 1]; r++) {
      const edgeIndex = index.retainingEdges[r];
      holder = index.holderAfter(edgeIndex, holder);
      if (holder !== index.holderOf(edgeIndex)) assert.equal(holder, index.holderOf(edgeIndex), `edge ${edgeIndex} into node ${n}`);
      checked++;
    }
  }
  return checked;
}

test('holders found along a retainer row equal those found one by one: near, far, past nodes without edges', () => {
  // A node held by every other one, among nodes with no edges at all and one with thousands.
  const b = new SnapshotBuilder();
  b.node('shared', 'object', 'Shared');
  for (let i = 0; i < 3000; i++) b.node(`n${i}`, 'object', 'Holder');
  b.edge('root', 'element', 1, 'n0');
  for (let i = 0; i < 3000; i++) {
    if (i % 7 === 3) continue; // no edges
    b.edge(`n${i}`, 'property', 'shared', 'shared');
    if (i === 1500) for (let k = 0; k < 5000; k++) b.edge(`n${i}`, 'element', k, `n${k % 3000}`);
  }
  const data = b.build();
  const index = new RetainerIndex(data);
  assert.ok(checkRows(index, data.nodeCount) > 7000);
});

test('holders found along every retainer row of a real heap equal those found one by one', async () => {
  const graph = await fixtureGraph('staticMap');
  assert.ok(checkRows(new RetainerIndex(graph.data), graph.nodeCount) > 100_000);
});
