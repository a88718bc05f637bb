// What an object holds (objgraph's show_refs): the mirror of the retainer
// walk, on tiny graphs built in code and on the static-map story's real heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapGraph } from '../../src/engine/index';
import { formatWalk } from '../../src/engine/format/index';
import { SnapshotBuilder } from './helpers/fromJson';
import { fixtureGraph, nodeByLabel } from './helpers/fixtureGraph';
import { ReplayedEdges, seededRandom, tangledGraph } from './helpers/tangledGraphs';

/** root → global; global.holder → H; H holds A, B, C by property, its hidden class, and a prototype. */
function holderHeap(): { graph: HeapGraph; id: (key: string) => number } {
  const b = new SnapshotBuilder()
    .node('global', 'object', 'global')
    .node('H', 'object', 'Holder')
    .node('A', 'object', 'A')
    .node('B', 'object', 'B')
    .node('C', 'object', 'C')
    .node('D', 'object', 'D')
    .node('map', 'hidden', 'system / Map')
    .node('proto', 'object', 'Object')
    .node('protoChild', 'object', 'Shared')
    .edge('root', 'shortcut', '1', 'global')
    .edge('global', 'property', 'holder', 'H')
    .edge('H', 'internal', 'map', 'map')
    .edge('H', 'property', '__proto__', 'proto')
    .edge('H', 'property', 'a', 'A')
    .edge('H', 'property', 'b', 'B')
    .edge('H', 'property', 'c', 'C')
    .edge('A', 'property', 'd', 'D')
    .edge('proto', 'property', 'shared', 'protoChild');
  return { graph: HeapGraph.build(b.build()), id: (key) => b.idOf(key) };
}

test('references are walked down from the target, holder above held, the fan-out cut counted', () => {
  const { graph, id } = holderHeap();
  const walk = graph.references(id('H'), { fanOut: 2 });
  assert.equal(walk.direction, 'references');
  assert.deepEqual(walk.edges.filter((e) => e.from === id('H')).map((e) => [e.label, e.to]), [['.a', id('A')], ['.b', id('B')]]);
  // .c did not fit in fan-out 2; the hidden class and the prototype are plumbing and shared structure, counted apart.
  assert.deepEqual(walk.truncated.find((t) => t.id === id('H')), { id: id('H'), hidden: 1, by: 'fan-out' });
  assert.deepEqual(walk.filtered, [{ id: id('H'), weak: 0, internal: 2 }]);
  assert.deepEqual(walk.edges.filter((e) => e.from === id('A')).map((e) => e.label), ['.d']);
  assert.equal(walk.nodes.find((n) => n.id === id('D'))?.level, 2);
  assert.deepEqual(walk.shortestPath, { nodes: [], edges: [] });
});

test('on tangled graphs, a reference is marked as a cycle exactly when what it leads to already held its holder, as in the retainer walk', () => {
  // Replays the walk's edges in order: an edge closes a cycle when the object it leads to holds
  // its holder through the edges drawn before it (not only when it is an ancestor in the walk's tree).
  const random = seededRandom(11);
  let notAncestors = 0;
  for (let round = 0; round < 20; round++) {
    const { graph, start } = tangledGraph(random);
    const walk = graph.references(start, { depth: 100, fanOut: 100 });
    const replayed = new ReplayedEdges();
    const parent = new Map<number, number>();
    const isTreeAncestor = (ancestor: number, node: number): boolean => {
      for (let at: number | undefined = node; at !== undefined; at = parent.get(at)) if (at === ancestor) return true;
      return false;
    };
    let cycles = 0;
    for (const edge of walk.edges) {
      const expected = replayed.holdsThrough(edge.to, edge.from);
      assert.equal(edge.cycle ?? false, expected, `round ${round}: ${edge.from} → ${edge.to}`);
      if (expected) cycles++;
      if (expected && !isTreeAncestor(edge.to, edge.from)) notAncestors++;
      if (edge.to !== walk.target && !parent.has(edge.to)) parent.set(edge.to, edge.from);
      replayed.add(edge.from, edge.to);
    }
    assert.ok(cycles > 0, `round ${round} has cycles to mark`);
  }
  assert.ok(notAncestors > 0, 'some cycles close through edges off the walk\'s tree');
});

test('depth limits the references walk, and what it did not open is counted', () => {
  const { graph, id } = holderHeap();
  const walk = graph.references(id('H'), { depth: 1 });
  assert.ok(!walk.nodes.some((n) => n.id === id('D')));
  assert.deepEqual(walk.truncated.find((t) => t.id === id('A')), { id: id('A'), hidden: 1, by: 'depth' });
  // A raised fan-out on A opens it past the depth.
  const raised = graph.references(id('H'), { depth: 1, fanOutOverrides: { [id('A')]: 10 } });
  assert.ok(raised.edges.some((e) => e.from === id('A') && e.to === id('D')));
});

test('a prototype is shared structure, not what the object owns: left out with the internals, and when shown drawn last and not walked into', () => {
  const { graph, id } = holderHeap();
  const walk = graph.references(id('H'), {});
  assert.deepEqual(walk.edges.filter((e) => e.from === id('H')).map((e) => e.label), ['.a', '.b', '.c']);
  const all = graph.references(id('H'), { includeInternals: true });
  assert.deepEqual(all.edges.filter((e) => e.from === id('H')).map((e) => e.label), ['[[map]]', '.a', '.b', '.c', '.__proto__']);
  assert.ok(!all.nodes.some((n) => n.id === id('protoChild')));
  assert.deepEqual(all.truncated.find((t) => t.id === id('proto')), { id: id('proto'), hidden: 1, by: 'stop' });
  assert.equal(all.filtered, undefined);
});

test('Processor.instanceMap holds its entries, read from the Map: get("bot3") → Processor → its ResourceLoader', async () => {
  const graph = await fixtureGraph('staticMap');
  const [loader] = graph.instances('ResourceLoader', 1);
  const map = nodeByLabel(graph.walk(loader.id), 'Processor.instanceMap');
  const walk = graph.references(map.id, { depth: 2, fanOut: 10 });
  const held = walk.edges.filter((e) => e.from === map.id);
  // Entries in insertion order.
  assert.deepEqual(held.map((e) => e.label), ['get("bot1")', 'get("bot2")', 'get("bot3")', 'get("bot4")', 'get("bot5")']);
  const entries = held.slice(0, 5);
  for (const entry of entries) assert.equal(walk.nodes.find((n) => n.id === entry.to)?.name, 'Processor');
  const bot3 = entries[2].to;
  assert.deepEqual(
    walk.edges.filter((e) => e.from === bot3).map((e) => e.label).slice(0, 2),
    ['.name', '.loader'],
  );
  const text = formatWalk(walk, 'text');
  assert.match(text, /^What Processor\.instanceMap \(Map @\d+\) holds/);
  assert.match(text, /├─ get\("bot3"\) → Processor @\d+\n│  ├─ \.name → "bot3"/);
  const dot = formatWalk(walk, 'dot');
  const cut = walk.truncated[0];
  assert.ok(dot.includes(`n${cut.id} -> more${cut.id}`), '"+N more" hangs below the node in a references walk');
});
