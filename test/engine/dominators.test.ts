// Dominators and retained sizes: tiny graphs with known dominator trees, and
// real snapshots cross-checked against an independent reference (Cooper,
// Harvey & Kennedy's iterative data-flow algorithm over the JSON.parse'd
// snapshot with DevTools' edge rule, itself checked by "remove the node, see
// what becomes unreachable"). test/devtools checks against DevTools' own code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HeapGraph } from '../../src/engine/index';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { fromJson, SnapshotBuilder, type RawSnapshot } from './helpers/fromJson';
import { seededRandom } from './helpers/tangledGraphs';
import { fixtureGraph, nodeByLabel } from './helpers/fixtureGraph';
import { computeDominators } from '../../src/engine/dominators';
import { findEphemerons, typeCodes } from '../../src/engine/edgeTypes';
import { IdIndex } from '../../src/engine/idIndex';
import { computeShallowSizes } from '../../src/engine/shallowSizes';

/** Nodes `keys`, each of self size 2^i (so a retained size names exactly which nodes it sums), plus strong property edges. */
function tinyGraph(keys: string[], edges: [string, string][], weakEdges: [string, string][] = []): { graph: HeapGraph; builder: SnapshotBuilder; size: (...keys: string[]) => number } {
  const builder = new SnapshotBuilder();
  const sizes = new Map<string, number>([['root', 0]]);
  keys.forEach((key, i) => {
    builder.node(key, 'object', key.toUpperCase(), 2 ** i);
    sizes.set(key, 2 ** i);
  });
  for (const [from, to] of edges) builder.edge(from, 'property', `${from}_${to}`, to);
  for (const [from, to] of weakEdges) builder.edge(from, 'weak', `${from}_${to}`, to);
  const graph = HeapGraph.build(builder.build());
  return { graph, builder, size: (...ks) => ks.reduce((sum, k) => sum + (sizes.get(k) ?? NaN), 0) };
}

function check(t: ReturnType<typeof tinyGraph>, expected: Record<string, { dominator: string | null; retains: string[] }>): void {
  const { graph, builder, size } = t;
  assert.equal(graph.details(builder.idOf('a')).node.retainedSize, null, 'no retained sizes before computeRetainedSizes');
  graph.computeRetainedSizes();
  for (const [key, { dominator, retains }] of Object.entries(expected)) {
    const id = builder.idOf(key);
    assert.equal(graph.dominatorOf(id), dominator === null ? null : dominator === 'root' ? graph.data.nodeIds[0] : builder.idOf(dominator), `dominator of ${key}`);
    assert.equal(graph.details(id).node.retainedSize, size(key, ...retains), `retained size of ${key}`);
  }
}

test('chain: each node retains everything below it', () => {
  check(tinyGraph(['a', 'b', 'c'], [['root', 'a'], ['a', 'b'], ['b', 'c']]), {
    a: { dominator: 'root', retains: ['b', 'c'] },
    b: { dominator: 'a', retains: ['c'] },
    c: { dominator: 'b', retains: [] },
  });
});

test('diamond: the join is dominated by the fork, not by either side', () => {
  check(tinyGraph(['a', 'b', 'c', 'd'], [['root', 'a'], ['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]), {
    a: { dominator: 'root', retains: ['b', 'c', 'd'] },
    b: { dominator: 'a', retains: [] },
    c: { dominator: 'a', retains: [] },
    d: { dominator: 'a', retains: [] },
  });
});

test('cycle: the node the cycle is entered through retains it', () => {
  check(tinyGraph(['a', 'b', 'c'], [['root', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'c'], ['c', 'b']]), {
    a: { dominator: 'root', retains: ['b', 'c'] },
    b: { dominator: 'a', retains: ['c'] },
    c: { dominator: 'b', retains: [] },
  });
});

test('a node reachable only through a weak edge hangs under the root (as in DevTools) and retains what only it holds', () => {
  check(tinyGraph(['a', 'w', 'x'], [['root', 'a'], ['w', 'x']], [['a', 'w']]), {
    a: { dominator: 'root', retains: [] },
    w: { dominator: 'root', retains: ['x'] },
    x: { dominator: 'w', retains: [] },
  });
});

test('nodes held only by one another hang under the root, each retaining itself, as in DevTools', () => {
  // Numbered one by one (no DFS reaches them), z's semidominator is x, whose bucket no child of x ever empties.
  check(tinyGraph(['a', 'x', 'y', 'z'], [['root', 'a'], ['x', 'z'], ['y', 'z'], ['z', 'x'], ['z', 'y']]), {
    a: { dominator: 'root', retains: [] },
    x: { dominator: 'root', retains: [] },
    y: { dominator: 'root', retains: [] },
    z: { dominator: 'root', retains: [] },
  });
});

test('a node nothing retains but itself hangs under the root and retains what only it reaches, as in DevTools (which drops self edges)', () => {
  check(tinyGraph(['a', 'x', 'y', 'z'], [['root', 'a'], ['x', 'x'], ['x', 'y'], ['y', 'z'], ['z', 'y'], ['a', 'a']]), {
    a: { dominator: 'root', retains: [] },
    x: { dominator: 'root', retains: ['y', 'z'] },
    y: { dominator: 'x', retains: ['z'] },
    z: { dominator: 'y', retains: [] },
  });
});

test('an edge from nodes held only by one another into a reachable node is one of its retainers (numbered without a DFS, scanned after it)', () => {
  check(tinyGraph(['a', 'b', 'x', 'y'], [['root', 'a'], ['a', 'b'], ['x', 'b'], ['x', 'y'], ['y', 'x']]), {
    a: { dominator: 'root', retains: ['b'] },
    b: { dominator: 'a', retains: [] },
    x: { dominator: 'root', retains: [] },
    y: { dominator: 'root', retains: [] },
  });
});

test('the Lengauer–Tarjan paper example (1979, Fig. 1), R being the root', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
  const r = 'root';
  const edges: [string, string][] = [
    [r, 'a'], [r, 'b'], [r, 'c'], ['a', 'd'], ['b', 'a'], ['b', 'd'], ['b', 'e'], ['c', 'f'], ['c', 'g'], ['d', 'l'], ['e', 'h'],
    ['f', 'i'], ['g', 'i'], ['g', 'j'], ['h', 'e'], ['h', 'k'], ['i', 'k'], ['j', 'i'], ['k', 'i'], ['k', r], ['l', 'h'],
  ];
  const t = tinyGraph(keys, edges);
  check(t, {
    a: { dominator: r, retains: [] },
    b: { dominator: r, retains: [] },
    c: { dominator: r, retains: ['f', 'g', 'j'] },
    d: { dominator: r, retains: ['l'] },
    e: { dominator: r, retains: [] },
    f: { dominator: 'c', retains: [] },
    g: { dominator: 'c', retains: ['j'] },
    h: { dominator: r, retains: [] },
    i: { dominator: r, retains: [] },
    j: { dominator: 'g', retains: [] },
    k: { dominator: r, retains: [] },
    l: { dominator: 'd', retains: [] },
  });
  assert.equal(t.graph.details(t.graph.data.nodeIds[0]).node.retainedSize, t.graph.data.nodeSelfSizes[0] + t.size(...keys), 'the root retains every reachable node');
});

test('random tangled heaps: every dominator equals the reference, nodes no root reaches included', () => {
  // Some nodes the root holds, some held by nothing (each hung under the root with what it reaches), some held
  // only by one another (numbered without a DFS), weak and self edges, edges from the unreached into the reached.
  const random = seededRandom(7);
  for (let round = 0; round < 300; round++) {
    const count = 5 + random(40);
    const b = new SnapshotBuilder();
    for (let i = 0; i < count; i++) b.node(`n${i}`, 'object', `N${i}`);
    for (let i = 1 + random(3); i > 0; i--) b.edge('root', 'property', `r${i}`, `n${random(count)}`);
    for (let i = random(3 * count); i > 0; i--) b.edge(`n${random(count)}`, random(8) === 0 ? 'weak' : 'property', `p${i}`, `n${random(count)}`);
    const raw = b.raw();
    const { idom } = referenceDominators(retainingSuccessors(raw).successors);
    const graph = HeapGraph.build(fromJson(raw));
    graph.computeRetainedSizes();
    const ids = graph.data.nodeIds;
    for (let n = 1; n <= count; n++) {
      // Not reached even from the nodes nothing holds: held only by one another, hung under the root.
      const expected = ids[idom[n] === -1 ? 0 : idom[n]];
      assert.equal(graph.dominatorOf(ids[n]), expected, `round ${round}: dominator of n${n - 1} in ${JSON.stringify(raw.edges)}`);
    }
  }
});

test('rows of predecessors are built all at once up to 6 retaining edges a node, in windows above, and the trees are the same', () => {
  const random = seededRandom(11);
  const windowsOf = (edgesPerNode: number): number => {
    const count = 2000;
    const b = new SnapshotBuilder();
    for (let i = 0; i < count; i++) b.node(`n${i}`, 'object', 'N');
    b.edge('root', 'property', 'first', 'n0');
    for (let i = 1; i < count; i++) b.edge(`n${random(i)}`, 'property', `t${i}`, `n${i}`);
    for (let i = count * (edgesPerNode - 1); i > 0; i--) b.edge(`n${random(count)}`, 'property', `p${i}`, `n${random(count)}`);
    const data = b.build();
    const codes = typeCodes(data);
    const tree = computeDominators(data, codes, findEphemerons(data, codes, new IdIndex(data.nodeIds)), computeShallowSizes(data, codes), null);
    const { idom } = referenceDominators(retainingSuccessors(b.raw()).successors);
    for (let n = 1; n <= count; n++) assert.equal(tree.dominators[n], idom[n], `${edgesPerNode} edges a node: dominator of n${n - 1}`);
    return tree.windows?.count ?? 0;
  };
  assert.equal(windowsOf(5), 1, 'five retaining edges a node: one window');
  assert.ok(windowsOf(8) > 1, 'eight: windows');
});

/**
 * The snapshot as plain arrays: retaining successors per node ordinal, by
 * DevTools' rule written from its description (not `weak`; not a WeakMap
 * entry's half from its table; not a self edge; from anything but the root,
 * not a `shortcut` nor an edge from a node the global object does not reach
 * into one it does), plus an edge from the root to each node nothing else
 * retains; and shallow sizes (stores reached from one owner only, through
 * stores, counted in the owner's size).
 */
function retainingSuccessors(raw: RawSnapshot): { successors: number[][]; selfSizes: number[]; ids: number[] } {
  const meta = raw.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const countField = meta.node_fields.indexOf('edge_count');
  const sizeField = meta.node_fields.indexOf('self_size');
  const idField = meta.node_fields.indexOf('id');
  const typeField = meta.node_fields.indexOf('type');
  const nameField = meta.node_fields.indexOf('name');
  const edgeTypes = meta.edge_types[0];
  const nodeTypes = meta.node_types[0];
  const nodeCount = raw.nodes.length / nodeFields;
  const ids: number[] = [];
  const edges: { type: string; name: string; to: number }[][] = [];
  let at = 0;
  for (let n = 0; n < nodeCount; n++) {
    ids.push(raw.nodes[n * nodeFields + idField]);
    const list = [];
    for (let i = 0; i < raw.nodes[n * nodeFields + countField]; i++, at += edgeFields) {
      const type = edgeTypes[raw.edges[at]];
      list.push({ type, name: type === 'element' || type === 'hidden' ? String(raw.edges[at + 1]) : raw.strings[raw.edges[at + 1]], to: raw.edges[at + 2] / nodeFields });
    }
    edges.push(list);
  }
  const typeOf = (n: number): string => nodeTypes[raw.nodes[n * nodeFields + typeField]];
  // Page objects: what the root's shortcut children reach over non-weak edges.
  const page = new Set<number>(edges[0].filter((e) => e.type === 'shortcut').map((e) => e.to));
  for (let stack = [...page]; stack.length > 0; ) {
    for (const e of edges[stack.pop()!]) {
      if (e.type !== 'weak' && !page.has(e.to)) {
        page.add(e.to);
        stack.push(e.to);
      }
    }
  }
  const successors = edges.map((list, from) =>
    list
      .filter((e) => {
        if (e.type === 'weak' || e.to === from) return false;
        if (from !== 0 && (e.type === 'shortcut' || (page.has(e.to) && !page.has(from)))) return false;
        const table = e.type === 'internal' ? / pair in WeakMap \(table @(\d+)\)$/.exec(e.name) : null;
        return !(table && /^\d+ \/ part of key/.test(e.name) && Number(table[1]) === ids[from]);
      })
      .map((e) => e.to),
  );
  const retained = new Array<boolean>(nodeCount).fill(false);
  successors.forEach((list) => list.forEach((to) => (retained[to] = true)));
  for (let n = 1; n < nodeCount; n++) if (!retained[n]) successors[0].push(n);

  // Shallow sizes: per store (array, hidden, ExternalStringData), the set of owners reaching it through stores only.
  const selfSizes = Array.from({ length: nodeCount }, (_, n) => raw.nodes[n * nodeFields + sizeField]);
  const isStore = (n: number): boolean => typeOf(n) === 'array' || typeOf(n) === 'hidden' || (typeOf(n) === 'native' && raw.strings[raw.nodes[n * nodeFields + nameField]] === 'system / ExternalStringData');
  const owners = new Map<number, Set<number>>();
  for (let owner = 0; owner < nodeCount; owner++) {
    if (isStore(owner)) continue;
    const seen = new Set<number>();
    for (let stack = [owner]; stack.length > 0; ) {
      for (const e of edges[stack.pop()!]) {
        if (e.type === 'weak' || !isStore(e.to) || seen.has(e.to)) continue;
        seen.add(e.to);
        stack.push(e.to);
      }
    }
    for (const store of seen) owners.set(store, (owners.get(store) ?? new Set()).add(owner));
  }
  const raws = [...selfSizes];
  for (const [store, set] of owners) {
    const [owner] = set;
    if (set.size !== 1 || owner === 0 || typeOf(owner) === 'synthetic') continue;
    selfSizes[owner] += raws[store];
    selfSizes[store] = 0;
  }
  return { successors, selfSizes, ids };
}

/** Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm" (2001): idom per ordinal (-1 when unreachable). */
function referenceDominators(successors: number[][]): { idom: number[]; postorder: number[] } {
  const n = successors.length;
  const postNumber = new Array<number>(n).fill(-1);
  const postorder: number[] = [];
  const seen = new Array<boolean>(n).fill(false);
  const stack: [number, number][] = [[0, 0]];
  seen[0] = true;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const next = successors[top[0]][top[1]++];
    if (next === undefined) {
      stack.pop();
      postNumber[top[0]] = postorder.length;
      postorder.push(top[0]);
    } else if (!seen[next]) {
      seen[next] = true;
      stack.push([next, 0]);
    }
  }
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  successors.forEach((list, from) => seen[from] && list.forEach((to) => predecessors[to].push(from)));
  const idom = new Array<number>(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (postNumber[a] < postNumber[b]) a = idom[a];
      while (postNumber[b] < postNumber[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = postorder.length - 2; i >= 0; i--) {
      const node = postorder[i];
      let candidate = -1;
      for (const p of predecessors[node]) {
        if (idom[p] === -1) continue;
        candidate = candidate === -1 ? p : intersect(p, candidate);
      }
      if (idom[node] !== candidate) {
        idom[node] = candidate;
        changed = true;
      }
    }
  }
  idom[0] = -1;
  return { idom, postorder };
}

/** Bytes that become unreachable when `removed` goes (BFS from the root that never enters it). */
function freedByRemoving(successors: number[][], selfSizes: number[], removed: number, reachable: boolean[]): number {
  const seen = new Array<boolean>(successors.length).fill(false);
  seen[0] = true;
  seen[removed] = true;
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    for (const to of successors[queue[head]]) {
      if (!seen[to]) {
        seen[to] = true;
        queue.push(to);
      }
    }
  }
  let freed = selfSizes[removed];
  for (let n = 0; n < successors.length; n++) if (reachable[n] && !seen[n] && n !== removed) freed += selfSizes[n];
  return freed;
}

async function fixtureReference(name: string): Promise<{ raw: RawSnapshot; successors: number[][]; selfSizes: number[]; ids: number[]; idom: number[]; postorder: number[]; retained: number[] }> {
  const raw = JSON.parse(readFileSync(await fixtureSnapshot(name), 'utf8')) as RawSnapshot;
  const { successors, selfSizes, ids } = retainingSuccessors(raw);
  const { idom, postorder } = referenceDominators(successors);
  const retained = [...selfSizes];
  for (const node of postorder) if (node !== 0) retained[idom[node]] += retained[node];
  return { raw, successors, selfSizes, ids, idom, postorder, retained };
}

// `weak` and `eslintLinter` have WeakMap values (dominated by their keys) and WeakRef targets.
for (const name of ['staticMap', 'weak', 'eslintLinter']) {
  test(`on the ${name} snapshot every dominator and retained size equals an independent reference`, async () => {
    const { raw, successors, selfSizes, ids, idom, postorder, retained } = await fixtureReference(name);

    const graph = HeapGraph.build(fromJson(raw));
    const phases: [string, number, number][] = [];
    graph.computeRetainedSizes((phase, done, total) => phases.push([phase, done, total]));
    assert.ok(phases.length > 0 && phases.every(([phase]) => phase === 'dominators'));
    const [, lastDone, lastTotal] = phases[phases.length - 1];
    assert.equal(lastDone, lastTotal, 'progress ends at 100 %');

    assert.equal(postorder.length, ids.length, 'every node hangs under the root');
    for (let n = 0; n < ids.length; n++) {
      const expectedDominator = idom[n] === -1 ? null : ids[idom[n]];
      assert.equal(graph.dominatorOf(ids[n]), expectedDominator, `dominator of @${ids[n]}`);
      const { node } = graph.details(ids[n], 0);
      assert.equal(node.selfSize, selfSizes[n], `shallow size of @${ids[n]}`);
      assert.equal(node.retainedSize, retained[n], `retained size of @${ids[n]}`);
    }
    assert.ok(selfSizes.some((size, n) => size !== raw.nodes[n * raw.snapshot.meta.node_fields.length + raw.snapshot.meta.node_fields.indexOf('self_size')]), 'some stores moved to their owners');

    // The reference itself, by the definition, on a sample spread over the heap.
    const reachable = new Array<boolean>(ids.length).fill(false);
    for (const node of postorder) reachable[node] = true;
    for (let i = 0; i < postorder.length; i += Math.floor(postorder.length / 40)) {
      const node = postorder[i];
      if (node === 0) continue;
      assert.equal(freedByRemoving(successors, selfSizes, node, reachable), retained[node], `removing @${ids[node]}`);
    }
  });
}

test('Processor.instanceMap retains at least every ResourceLoader it holds, and walks carry retained sizes', async () => {
  const raw = JSON.parse(readFileSync(await fixtureSnapshot('staticMap'), 'utf8')) as RawSnapshot;
  const graph = HeapGraph.build(fromJson(raw));
  const loaders = graph.instances('ResourceLoader');
  assert.equal(loaders.length, 5);
  assert.equal(graph.walk(loaders[0].id).nodes[0].retainedSize, null);

  graph.computeRetainedSizes();
  const walk = graph.walk(loaders[0].id);
  assert.ok(walk.nodes.every((n) => n.retainedSize !== null && n.retainedSize >= n.selfSize), 'every walked node has a retained size ≥ its self size');
  const map = nodeByLabel(walk, 'Processor.instanceMap');
  const loaderRetained = graph.instances('ResourceLoader').map((n) => n.retainedSize ?? 0);
  const sum = loaderRetained.reduce((a, b) => a + b, 0);
  // Each loader's 1000-slot array is its own: a loader retains far more than its self size.
  assert.ok(loaderRetained.every((size) => size > 8000), `loader retained sizes: ${loaderRetained.join(', ')}`);
  assert.ok((map.retainedSize ?? 0) >= sum, `instanceMap retains ${map.retainedSize} bytes, loaders ${sum}`);
});

test('class retained size counts nested instances once (a linked list retains its head\'s retained size)', () => {
  const builder = new SnapshotBuilder();
  builder.node('a', 'object', 'ListNode', 1).node('b', 'object', 'ListNode', 2).node('c', 'object', 'ListNode', 4).node('x', 'object', 'Payload', 8).node('y', 'object', 'Payload', 16);
  builder.edge('root', 'property', 'head', 'a').edge('a', 'property', 'next', 'b').edge('b', 'property', 'next', 'c').edge('c', 'property', 'value', 'x');
  builder.edge('root', 'property', 'other', 'y');
  const graph = HeapGraph.build(builder.build());
  assert.equal(graph.classes().find((c) => c.name === 'ListNode')?.retainedSize, undefined, 'no class retained size before computeRetainedSizes');
  graph.computeRetainedSizes();
  const rows = graph.classes();
  assert.equal(rows.find((c) => c.name === 'ListNode')?.retainedSize, 1 + 2 + 4 + 8);
  assert.equal(rows.find((c) => c.name === 'Payload')?.retainedSize, 8 + 16);
});

test('on the staticMap snapshot class retained sizes equal the reference (topmost instances\' retained sizes)', async () => {
  const { raw, ids, idom, retained } = await fixtureReference('staticMap');
  const graph = HeapGraph.build(fromJson(raw));
  graph.computeRetainedSizes();
  const ordinalOfId = new Map(ids.map((id, ordinal) => [id, ordinal]));
  const rows = graph.classes();
  for (const row of rows.slice(0, 40)) {
    const members = new Set(graph.instances(row.name).map((n) => ordinalOfId.get(n.id) ?? -1));
    let expected = 0;
    for (const member of members) {
      let above = idom[member];
      while (above > 0 && !members.has(above)) above = idom[above];
      if (above <= 0 || !members.has(above)) expected += retained[member];
    }
    assert.equal(row.retainedSize, expected, `class ${row.name}`);
  }
  const loaders = rows.find((c) => c.name === 'ResourceLoader');
  const processors = rows.find((c) => c.name === 'Processor');
  assert.ok(loaders?.retainedSize && processors?.retainedSize && processors.retainedSize >= loaders.retainedSize, 'Processors retain their loaders');
});

test('a WeakMap value is dominated by its key, not by the WeakMap (DevTools keeps key → value, drops table → value)', async () => {
  const raw = JSON.parse(readFileSync(await fixtureSnapshot('weak'), 'utf8')) as RawSnapshot;
  const graph = HeapGraph.build(fromJson(raw));
  graph.computeRetainedSizes();
  const [only] = graph.instances('OnlyInWeakMap');
  const [key] = graph.instances('WeakKey');
  assert.ok(only && key, 'the fixture has an OnlyInWeakMap and its WeakKey');
  assert.equal(graph.dominatorOf(only.id), key.id);
  assert.ok((graph.details(key.id).node.retainedSize ?? 0) >= key.selfSize + only.selfSize, 'the key retains the value');
  // The strongly held WeakMapValue is retained through weakThings, never through the WeakMap.
  const [value] = graph.instances('WeakMapValue');
  const dominator = graph.dominatorOf(value.id);
  assert.ok(dominator !== null && graph.details(dominator, 0).node.name !== 'WeakMap', `dominated by ${dominator}`);
});

test('page objects taken from the distances\' first pass, and edge counts from the retainer rows, give the same tree as searching the graph and counting', async () => {
  // ESLint's WeakMaps and a Map-heavy heap: entries whose first half the first pass skipped, filtered descriptor slots,
  // and every kind of edge that does not retain (weak, shortcut, self, into page objects, a WeakMap table's half).
  for (const name of ['eslintLinter', 'staticMap'] as const) {
    const graph = await fixtureGraph(name);
    graph.computeRetainedSizes();
    const fromFirstPass = graph.nodeFigures();
    const { data } = graph;
    const codes = typeCodes(data);
    const searched = computeDominators(data, codes, findEphemerons(data, codes, new IdIndex(data.nodeIds)), computeShallowSizes(data, codes), null);
    assert.deepEqual(fromFirstPass.dominators, searched.dominators, `${name}: dominators`);
    assert.deepEqual(fromFirstPass.retainedSizes, searched.retainedSizes, `${name}: retained sizes`);
  }
});

test('a WeakMap value the global object reaches only through its table is a page object, so a key only the GC roots hold does not retain it', () => {
  const b = new SnapshotBuilder();
  b.node('gcRoots', 'synthetic', '(GC roots)', 0).node('global', 'object', 'global', 8).node('map', 'object', 'WeakMap', 8);
  b.node('table', 'object', 'system / EphemeronHashTable', 8).node('key', 'object', 'Key', 8).node('value', 'object', 'Value', 8).node('data', 'object', 'Data', 8);
  const pair = `part of key (Key @${b.idOf('key')}) -> value (Value @${b.idOf('value')}) pair in WeakMap (table @${b.idOf('table')})`;
  b.edge('root', 'element', 1, 'gcRoots').edge('root', 'shortcut', 'global', 'global');
  b.edge('global', 'property', 'cache', 'map').edge('map', 'internal', 'table', 'table');
  b.edge('gcRoots', 'element', 1, 'key');
  b.edge('table', 'internal', `1 / ${pair}`, 'value').edge('key', 'internal', `2 / ${pair}`, 'value');
  b.edge('value', 'property', 'data', 'data');
  const graph = HeapGraph.build(b.build());
  graph.computeRetainedSizes();
  // DevTools: the value is a page object (the table reaches it); the key is not, and an edge from a
  // non-page object into a page object does not retain; the table's half never does.
  assert.equal(graph.dominatorOf(b.idOf('value')), b.idOf('root'));
  assert.equal(graph.dominatorOf(b.idOf('data')), b.idOf('value'));
});
