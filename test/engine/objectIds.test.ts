// A first snapshot's ids kept at ~1 bit each when dense, 2 bytes when far apart, read back in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AscendingIds, IdCursor } from '../../src/engine/growth/objectIds';

function readAll(ids: AscendingIds): number[] {
  const read: number[] = [];
  for (const cursor = new IdCursor(ids); cursor.index < ids.length; cursor.next()) read.push(cursor.id);
  return read;
}

test('ascending ids read back as written, across high halves, gaps of many and the top of the 32-bit range', () => {
  const ids = [1, 3, 0xffff, 0x10001, 0x1ffff, 0x7fff0001, 0x7fff0003, 0xfffffffd, 0xffffffff];
  const writer = AscendingIds.writer(ids.length, ids[ids.length - 1]);
  for (const id of ids) writer.push(id);
  const kept = writer.done();
  assert.equal(kept.lows?.byteLength, ids.length * 2, 'far apart: by halves');
  assert.deepEqual(readAll(kept), ids);
  const cursor = new IdCursor(kept);
  for (let i = 0; i < ids.length; i++) cursor.next();
  assert.equal(cursor.id, 2 ** 32, 'past the last id, above every id');
});

test('no ids, and ids all in one high half', () => {
  assert.deepEqual(readAll(AscendingIds.writer(0, 0).done()), []);
  assert.equal(new IdCursor(AscendingIds.writer(0, 99).done()).id, 2 ** 32);
  const writer = AscendingIds.writer(3, 0x50005);
  for (const id of [0x50001, 0x50003, 0x50005]) writer.push(id);
  assert.deepEqual(readAll(writer.done()), [0x50001, 0x50003, 0x50005]);
});

test('dense ids (a first snapshot numbers every live object in one run) take a bit each and read back as written', () => {
  const ids: number[] = [];
  // Every odd id from 1 with a few gaps, across word ends and bit 31 of a word, up to a high half beyond the first.
  for (let id = 1; id <= 0x30001; id += 2) if (id % 97 !== 0 && id !== 63 && id !== 65) ids.push(id);
  const writer = AscendingIds.writer(ids.length, ids[ids.length - 1]);
  for (const id of ids) writer.push(id);
  const kept = writer.done();
  assert.equal(kept.lows, null, 'dense: one bit an id');
  assert.ok(kept.byteLength <= Math.ceil(0x30001 / 64) * 4 && kept.byteLength < ids.length / 4, `${kept.byteLength} bytes for ${ids.length} ids`);
  assert.deepEqual(readAll(kept), ids);
  const cursor = new IdCursor(kept);
  for (let i = 0; i < ids.length; i++) cursor.next();
  assert.equal(cursor.id, 2 ** 32, 'past the last id, above every id');
  const edge = AscendingIds.writer(3, 0xffff_fffd);
  for (const id of [63, 0x7fff_ffff, 0xffff_fffd]) edge.push(id);
  assert.deepEqual(readAll(edge.done()), [63, 0x7fff_ffff, 0xffff_fffd], 'three ids far apart keep their halves');
});
