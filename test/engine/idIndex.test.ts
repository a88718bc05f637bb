import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdIndex } from '../../src/engine/idIndex';

function check(ids: number[]): void {
  const index = new IdIndex(Uint32Array.from(ids));
  ids.forEach((id, ordinal) => assert.equal(index.ordinalOf(id), ordinal, `id ${id}`));
  for (const missing of [0, 2, 4, 999_999_999, -1, 1.5]) if (!ids.includes(missing)) assert.equal(index.ordinalOf(missing), -1);
  // A batch in ascending order, with repeats and ids that are not there, finds what one lookup at a time finds.
  const batch = [...ids, ...ids.slice(0, 50), 0, 2, 4, 6, 999_999_999].sort((a, b) => a - b);
  assert.deepEqual([...index.ordinalsOfAscending(batch)], batch.map((id) => index.ordinalOf(id)));
}

test('ascending ids with large native ids in between and at the end', () => {
  check([1, 3, 5, 317361024, 7, 9, 11, 317362144, 317491648, 13, 15, 400000001, 400000003]);
});

test('descending and shuffled ids fall back without losing any', () => {
  check(Array.from({ length: 30_000 }, (_, i) => 2 * (30_000 - i) + 1));
  const shuffled = Array.from({ length: 5_000 }, (_, i) => 2 * i + 1).sort(() => Math.random() - 0.5);
  check(shuffled);
});

test('a later snapshot of one process, old ids interleaved with new ones, is indexed in full', () => {
  // GC moves old objects among new ones: many short ascending runs, ids above 2^16.
  const ids: number[] = [];
  for (let run = 0; run < 3_000; run++) for (let k = 0; k < 5; k++) ids.push(2 * (run * 7919 % 3_000) * 5 + 2 * k + 200_001);
  check(ids);
  const index = new IdIndex(Uint32Array.from(ids));
  const sorted = [...index.ordinalsById].map((ordinal) => ids[ordinal]);
  assert.deepEqual(sorted, [...ids].sort((a, b) => a - b));
});

test('ids in no order, across the whole 32-bit range, are radix sorted in full', () => {
  // Deterministic scatter: too many outliers for the one-pass merge, high halves of every size.
  const ids = Array.from({ length: 40_000 }, (_, i) => ((i * 2_654_435_761) % 2_147_483_647) * 2 + 1).filter((id) => id < 2 ** 32);
  check(ids);
  const index = new IdIndex(Uint32Array.from(ids));
  assert.deepEqual([...index.ordinalsById].map((ordinal) => ids[ordinal]), [...ids].sort((a, b) => a - b));
});

test('a nearly ordered snapshot: its few outliers merge into the run at the front, between and at the end', () => {
  const cases = [
    [9, 11, 13, 1, 15, 17, 19, 21],
    [1, 3, 999, 5, 7, 9, 11],
    [1, 3, 5, 7, 9, 2, 11, 13],
    [500, 1, 3, 5, 7, 9, 11, 13, 400],
    [7, 1, 3, 5],
  ];
  for (const ids of cases) {
    check(ids);
    const index = new IdIndex(Uint32Array.from(ids));
    assert.deepEqual([...index.ordinalsById].map((ordinal) => ids[ordinal]), [...ids].sort((a, b) => a - b), ids.join(','));
  }
});
