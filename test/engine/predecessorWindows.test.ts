// The windows of predecessor rows a dominator tree is built in (one scan of
// every edge each): as few as the cap allows, of about equal size, covering
// every row but the root's once, a row larger than the share on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planWindows } from '../../src/engine/predecessorWindows';

/** Row ends as rowEndsInPreorder leaves them: row w holds counts[w] predecessors. */
function rowEnds(counts: number[]): Uint32Array {
  let sum = 0;
  return Uint32Array.from(counts, (count) => (sum += count));
}

function assertCovers(plan: ReturnType<typeof planWindows>, ends: Uint32Array): void {
  let high = ends.length;
  for (const window of plan) {
    assert.equal(window.high, high, 'windows follow one another from the top');
    assert.ok(window.low >= 1 && window.low < window.high, 'never the root\'s row, never empty');
    assert.equal(window.base, ends[window.low - 1]);
    assert.equal(window.size, ends[window.high - 1] - window.base);
    high = window.low;
  }
  assert.equal(high, 1, 'every row but the root\'s');
}

test('rows that fit in the cap are one window', () => {
  const ends = rowEnds([0, 3, 1, 2, 4]);
  const plan = planWindows(ends, ends.length, 100);
  assert.deepEqual(plan, [{ low: 1, high: 5, base: 0, size: 10 }]);
});

test('more rows than the cap are split into as few windows as it allows, of about equal size', () => {
  const ends = rowEnds([2, ...Array.from({ length: 1000 }, () => 3)]);
  const plan = planWindows(ends, ends.length, 1100);
  assertCovers(plan, ends);
  assert.equal(plan.length, 3);
  // Filled greedily up to the cap, the last window would hold 3000 - 2 × 1098 = 804.
  for (const window of plan) assert.ok(window.size >= 996 && window.size <= 1004, `window of ${window.size}`);
});

test('a row larger than the cap is a window of its own', () => {
  const ends = rowEnds([0, 5, 5, 5000, 5, 5, 5, 5]);
  const plan = planWindows(ends, ends.length, 1000);
  assertCovers(plan, ends);
  assert.deepEqual(plan.map(({ low, high }) => [low, high]), [[4, 8], [3, 4], [1, 3]], 'the rows below it are one window again');
});

test('a heap of the root alone has no window', () => {
  assert.deepEqual(planWindows(rowEnds([4]), 1, 10), []);
});
