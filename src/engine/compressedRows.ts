/**
 * Compressed sparse rows and counting sorts, as the retainer rows, the
 * dominator tree's children, the id order and the source locations' order
 * are built: count each row's entries, sum the counts, then fill.
 *
 * Each pass is a function of its own: V8 optimises a long first call's loop
 * while it runs, and code after that loop, which had not run yet, throws the
 * optimised code away (a deoptimisation per pass, then interpreted iterations
 * until the next optimisation).
 */

/**
 * The indexes i of `targets` grouped by targets[i]: row r is
 * entries[starts[r] .. starts[r + 1]), in ascending order. There are
 * starts.length - 1 rows; a target past them (a root's NO_DOMINATOR) is in
 * none. `starts` comes zeroed; `entriesFor(total)` gives the entries'
 * array, which is returned.
 */
export function rowsByTarget(targets: Uint32Array, starts: Uint32Array, entriesFor: (total: number) => Uint32Array): Uint32Array {
  const rowCount = starts.length - 1;
  countTargets(targets, starts);
  const total = sumToRowEnds(starts, rowCount);
  starts[rowCount] = total;
  const entries = entriesFor(total);
  fillRowsBackwards(targets, starts, entries);
  return entries;
}

/** counts[t] += how often t is among targets[from, to), for the counts.length - 1 rows. */
export function countTargets(targets: Uint32Array, counts: Uint32Array, from = 0, to = targets.length): void {
  const rowCount = counts.length - 1;
  for (let i = from; i < to; i++) {
    const target = targets[i];
    if (target < rowCount) counts[target]++;
  }
}

/** Each of the first `rowCount` rows' count → its end in `into` (the counts themselves unless given): the sum of the counts up to it. Returns the total. */
export function sumToRowEnds(counts: Uint32Array, rowCount: number, into = counts): number {
  let sum = 0;
  for (let n = 0; n < rowCount; n++) {
    sum += counts[n];
    into[n] = sum;
  }
  return sum;
}

/** The sum of the first `count` values (row counts, sizes). */
export function totalOf(values: Uint32Array | Float64Array, count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += values[i];
  return total;
}

/** Going backwards, each index in [from, to) into its target's row: every cursor ends where its row's share of them starts. */
export function fillRowsBackwards(targets: Uint32Array, rowEnds: Uint32Array, entries: Uint32Array, from = 0, to = targets.length): void {
  const rowCount = rowEnds.length - 1;
  for (let i = to - 1; i >= from; i--) {
    const target = targets[i];
    if (target < rowCount) entries[--rowEnds[target]] = i;
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
