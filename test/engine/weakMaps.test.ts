// WeakMaps as real programs use them (test/fixtures/eslintLinter.js): ESLint 9
// keeps each instance's Linter in a module-level `privateMembers` WeakMap, and
// the fixture keeps private state and an object-keyed cache the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureGraph, pathText } from './helpers/fixtureGraph';

test('ESLint\'s Linter is alive: reached through privateMembers\' entry keyed by the ESLint instance', async () => {
  const graph = await fixtureGraph('eslintLinter');
  const [linter] = graph.instances('Linter');
  const [eslint] = graph.instances('ESLint');
  assert.ok(linter.distance !== null, 'the Linter is reachable');
  const walk = graph.walk(linter.id);
  assert.match(pathText(walk), new RegExp(`privateMembers \\(node_modules/eslint/lib/eslint/eslint\\.js\\) --WeakMap entry keyed by ESLint @${eslint.id}--> Object --\\.linter--> Linter$`));
  // The key is the other condition: its half is in the walk, from the ESLint instance.
  const keyHalf = walk.edges.find((e) => e.ephemeron === 'key');
  assert.equal(keyHalf?.from, eslint.id);
  assert.equal(keyHalf?.label, 'key of WeakMap entry in privateMembers (node_modules/eslint/lib/eslint/eslint.js)');
});

test('no node of the ESLint heap is unreachable, and WeakMap values are one past the farther of key and map', async () => {
  const graph = await fixtureGraph('eslintLinter');
  let unreachable = 0;
  for (let ordinal = 1; ordinal < graph.nodeCount; ordinal++) {
    if (graph.details(graph.data.nodeIds[ordinal], 0).node.distance === null) unreachable++;
  }
  assert.equal(unreachable, 0);

  const [state] = graph.instances('AccountState');
  const walk = graph.walk(state.id);
  const halves = walk.edges.filter((e) => e.to === state.id && e.ephemeron);
  assert.equal(halves.length, 2, 'the key half and the map half');
  const distance = (id: number): number => walk.nodes.find((n) => n.id === id)!.distance!;
  const key = halves.find((e) => e.ephemeron === 'key')!.from;
  const map = halves.find((e) => e.ephemeron === 'map')!.from;
  // The map's half comes from its table, one past the map itself.
  assert.equal(state.distance, Math.max(distance(key), distance(map) + 1) + 1);
  assert.equal(walk.nodes.find((n) => n.id === map)?.label, 'secrets (eslintLinter.js)');
});

test('a value held only by a cache keyed by objects is retained by its key', async () => {
  const graph = await fixtureGraph('eslintLinter');
  graph.computeRetainedSizes();
  for (const parsed of graph.instances('ParsedRequest')) {
    const key = graph.dominatorOf(parsed.id)!;
    assert.equal(graph.details(key, 0).node.name, 'Object', 'dominated by its request object, not by the WeakMap');
    const walk = graph.walk(parsed.id);
    assert.ok(walk.edges.some((e) => e.to === parsed.id && e.label === `WeakMap entry keyed by Object @${key}`));
  }
});
