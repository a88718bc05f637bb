// Where an object comes from, on real heaps: V8 gives an object its
// constructor's position but names only functions' scripts, so the script's
// name is found through any function of the same script id; and what Node.js
// itself made (its timer lists) is told from what the program made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureProgram } from '../fixtures/snapshot';
import { fixtureGraph } from './helpers/fixtureGraph';

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
}

test('an object names the file and line of its class, as a function does', async () => {
  const graph = await fixtureGraph('staticMap');
  const [loader] = graph.instances('ResourceLoader', 1);
  const walk = graph.walk(loader.id);
  const processor = walk.nodes.find((n) => n.name === 'Processor' && n.type === 'object');
  const program = fixtureProgram('staticMap');
  assert.equal(processor?.location?.url, program, 'a plain Processor object names its script');
  // V8 places a class at its constructor.
  assert.equal(processor?.location?.line, lineOf(program, 'constructor(name)'));
  const target = walk.nodes.find((n) => n.id === walk.target);
  assert.equal(target?.location?.url, program);
  assert.equal(target?.location?.line, lineOf(program, 'constructor(app)'));
  assert.ok(!walk.nodes.some((n) => n.runtime), 'nothing here was made by Node.js itself');
});

test('timer lists and Node\'s own module scopes are runtime plumbing; the program\'s closure is not', async () => {
  const graph = await fixtureGraph('interval');
  const [target] = graph.instances('LeakTarget', 1);
  const walk = graph.walk(target.id);
  const byName = (name: string) => walk.nodes.find((n) => n.name === name);
  assert.equal(byName('Timeout')?.runtime, true);
  assert.equal(byName('Timeout')?.location?.url, 'node:internal/timers');
  assert.equal(byName('poll')?.runtime, undefined, 'the program\'s own function');
  assert.ok(walk.nodes.some((n) => n.label.startsWith('module scope of node:') && n.runtime), walk.nodes.map((n) => n.label).join(' | '));
});

test('each instance of a class says what tells it apart: the named chain that holds it, and its first string field', async () => {
  const graph = await fixtureGraph('staticMap');
  const hints = graph.instances('ResourceLoader').map((n) => graph.instanceHint(n.id));
  assert.deepEqual(
    hints.map((h) => h.via).sort(),
    [1, 2, 3, 4, 5].map((i) => `Processor.instanceMap.get("bot${i}").loader`),
  );
  assert.deepEqual(hints.map((h) => h.field).sort(), [1, 2, 3, 4, 5].map((i) => `app: "bot${i}"`));
});
