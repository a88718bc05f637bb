// The view graph derived from a walk: filters, "+N more", shortest path, cycles, collapse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildViewGraph, COLLAPSED_BUDGET, COLLAPSE_THRESHOLD, type ObjectViewNode } from '../../webview/model';
import { isMoreKey, moreKey, nodeKey } from '../../webview/nodeKeys';
import { shortestPathText } from '../../webview/pathText';
import { handWalk, storyWalk, syntheticWalk } from './walks';

const defaults = { hideDebugger: true, showInternals: false };
const objects = (nodes: ReturnType<typeof buildViewGraph>['nodes']) => nodes.filter((n): n is ObjectViewNode => n.kind === 'object');

test('debugger-only retainers are hidden by default and shown when asked', () => {
  const walk = handWalk();
  const hidden = buildViewGraph(walk, defaults);
  assert.ok(!objects(hidden.nodes).some((n) => n.node.rootKind === 'debugger'));
  const shown = buildViewGraph(walk, { ...defaults, hideDebugger: false });
  const debuggerNode = objects(shown.nodes).find((n) => n.node.rootKind === 'debugger');
  assert.equal(debuggerNode?.node.label, 'DevTools console: $0');
  assert.ok(shown.edges.some((e) => e.from === debuggerNode?.key && e.label === '$0'));
});

test('a cut node gets a "+N more" node above it, and the cycle edge is marked', () => {
  const graph = buildViewGraph(handWalk(), defaults);
  const more = graph.nodes.find((n) => n.kind === 'more');
  assert.deepEqual(more && { forId: more.forId, hiddenByWalk: more.hiddenByWalk }, { forId: 4001, hiddenByWalk: 12 });
  assert.equal(more?.key, moreKey(4001));
  assert.ok(graph.edges.some((e) => e.from === more?.key && e.to === nodeKey(4001)));
  const cycles = graph.edges.filter((e) => e.cycle);
  assert.deepEqual(cycles.map((e) => e.label), ['.jobs']);
});

test('the shortest path is marked on nodes and edges, root first in the copied text', () => {
  const walk = handWalk();
  const graph = buildViewGraph(walk, defaults);
  assert.deepEqual(objects(graph.nodes).filter((n) => n.onPath).map((n) => n.node.id).sort(), [1001, 2001, 3001, 4001, 5001]);
  assert.deepEqual(graph.edges.filter((e) => e.onPath).map((e) => e.label).sort(), ['.instanceMap', '.loader', 'Processor', 'get("bot3")']);
  assert.equal(
    shortestPathText(walk),
    ['module scope of lib/processor.js (system / Context) @1001', '  Processor → class Processor (Processor) @2001', '  .instanceMap → Processor.instanceMap (Map) @3001', '  get("bot3") → Processor @4001', '  .loader → ResourceLoader @5001'].join('\n'),
  );
});

test('hidden V8 internals are spliced out: their holder points straight at what they held', () => {
  const walk = handWalk();
  const context = walk.nodes.find((n) => n.id === 4202);
  assert.ok(context);
  context.internal = true;
  const graph = buildViewGraph(walk, defaults);
  assert.ok(!graph.nodes.some((n) => n.key === nodeKey(4202)));
  const spliced = graph.edges.find((e) => e.from === nodeKey(4201) && e.to === nodeKey(5001));
  assert.equal(spliced?.label, 'context › closure: loader');
  const shown = buildViewGraph(walk, { ...defaults, showInternals: true });
  assert.ok(shown.nodes.some((n) => n.key === nodeKey(4202)));
});

test(`past ${COLLAPSE_THRESHOLD} nodes the view keeps the path and the nearest levels, the rest behind "+N more"`, () => {
  const walk = syntheticWalk(5000);
  const graph = buildViewGraph(walk, { ...defaults, showInternals: true });
  const kept = objects(graph.nodes);
  assert.ok(kept.length <= COLLAPSED_BUDGET + walk.shortestPath.nodes.length, `kept ${kept.length}`);
  assert.equal(graph.collapsedCount, 5000 - kept.length);
  for (const id of walk.shortestPath.nodes) assert.ok(kept.some((n) => n.node.id === id), `path node ${id} kept`);
  const hiddenByView = graph.nodes.reduce((sum, n) => sum + (n.kind === 'more' ? n.hiddenByView : 0), 0);
  assert.ok(hiddenByView > 0);
  // Expanding a collapsed node shows all its retainers.
  const more = graph.nodes.find((n) => n.kind === 'more' && n.hiddenByView > 0);
  assert.ok(more && more.kind === 'more');
  const expanded = buildViewGraph(walk, { ...defaults, showInternals: true }, new Set([more.forId]));
  const retainers = walk.edges.filter((e) => e.to === more.forId).map((e) => nodeKey(e.from));
  for (const key of retainers) assert.ok(expanded.nodes.some((n) => n.key === key), `${key} shown after expand`);
});

test('the engine walk of the static-map story draws its roots by kind', async () => {
  const { walk } = await storyWalk();
  const graph = buildViewGraph(walk, defaults);
  const roles = new Map(objects(graph.nodes).map((n) => [n.node.label, n.role]));
  assert.equal(roles.get('Processor.instanceMap'), 'static-map');
  assert.equal(roles.get('ResourceLoader'), 'target');
  assert.ok([...roles.values()].includes('global'), `roles: ${JSON.stringify([...roles])}`);
});

test('node keys tell "+N more" nodes from objects', () => {
  assert.equal(isMoreKey(moreKey(4001)), true);
  assert.equal(isMoreKey(nodeKey(4001)), false);
  assert.notEqual(moreKey(1), nodeKey(1));
});
