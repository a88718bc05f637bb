// The memory chart's readings (src/extension/live/heapSeries.ts), in plain
// Node: an hour at one reading a second stays a few hundred points, the old
// part folded into min/max buckets that keep every peak and trough, paused
// spans open and close, and pinned counts are kept per class.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BUCKET_MS, HeapSeries, MAX_BUCKETS, RECENT_MS } from '../../src/extension/live/heapSeries';

test('an hour of readings keeps the last minutes whole and folds the rest into min/max buckets', () => {
  const series = new HeapSeries();
  const start = 1_000_000;
  for (let s = 0; s < 3600; s++) series.add({ at: start + s * 1000, used: s === 1200 ? 999 : 100 + (s % 7), total: 1000 });
  const json = series.toJSON('demo', 'running');
  assert.equal(json.recent.length, RECENT_MS / 1000 + 1, 'the last ten minutes, every reading');
  assert.equal(json.older.length, Math.ceil((3600 - json.recent.length) / (BUCKET_MS / 1000)));
  assert.ok(json.recent.length + json.older.length < 800, 'small enough to post every second');
  assert.ok(json.older.some((bucket) => bucket.usedMax === 999), 'a spike survives folding');
  assert.ok(json.older.every((bucket) => bucket.usedMin === 100), 'and so do the troughs');
  assert.equal(json.older[0].from, start);
});

test('many hours: buckets merge pairwise so there are never more than MAX_BUCKETS', () => {
  const series = new HeapSeries();
  for (let s = 0; s < 12 * 3600; s += 5) series.add({ at: s * 1000, used: s, total: s + 1 });
  const { older, recent } = series.toJSON('demo', 'running');
  assert.ok(older.length <= MAX_BUCKETS + 1, `${older.length} buckets`);
  assert.equal(older[0].usedMin, 0);
  assert.ok(older.every((bucket, i) => i === 0 || bucket.from > older[i - 1].to), 'in order, not overlapping');
  assert.ok(recent[0].at > older.at(-1)!.to);
});

test('pauses open and close a span; pinned classes keep their counts', () => {
  const series = new HeapSeries();
  series.pause(10);
  series.pause(11);
  assert.equal(series.isPaused, true);
  series.resume(20);
  series.pin('ResourceLoader');
  series.count('ResourceLoader', 30, 4);
  series.count('NotPinned', 30, 1);
  series.countFailed('ResourceLoader', 'gone');
  const json = series.toJSON('demo', 'paused');
  assert.deepEqual(json.paused, [{ from: 10, to: 20 }]);
  assert.deepEqual(json.pinned, [{ className: 'ResourceLoader', points: [{ at: 30, count: 4 }], error: 'gone' }]);
  series.unpin('ResourceLoader');
  assert.deepEqual(series.toJSON('demo', 'running').pinned, []);
});
