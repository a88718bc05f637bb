/**
 * Snapshot object ids as identities across snapshots of one process.
 *
 * V8 numbers heap objects with odd ids from one counter that only rises, and
 * keeps an object's id for as long as its heap profiler lives (DevTools'
 * "objects allocated between snapshots" relies on both). Even ids belong to
 * embedder (native) nodes that get a fresh id in every snapshot, so they
 * identify nothing and take no part in `new` and `deleted`.
 */

/** Does this id name the same object in every snapshot of the process? */
export function isStableId(id: number): boolean {
  return (id & 1) === 1;
}

/** The highest stable id: an object with a higher one was allocated after this snapshot. */
export function maxObjectId(nodeIds: Uint32Array): number {
  let max = 0;
  for (let ordinal = 0; ordinal < nodeIds.length; ordinal++) {
    const id = nodeIds[ordinal];
    if ((id & 1) === 1 && id > max) max = id;
  }
  return max;
}

/** Index of `id` in an ascending id list, or -1. */
export function indexOfId(sortedIds: Uint32Array, id: number): number {
  let low = 0;
  let high = sortedIds.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sortedIds[mid];
    if (at === id) return mid;
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
