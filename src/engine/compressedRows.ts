/**
 * The middle pass of building compressed sparse rows or of a counting sort,
 * as the retainer rows, the dominator tree's children, the id order and the
 * source locations' order are built: each row's count, then its end (the sum
 * of the counts up to it), so a fill going backwards leaves each cursor at
 * its row's start.
 *
 * Each pass of such a build is a function of its own: V8 optimises a long
 * first call's loop while it runs, and code after that loop, which had not
 * run yet, throws the optimised code away (a deoptimisation per pass, then
 * interpreted iterations until the next optimisation).
 */
export function sumToRowEnds(counts: Uint32Array, rowCount: number): void {
  let sum = 0;
  for (let n = 0; n < rowCount; n++) {
    sum += counts[n];
    counts[n] = sum;
  }
}

/** Counts → the index each bucket starts at (for a fill going forwards). */
export function toStarts(counts: Uint32Array): void {
  let sum = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const count = counts[bucket];
    counts[bucket] = sum;
    sum += count;
  }
}
