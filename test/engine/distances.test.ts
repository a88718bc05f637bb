// Distances cross-checked against an independent plain BFS (DevTools' two
// passes: user roots first) over the JSON.parse'd snapshot (no typed arrays, no shared code with the engine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HeapGraph } from '../../src/engine/index';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { fromJson, type RawSnapshot } from './helpers/fromJson';

function referenceDistances(raw: RawSnapshot): Map<number, number> {
  const meta = raw.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const idField = meta.node_fields.indexOf('id');
  const countField = meta.node_fields.indexOf('edge_count');
  const edgeTypes = meta.edge_types[0];
  const firstEdge: number[] = [];
  for (let n = 0, e = 0; n < raw.nodes.length / nodeFields; n++) {
    firstEdge.push(e);
    e += raw.nodes[n * nodeFields + countField] * edgeFields;
  }
  const nodeTypes = meta.node_types[0];
  const typeField = meta.node_fields.indexOf('type');
  const nameField = meta.node_fields.indexOf('name');
  // DevTools' rule, written from its description: weak edges never count; a
  // WeakMap value (two edges with one description, from its key and its
  // table) is one past the farther of the two; a NativeContext's
  // sloppy_function_map and the shared slots of (map descriptors) are skipped.
  const strongEdges = function* (n: number): Generator<{ to: number; pair: string | null }> {
    const count = raw.nodes[n * nodeFields + countField];
    const holderType = nodeTypes[raw.nodes[n * nodeFields + typeField]];
    const holderName = raw.strings[raw.nodes[n * nodeFields + nameField]];
    for (let i = 0; i < count; i++) {
      const at = firstEdge[n] + i * edgeFields;
      const type = edgeTypes[raw.edges[at]];
      if (type === 'weak') continue;
      const name = type === 'element' || type === 'hidden' ? String(raw.edges[at + 1]) : raw.strings[raw.edges[at + 1]];
      if (holderType === 'hidden' && holderName === 'system / NativeContext' && name === 'sloppy_function_map') continue;
      if (holderType === 'array' && holderName === '(map descriptors)' && Number.parseInt(name, 10) >= 2 && Number.parseInt(name, 10) % 3 === 1) continue;
      const pair = type === 'internal' ? /^\d+ (\/ part of key .* pair in WeakMap \(table @\d+\))$/.exec(name) : null;
      yield { to: raw.edges[at + 2] / nodeFields, pair: pair ? pair[1] : null };
    }
  };
  // DevTools' two passes: first from the user roots (the root's non-synthetic
  // children), then from the root for the rest; distances shown as hop counts.
  const distance = new Map<number, number>();
  const halvesSeen = new Set<string>();
  const bfs = (frontier: number[], from: number): void => {
    for (let d = from; frontier.length > 0; d++) {
      const next: number[] = [];
      for (const n of frontier) {
        for (const { to, pair } of strongEdges(n)) {
          if (distance.has(to)) continue;
          // The level that sees the second half is the farther holder's.
          if (pair !== null && !halvesSeen.has(pair)) {
            halvesSeen.add(pair);
            continue;
          }
          distance.set(to, d);
          next.push(to);
        }
      }
      frontier = next;
    }
  };
  const userRoots = [...strongEdges(0)].map(({ to }) => to).filter((n) => nodeTypes[raw.nodes[n * nodeFields + typeField]] !== 'synthetic');
  distance.set(0, 0);
  for (const n of userRoots) distance.set(n, 1);
  bfs(userRoots, 2);
  bfs([0], 1);
  return new Map([...distance].map(([ordinal, d]) => [raw.nodes[ordinal * nodeFields + idField], d]));
}

for (const name of ['staticMap', 'weak', 'eslintLinter']) {
  test(`distances on ${name} equal a plain BFS over the JSON`, async () => {
    const raw = JSON.parse(readFileSync(await fixtureSnapshot(name), 'utf8')) as RawSnapshot;
    const expected = referenceDistances(raw);
    const graph = HeapGraph.build(fromJson(raw));
    const ids = raw.nodes.filter((_, i) => i % raw.snapshot.meta.node_fields.length === raw.snapshot.meta.node_fields.indexOf('id'));
    let checked = 0;
    for (const id of ids) {
      const [node] = [graph.details(id).node];
      assert.equal(node.distance, expected.get(id) ?? null, `distance of @${id}`);
      checked++;
    }
    assert.equal(checked, graph.nodeCount);
    assert.ok(expected.size > 10_000);
  });
}
