// The class list (DevTools' summary view) on a real heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureGraph } from './helpers/fixtureGraph';
import { writeRealSnapshot } from './parserSnapshots';
import { HeapGraph, SnapshotParser } from '../../src/engine/index';

function parseSnapshot(bytes: Buffer) {
  const parser = new SnapshotParser();
  parser.write(bytes);
  return parser.end();
}

test('classes group instances by constructor and add up self sizes', async () => {
  const graph = await fixtureGraph('staticMap');
  const classes = graph.classes();
  const row = (name: string) => classes.find((c) => c.name === name);
  assert.equal(row('Processor')?.count, 5);
  assert.equal(row('ResourceLoader')?.count, 5);
  assert.ok((row('(string)')?.count ?? 0) > 1000);
  assert.ok(row('(closure)') && row('(compiled code)') && row('(system)'));
  // As in DevTools' summary, a store counted in its owner's shallow size is no instance of its own; no byte is lost.
  let v8Total = 0;
  for (const size of graph.data.nodeSelfSizes) v8Total += size;
  assert.equal(classes.reduce((sum, c) => sum + c.selfSize, 0), v8Total, 'the shallow sizes add up to the V8 self sizes');
  const counted = classes.reduce((sum, c) => sum + c.count, 0);
  assert.ok(counted < graph.nodeCount - 1 && counted > graph.nodeCount / 2, `${counted} instances of ${graph.nodeCount - 1} nodes`);
  for (let i = 1; i < classes.length; i++) assert.ok(classes[i - 1].selfSize >= classes[i].selfSize, 'largest first');
  const loaders = graph.instances('ResourceLoader');
  assert.equal(loaders.length, 5);
  assert.ok(loaders.every((n) => n.name === 'ResourceLoader' && n.distance !== null));
  assert.deepEqual(graph.instances('ResourceLoader', 2).map((n) => n.id), loaders.slice(0, 2).map((n) => n.id));
  assert.deepEqual(graph.instances('NoSuchClass'), []);
});

test('a heap with more classes than 16 bits count keeps every node\'s class row (classOf widens from 8 to 16 to 32 bits)', async () => {
  const program = `globalThis.keep = Array.from({ length: 66000 }, (_, i) => { const C = eval('(class Kind' + i + ' {})'); return new C(); });`;
  const graph = HeapGraph.build(parseSnapshot(readFileSync(writeRealSnapshot('manyClasses', program))));
  const { rows, names, classOf } = graph.classIndex();
  assert.ok(rows.length > 0xffff, `${rows.length} classes`);
  assert.ok(classOf instanceof Uint32Array, 'widened');
  const countOf = new Map<number, number>();
  for (let ordinal = 0; ordinal < classOf.length; ordinal++) countOf.set(classOf[ordinal], (countOf.get(classOf[ordinal]) ?? 0) + 1);
  for (const i of [0, 1, 253, 254, 255, 256, 65534, 65535, 65999]) {
    const row = names.indexOf(`Kind${i}`);
    assert.ok(row >= 0, `Kind${i} is a class`);
    assert.equal(countOf.get(row), 1, `one Kind${i}`);
  }
  rows.forEach((row, i) => assert.equal(countOf.get(i), row.count, row.name));

  const few = await fixtureGraph('staticMap');
  assert.ok(few.classIndex().classOf instanceof Uint8Array, 'a byte a node on a usual heap');
  const some = HeapGraph.build(parseSnapshot(readFileSync(writeRealSnapshot('someClasses', program.replace('66000', '400')))));
  const index = some.classIndex();
  assert.ok(index.classOf instanceof Uint16Array && index.rows.length < 0xffff, `${index.rows.length} classes: two bytes a node`);
  const rowCounts = new Uint32Array(index.rows.length + 1);
  for (const row of index.classOf) rowCounts[row]++;
  index.rows.forEach((row, i) => assert.equal(rowCounts[i], row.count, row.name));
});

test('an instance of a class is a real instance before the prototype V8 counts with it', async () => {
  const graph = await fixtureGraph('prototypes');
  // DevTools counts URL.prototype as a URL; so does the class list.
  assert.equal(graph.classes().find((c) => c.name === 'URL')?.count, 2);
  const [first, second] = graph.instances('URL');
  assert.equal(graph.instanceHint(first.id).via, 'globalThis.pool.endpoints[0]');
  assert.equal(graph.instanceHint(second.id).via, 'globalThis.URL.prototype');
  assert.ok(first.distance! > second.distance!, 'the prototype is nearer the root, and still second');
  // A live count of URLs counts what inherits from URL.prototype, not from the prototype's own prototype.
  assert.equal(graph.prototypeIdOfClass('URL'), second.id);
});
