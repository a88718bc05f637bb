/**
 * The first snapshot's objects against the last one's, in one merge over
 * both id lists: which objects are new (DevTools' rule: an id above the first
 * snapshot's highest), which were deleted, and whether the ids mean the same
 * objects at all. Two snapshots of one process agree on every shared id's
 * class; two processes share low ids for Node's own start-up objects but
 * most of them name objects of another class there.
 */
import type { ObjectTable } from './digest';
import { IdCursor, isStableId } from './objectIds';
import type { ClassRows } from '../classGroups';

/** Above this share of disagreeing shared ids, the snapshots are not of one process. */
export const MISMATCH_LIMIT = 0.1;

export interface IdentityComparison {
  sameProcess: boolean;
  /** Share of the shared ids whose class differs. */
  mismatch: number;
  /** Per class row of the last snapshot: objects allocated after the first snapshot. */
  newByClass: Uint32Array;
  /** Per class row of the first snapshot: objects gone from the last. */
  deletedByClass: Uint32Array;
}

/**
 * `order` lists the last snapshot's nodeOrdinals by ascending id, `classOf`
 * gives each one's row in `lastClassNames`.
 */
export function compareIdentity(
  first: ObjectTable,
  firstMaxId: number,
  last: { nodeIds: Uint32Array; order: Uint32Array; classOf: ClassRows; classNames: readonly string[] },
): IdentityComparison {
  const { nodeIds, order, classOf, classNames } = last;
  // First row → last row of the same name (-1: no such class in the last snapshot).
  const lastRowOfName = new Map<string, number>();
  classNames.forEach((name, row) => lastRowOfName.set(name, row));
  const sameRow = Int32Array.from(first.classNames, (name) => lastRowOfName.get(name) ?? -1);
  const newByClass = new Uint32Array(classNames.length + 1);
  const deletedByClass = new Uint32Array(first.classNames.length);
  const firstIds = new IdCursor(first.ids);
  const firstRows = first.classRows;
  let shared = 0;
  let mismatched = 0;
  for (let j = 0; j < order.length; j++) {
    const ordinal = order[j];
    const id = nodeIds[ordinal];
    if (!isStableId(id)) continue;
    for (; firstIds.id < id; firstIds.next()) deletedByClass[firstRows[firstIds.index]]++;
    if (firstIds.id === id) {
      shared++;
      if (sameRow[firstRows[firstIds.index]] !== classOf[ordinal]) mismatched++;
      firstIds.next();
    } else if (id > firstMaxId) {
      newByClass[classOf[ordinal]]++;
    }
  }
  for (; firstIds.index < first.ids.length; firstIds.next()) deletedByClass[firstRows[firstIds.index]]++;
  const mismatch = shared === 0 ? 1 : mismatched / shared;
  return { sameProcess: mismatch <= MISMATCH_LIMIT, mismatch, newByClass, deletedByClass };
}
