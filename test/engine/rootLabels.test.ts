// The user stories on real Node heaps: every fixture program builds a leak,
// snapshots itself, and the walk must name the root the way the code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeapGraph } from '../../src/engine/index';
import type { Walk } from '../../src/protocol/walk';
import { formatWalkText } from '../../src/engine/format/index';
import { edgeLabelsInto, fixtureGraph, nodeByLabel, pathText } from './helpers/fixtureGraph';

function firstInstance(graph: HeapGraph, className: string): number {
  const [instance] = graph.instances(className, 1);
  assert.ok(instance, `no ${className} in the snapshot`);
  return instance.id;
}

test('class-static Map: Processor.instanceMap is a static-map root, entries read get("bot3")', async () => {
  const graph = await fixtureGraph('staticMap');
  const walks = graph.instances('ResourceLoader').map((loader) => graph.walk(loader.id));
  assert.equal(walks.length, 5);
  const walk = walks.find((w) => w.edges.some((e) => e.label === 'get("bot3")'));
  assert.ok(walk, 'no walk passes through get("bot3")');

  const map = nodeByLabel(walk, 'Processor.instanceMap');
  assert.equal(map.rootKind, 'static-map');
  assert.equal(map.name, 'Map');
  const processor = walk.nodes.find((n) => n.name === 'Processor' && n.type === 'object')!;
  assert.deepEqual(edgeLabelsInto(walk, processor.id), ['get("bot3")']);
  assert.deepEqual(edgeLabelsInto(walk, walk.target), ['.loader']);
  // The class constructor owns the map, and the walk stops there.
  const owner = walk.edges.find((e) => e.to === map.id)!;
  assert.equal(owner.label, '.instanceMap');
  const ownerNode = walk.nodes.find((n) => n.id === owner.from)!;
  assert.equal(ownerNode.type, 'closure');
  assert.equal(ownerNode.name, 'Processor');
  // Its other retainers are a stop, not a depth or fan-out cut: only a walk from it shows them.
  assert.equal(walk.truncated.find((cut) => cut.id === ownerNode.id)?.by, 'stop');
  assert.match(formatWalkText(walk), new RegExp(`\\+\\d+ more retainers?: walk from @${ownerNode.id} to see (it|them)\\n`));
  assert.match(pathText(walk), /Processor --\.instanceMap--> Processor\.instanceMap --get\("bot3"\)--> Processor --\.loader--> ResourceLoader$/);

  // Walking the map itself: it is the target now, so the walk goes on past its owner.
  const mapWalk = graph.walk(map.id);
  assert.deepEqual(edgeLabelsInto(mapWalk, map.id), ['.instanceMap']);
  assert.ok(mapWalk.edges.some((e) => e.to === owner.from), 'the class is walked further');
});

test('global cache: globalThis.appCache', async () => {
  const graph = await fixtureGraph('globalCache');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  const cache = nodeByLabel(walk, 'globalThis.appCache');
  assert.equal(cache.rootKind, 'global');
  assert.equal(nodeByLabel(walk, 'globalThis').rootKind, 'global');
  assert.equal(pathText(walk), 'globalThis --.appCache--> globalThis.appCache --.sessions--> Array --[0]--> LeakTarget');
  // V8 also holds a global's value in a PropertyCell of the global object's dictionary: the same binding, not one more retainer.
  assert.deepEqual(walk.truncated.filter((cut) => cut.id === cache.id), [], 'nothing more holds globalThis.appCache');
  assert.equal(walk.filtered?.find((row) => row.id === cache.id)?.internal, 1, 'its PropertyCell counts among the V8 internals');
  const withInternals = graph.walk(cache.id, { includeInternals: true });
  assert.deepEqual(edgeLabelsInto(withInternals, cache.id).sort(), ['.appCache', '[[value]]'], 'shown with the V8 internals');
});

test('process is a global: process.bus, not a property of some Node internal module', async () => {
  const graph = await fixtureGraph('globalCache');
  const walk = graph.walk(firstInstance(graph, 'BusListener'));
  assert.equal(nodeByLabel(walk, 'process').rootKind, 'global');
  assert.equal(nodeByLabel(walk, 'process.bus').rootKind, 'global');
  assert.equal(pathText(walk), 'process --.bus--> process.bus --.listeners--> Array --[0]--> BusListener');
});

test('module-level Map in lib/registry.js: module scope and static-map', async () => {
  const graph = await fixtureGraph('moduleMap');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  const map = nodeByLabel(walk, 'handlers (lib/registry.js)');
  assert.equal(map.rootKind, 'static-map');
  const scope = nodeByLabel(walk, 'module scope of lib/registry.js');
  assert.equal(scope.rootKind, 'module');
  assert.equal(scope.name, 'system / Context');
  assert.deepEqual(edgeLabelsInto(walk, map.id), ['handlers']);
  const entries = edgeLabelsInto(walk, walk.target);
  assert.ok(entries.includes('get("orders")') || entries.includes('get("users")'), entries.join());
  assert.match(pathText(walk), /module scope of lib\/registry\.js --handlers--> handlers \(lib\/registry\.js\) --get\("(orders|users)"\)--> LeakTarget$/);
});

test('closure capture and a listener on a long-lived EventEmitter: closure: big', async () => {
  const graph = await fixtureGraph('closure');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  // The scope is subscribe's (which made it), not onTick's (which uses it).
  const scope = nodeByLabel(walk, 'closure scope of subscribe');
  assert.equal(scope.rootKind, 'closure');
  assert.deepEqual(edgeLabelsInto(walk, walk.target), ['closure: big']);
  assert.match(pathText(walk), /EventEmitter --\._events--> Object --\.tick--> onTick --scope--> closure scope of subscribe --closure: big--> LeakTarget$/);
  // The emitter is a module-level binding of the fixture.
  assert.equal(nodeByLabel(walk, 'module scope of closure.js').rootKind, 'module');
});

test('a const captured in a loop body is named from its block scope: closure: loopValue', async () => {
  const graph = await fixtureGraph('closure');
  const walk = graph.walk(firstInstance(graph, 'LoopTarget'));
  assert.deepEqual(edgeLabelsInto(walk, walk.target), ['closure: loopValue']);
  assert.equal(nodeByLabel(walk, 'block scope in closure.js top-level code').rootKind, 'closure');
});

test('setInterval closure: the timer keeps poll, poll keeps big', async () => {
  const graph = await fixtureGraph('interval');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  assert.match(pathText(walk), /Timeout --\._onTimeout--> poll --scope--> closure scope of startPolling --closure: big--> LeakTarget$/);
});

test('a WeakMap entry retains its value together with its key; a WeakRef never retains', async () => {
  const graph = await fixtureGraph('weak');
  const key = firstInstance(graph, 'WeakKey');
  const valueWalk = graph.walk(firstInstance(graph, 'WeakMapValue'));
  const labels = edgeLabelsInto(valueWalk, valueWalk.target);
  assert.equal(labels.length, 3, labels.join(' | '));
  assert.ok(labels.includes('.strongValue'));
  assert.ok(labels.includes(`WeakMap entry keyed by WeakKey @${key}`), labels.join(' | '));
  assert.ok(labels.some((label) => /^key of WeakMap entry in WeakMap @\d+$/.test(label)), labels.join(' | '));
  const withWeak = graph.walk(valueWalk.target, { includeWeak: true });
  assert.ok(withWeak.edges.some((e) => e.to === valueWalk.target && e.type === 'weak'), 'includeWeak adds the table\'s weak slot');

  const refWalk = graph.walk(firstInstance(graph, 'WeakRefTarget'));
  assert.deepEqual(edgeLabelsInto(refWalk, refWalk.target), ['.refTarget']);

  // Held by nothing but a WeakMap entry whose key and map are both alive: alive,
  // one past the farther of the two, reached through the map's entry.
  const [onlyWeak] = graph.instances('OnlyInWeakMap');
  const keyDistance = graph.details(key, 0).node.distance!;
  const walk = graph.walk(onlyWeak.id);
  assert.match(pathText(walk), new RegExp(`globalThis --\\.onlyWeak--> globalThis\\.onlyWeak --\\.wm2--> WeakMap --WeakMap entry keyed by WeakKey @${key}--> OnlyInWeakMap$`));
  const mapDistance = walk.nodes.find((n) => n.name === 'WeakMap')!.distance!;
  assert.equal(onlyWeak.distance, Math.max(keyDistance, mapDistance + 1) + 1, 'max(key, table behind the map) + 1');
  assert.ok(walk.edges.some((e) => e.from === key && e.to === onlyWeak.id && e.ephemeron === 'key'), 'the key half is drawn too');
});

test('a cycle terminates and its closing edge is marked', async () => {
  const graph = await fixtureGraph('cycle');
  const walk = graph.walk(firstInstance(graph, 'CycleB'), { depth: 20 });
  const a = walk.nodes.find((n) => n.name === 'CycleA')!;
  const closing = walk.edges.filter((e) => e.cycle);
  assert.deepEqual(closing.map((e) => [e.from, e.to, e.label]), [[walk.target, a.id, '.peer']]);
  assert.equal(pathText(walk), 'globalThis --.cycleHolder--> globalThis.cycleHolder --.a--> CycleA --.peer--> CycleB');
});

test('fan-out of 1,000 holders: 10 shown, "+990 more", raised per node', async () => {
  const graph = await fixtureGraph('fanOut');
  const target = firstInstance(graph, 'LeakTarget');
  const walk = graph.walk(target, { fanOut: 10 });
  assert.equal(edgeLabelsInto(walk, target).length, 10);
  assert.deepEqual(walk.truncated.find((t) => t.id === target), { id: target, hidden: 990, by: 'fan-out' });
  assert.equal(walk.nodes.find((n) => n.id === target)!.retainerCount, 1000);
  const raised = graph.walk(target, { fanOut: 10, fanOutOverrides: { [target]: 25 } });
  assert.equal(edgeLabelsInto(raised, target).length, 25);
  assert.deepEqual(raised.truncated.find((t) => t.id === target), { id: target, hidden: 975, by: 'fan-out' });
  const wide = graph.walk(target, { fanOut: 600 });
  assert.equal(edgeLabelsInto(wide, target).length, 600);
  assert.deepEqual(wide.truncated.find((t) => t.id === target), { id: target, hidden: 400, by: 'fan-out' });
  const details = graph.details(target, 50);
  assert.equal(details.retainers.length, 50);
  assert.equal(details.totalRetainers, 1000);
});

test('60-link chain: depth 8 walk, shortest path in full (60 edges)', async () => {
  const graph = await fixtureGraph('longChain');
  const walk: Walk = graph.walk(firstInstance(graph, 'LeakTarget'), { depth: 8 });
  assert.equal(walk.shortestPath.edges.length, 60);
  assert.equal(walk.shortestPath.nodes.length, 61);
  assert.match(pathText(walk), /^globalThis --\.chainHead--> globalThis\.chainHead --\.next--> Link/);
  // The walk itself stops at depth 8; only the path's own nodes lie beyond.
  const walkedBeyond = walk.nodes.filter((n) => n.level > 8 && !walk.shortestPath.nodes.includes(n.id));
  assert.deepEqual(walkedBeyond, []);
  assert.equal(walk.nodes.length, 61);
});

test('ES module: a top-level Map in an .mjs file', async () => {
  const graph = await fixtureGraph('esModule');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  assert.equal(nodeByLabel(walk, 'cache (esModule.mjs)').rootKind, 'static-map');
  assert.equal(nodeByLabel(walk, 'module scope of esModule.mjs').rootKind, 'module');
  assert.match(pathText(walk), /module scope of esModule\.mjs --cache--> cache \(esModule\.mjs\) --get\("esm-key"\)--> LeakTarget$/);
});

test('functions carry their source location and script url', async () => {
  const graph = await fixtureGraph('closure');
  const walk = graph.walk(firstInstance(graph, 'LeakTarget'));
  const onTick = walk.nodes.find((n) => n.name === 'onTick')!;
  assert.ok(onTick.location, 'onTick has a location');
  assert.match(onTick.location.url ?? '', /fixtures\/closure\.js$/);
  assert.equal(onTick.location.line, 15);
});

test('ignoring a Map entry (as the webview sends it back) re-walks without it', async () => {
  const graph = await fixtureGraph('staticMap');
  const loader = graph.instances('ResourceLoader').find((n) => graph.walk(n.id).edges.some((e) => e.label === 'get("bot3")'))!;
  const walk = graph.walk(loader.id);
  const entry = walk.edges.find((e) => e.label === 'get("bot3")')!;
  const without = graph.walk(loader.id, { ignoredEdges: [{ from: entry.from, to: entry.to, name: entry.name }] });
  // The map was bot3's only owner: with that entry ignored nothing retains the loader.
  assert.equal(without.nodes[0].distance, null);
  assert.deepEqual(without.shortestPath, { nodes: [], edges: [] });
  // Other loaders are unaffected.
  const other = graph.instances('ResourceLoader').find((n) => n.id !== loader.id)!;
  assert.notEqual(graph.walk(other.id, { ignoredEdges: [{ from: entry.from, to: entry.to, name: entry.name }] }).nodes[0].distance, null);
});
