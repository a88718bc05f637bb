// Native nodes whose embedder says "detached" are named as DevTools names
// them ("Detached <name>", spread to the native nodes they hold), and are
// classes of their own. Node 20 says so of its weakly held native objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HeapGraph } from '../../src/engine/index';
import { fixtureRuntimes, fixtureSnapshot } from '../fixtures/snapshot';
import { SnapshotBuilder, fromJson, type RawSnapshot } from './helpers/fromJson';
import { DetachednessCollector } from '../../src/engine/detachedness';

test('DevTools rule: attached spreads first, detached then, through native nodes only', () => {
  const b = new SnapshotBuilder()
    .node('gone', 'native', 'Node / Gone', 16, 2)
    .node('held', 'native', 'Node / Held')
    .node('shared', 'native', 'Node / Shared')
    .node('live', 'native', 'Node / Live', 16, 1)
    .node('wrapper', 'object', 'Wrapper')
    .node('behindWrapper', 'native', 'Node / BehindWrapper')
    .node('behindHidden', 'native', 'Node / BehindHidden')
    .edge('root', 'element', 1, 'gone')
    .edge('root', 'element', 2, 'live')
    .edge('gone', 'internal', 'a', 'held')
    .edge('gone', 'internal', 'b', 'shared')
    .edge('gone', 'internal', 'c', 'wrapper')
    .edge('gone', 'hidden', 1, 'behindHidden')
    .edge('live', 'internal', 'a', 'shared')
    .edge('wrapper', 'internal', 'a', 'behindWrapper');
  const graph = HeapGraph.build(b.build());
  const names = Object.fromEntries(graph.classes().map((c) => [c.name, c.count]));
  assert.deepEqual(names['Detached Node / Gone'], 1);
  assert.deepEqual(names['Detached Node / Held'], 1);
  // Reached from an attached node first; JavaScript does not pass a state on; hidden edges do not either.
  assert.deepEqual(['Node / Shared', 'Node / Live', 'Wrapper', 'Node / BehindWrapper', 'Node / BehindHidden'].map((n) => names[n]), [1, 1, 1, 1, 1]);
  assert.ok(!('Node / Gone' in names));
  assert.deepEqual(graph.instances('Detached Node / Held').map((n) => [n.id, n.name]), [[b.idOf('held'), 'Detached Node / Held']]);
  assert.deepEqual(graph.instances('Node / Shared').map((n) => n.id), [b.idOf('shared')]);
});

for (const { name, node } of fixtureRuntimes()) {
  test(`what this Node writes: every native node it marks detached is a "Detached …" class (${name})`, { skip: node === null ? `${name} is not provisioned (.vscode-test/)` : false }, async () => {
    const raw = JSON.parse(readFileSync(await fixtureSnapshot('esModules', node!), 'utf8')) as RawSnapshot;
    const graph = HeapGraph.build(fromJson(raw));
    const fields = raw.snapshot.meta.node_fields;
    const width = fields.length;
    const marked: number[] = [];
    for (let i = 0; i < raw.nodes.length; i += width) if (raw.nodes[i + fields.indexOf('detachedness')] === 2) marked.push(raw.nodes[i + fields.indexOf('id')]);
    const detachedClasses = graph.classes().filter((c) => c.name.startsWith('Detached '));
    if (marked.length === 0) {
      // Node 24: nothing is marked, nothing is renamed.
      assert.deepEqual(detachedClasses, []);
      return;
    }
    for (const id of marked) assert.match(graph.details(id).node.name, /^Detached Node \//);
    assert.ok(detachedClasses.some((c) => c.name === 'Detached Node / ModuleWrap'), detachedClasses.map((c) => c.name).join());
    assert.ok(detachedClasses.reduce((sum, c) => sum + c.count, 0) >= marked.length);
  });
}

test('the parser keeps only the nodes with a state, in order; records it reads again replace what they gave', () => {
  const collector = new DetachednessCollector();
  for (let ordinal = 0; ordinal < 200; ordinal += 2) collector.add(ordinal, ordinal % 4 === 0 ? 1 : 2);
  // The parser widens the self sizes and reads the batch from ordinal 150 again.
  for (let ordinal = 150; ordinal < 160; ordinal += 2) collector.add(ordinal, 2);
  const { ordinals, states } = collector.list();
  assert.deepEqual(Array.from(ordinals), Array.from({ length: 80 }, (_, i) => i * 2));
  assert.deepEqual(Array.from(states.subarray(0, 4)), [1, 2, 1, 2]);
  assert.deepEqual(Array.from(states.subarray(75)), [2, 2, 2, 2, 2]);
  assert.equal(new DetachednessCollector().list().ordinals.length, 0);
});
