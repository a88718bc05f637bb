// A first snapshot's ids kept at 2 bytes each, read back in order.
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
  assert.equal(kept.lows.byteLength, ids.length * 2);
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
