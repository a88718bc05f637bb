/**
 * Snapshot id → nodeOrdinal, by bisection over the ordinals sorted by id
 * (4 bytes a node).
 *
 * A process's first snapshot lists its nodes almost in id order (V8 hands out
 * ids as it first meets objects, in the same traversal), with a few native
 * and synthetic nodes out of place: one pass keeps the ascending run and
 * merges the sorted outliers in. A later snapshot of the same process is
 * not in order at all (objects the GC moved keep their old ids among new
 * ones): its ids are radix sorted, two passes of 16 bits.
 */
import { toStarts } from './compressedRows';

export class IdIndex {
  /** nodeOrdinals in ascending id order. */
  readonly ordinalsById: Uint32Array;

  /** `sorted`: ordinalsById(nodeIds), when another thread computed it. */
  constructor(
    private readonly nodeIds: Uint32Array,
    sorted?: Uint32Array,
  ) {
    this.ordinalsById = sorted ?? ordinalsById(nodeIds);
  }

  /** nodeOrdinal for a snapshot id, or -1. */
  ordinalOf(id: number): number {
    const { ordinalsById: byId, nodeIds } = this;
    let low = 0;
    let high = byId.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const midId = nodeIds[byId[mid]];
      if (midId === id) return byId[mid];
      if (midId < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /**
   * nodeOrdinal (or -1) of each of `ids`, which ascend: each search gallops
   * on from where the last ended, so a batch touches each part of the index
   * once instead of bisecting all of it again.
   */
  ordinalsOfAscending(ids: ArrayLike<number>): Int32Array {
    const { ordinalsById: byId, nodeIds } = this;
    const count = byId.length;
    const found = new Int32Array(ids.length);
    let position = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      // Every entry before `low` has a smaller id; double the step until one does not.
      let low = position;
      let high = low;
      for (let step = 1; high < count && nodeIds[byId[high]] < id; step *= 2) {
        low = high + 1;
        high = low + step;
      }
      if (high > count) high = count;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (nodeIds[byId[mid]] < id) low = mid + 1;
        else high = mid;
      }
      position = low;
      found[i] = low < count && nodeIds[byId[low]] === id ? byId[low] : -1;
    }
    return found;
  }
}

/** nodeOrdinals ordered by ascending id. */
export function ordinalsById(nodeIds: Uint32Array): Uint32Array {
  const nodeCount = nodeIds.length;
  const run = new Uint32Array(nodeCount);
  const outliers: number[] = [];
  const mostlyOrdered = Math.max(10_000, nodeCount / 50);
  let runLength = 0;
  let last = -1;
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    const id = nodeIds[ordinal];
    // A node joins the run unless it breaks the ascent here or just after it.
    if (id > last && (ordinal === nodeCount - 1 || id < nodeIds[ordinal + 1] || nodeIds[ordinal + 1] <= last)) {
      run[runLength++] = ordinal;
      last = id;
    } else {
      outliers.push(ordinal);
      if (outliers.length > mostlyOrdered) return radixSortById(nodeIds);
    }
  }
  if (outliers.length === 0) return run;
  outliers.sort((a, b) => nodeIds[a] - nodeIds[b]);
  // Merged from the back into the run's own array (its tail is free: exactly the outliers' room), not into a second one.
  let r = runLength - 1;
  let o = outliers.length - 1;
  for (let i = nodeCount - 1; o >= 0; i--) {
    if (r >= 0 && nodeIds[run[r]] > nodeIds[outliers[o]]) run[i] = run[r--];
    else run[i] = outliers[o--];
  }
  return run;
}

/**
 * LSD radix sort of the ordinals by id: low 16 bits, then high 16 bits (both
 * passes stable). The first pass carries each id's high half along, so the
 * second reads in sequence instead of looking every id up again.
 */
function radixSortById(nodeIds: Uint32Array): Uint32Array {
  const nodeCount = nodeIds.length;
  const lowCounts = new Uint32Array(1 << 16);
  const highCounts = new Uint32Array(1 << 16);
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    const id = nodeIds[ordinal];
    lowCounts[id & 0xffff]++;
    highCounts[id >>> 16]++;
  }
  toStarts(lowCounts);
  toStarts(highCounts);
  const byLow = new Uint32Array(nodeCount);
  const highOfByLow = new Uint16Array(nodeCount);
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    const id = nodeIds[ordinal];
    const at = lowCounts[id & 0xffff]++;
    byLow[at] = ordinal;
    highOfByLow[at] = id >>> 16;
  }
  const sorted = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) sorted[highCounts[highOfByLow[i]]++] = byLow[i];
  return sorted;
}
