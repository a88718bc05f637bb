// Which objects growth counts as collections and how many entries it sees,
// on a real snapshot holding one of each shape.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Collections } from '../../src/engine/collections';
import { accessPathOf } from '../../src/engine/accessPath';
import type { HeapGraph } from '../../src/engine/index';
import { fixtureGraph } from './helpers/fixtureGraph';

let graph: HeapGraph;
let collections: Collections;
/** The node `globalThis.shapes[name]` points at. */
let shape: (name: string) => number;

before(async () => {
  graph = await fixtureGraph('collections');
  const { walk } = graph.analysisContext();
  collections = new Collections(graph.data, walk.core.codes);
  const holder = graph.ordinalOf(graph.instances('Object').find((node) => node.label === 'globalThis.shapes')!.id);
  shape = (name) => walk.core.findEdgeTarget(holder, walk.core.codes.edgeProperty, name);
});

test('Maps, Sets and arrays count the entries that hold a heap object', () => {
  const entries = (name: string) => collections.shape(shape(name))?.entries;
  assert.equal(entries('objectMap'), 3);
  assert.equal(entries('stringKeys'), 3, 'string keys are heap objects');
  assert.equal(entries('smallIntegers'), 0, 'a snapshot records no small integers');
  assert.equal(entries('set'), 2);
  assert.equal(entries('array'), 5);
  assert.equal(entries('empty'), 0, 'an empty array is still a collection');
  assert.equal(entries('churned'), 4, 'deleted entries are not counted (newer V8 writes them as edges to the hole)');
  assert.equal(entries('holey'), 2, 'nor are holes');
});

test('objects V8 turned into dictionaries are collections; plain objects and WeakMaps are not', () => {
  const of = (name: string) => {
    const found = collections.shape(shape(name));
    return found && { entries: found.entries, dictionary: found.dictionary };
  };
  assert.deepEqual(of('dynamic'), { entries: 200, dictionary: true });
  assert.deepEqual(of('trimmed'), { entries: 2, dictionary: true }, 'a delete makes a dictionary');
  assert.deepEqual(of('nullPrototype'), { entries: 2, dictionary: true });
  assert.equal(of('plain'), null);
  assert.equal(of('weak'), null);
});

test('what each entry holds: Map values, Set keys, elements', () => {
  const held = (name: string) => {
    const names: string[] = [];
    collections.forEachEntryTarget(shape(name), (target) => names.push(graph.analysisContext().walk.core.names.className(target)));
    return names.sort();
  };
  assert.deepEqual(held('objectMap'), ['Entry', 'Entry', 'Entry']);
  assert.deepEqual(held('set'), ['Entry', 'Entry']);
  assert.deepEqual(held('array'), ['Entry', 'Entry', 'Entry', 'Entry', 'Entry']);
  assert.equal(held('dynamic').length, 200);
});

test('a collection is named the way code reaches it; keys of a dictionary in brackets', () => {
  const { walk } = graph.analysisContext();
  assert.equal(accessPathOf(walk, collections, shape('objectMap')), 'globalThis.shapes.objectMap');
  const sessions = walk.core.findEdgeTarget(shape('byId'), walk.core.codes.edgeProperty, 'sessions');
  assert.equal(accessPathOf(walk, collections, sessions), 'globalThis.shapes.dynamic');
  const first = walk.core.findEdgeTarget(shape('dynamic'), walk.core.codes.edgeProperty, 'key0');
  assert.equal(accessPathOf(walk, collections, first), 'globalThis.shapes.dynamic["key0"]');
});
