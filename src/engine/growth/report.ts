/**
 * The growth report: the older snapshots' digests against the last graph.
 * Classes as DevTools' Comparison view counts them (plus objgraph's "did it
 * grow at every step"), collections matched by id, and the leak suspects.
 */
import type { ClassGrowth, CollectionGrowth, GrowthReport, GrowthSnapshot, HeldClass } from '../../protocol/growth';
import type { AllocationSiteCount } from '../../protocol/allocations';
import type { ClassIndex, HeapGraph } from '../heapGraph';
import { Collections } from '../collections';
import { accessPathOf } from '../accessPath';
import { digestGraph, type SnapshotDigest } from './digest';
import type { IdentityComparison } from './identity';
import { IdCursor, indexOfId } from './objectIds';
import { NewObjects } from './newObjects';
import { findSuspects } from './suspects';
import type { ClassRows } from '../classGroups';
import { NO_SITE } from '../allocationStacks';

/** Collections listed at most (the rest are counted in `moreCollections`). */
export const MAX_COLLECTIONS = 1000;
/** Allocation sites listed per class at most. */
const MAX_SITES = 5;

/** The newer snapshot's ids are not above the older one's: the series is not oldest first. */
export class SnapshotOrderError extends Error {
  override readonly name = 'SnapshotOrderError';
  constructor(
    readonly older: string,
    readonly newer: string,
  ) {
    super(`${newer} is not newer than ${older}: give the snapshots of one process oldest first`);
  }
}

/** A collection of the last snapshot that grew, before it is labelled. */
interface GrownCollection {
  ordinal: number;
  id: number;
  entries: (number | null)[];
  retainedSizes: (number | null)[];
  grewEveryStep: boolean;
  gained: number;
}

/** `identity`: the first snapshot's objects against `latest` (compareIdentity), with `classIndex`'s rows. */
export function growthReport(older: readonly SnapshotDigest[], latest: HeapGraph, file: string, classIndex: ClassIndex, identity: IdentityComparison): GrowthReport {
  const first = older[0];
  if (!first?.objects) throw new Error('growth needs the first snapshot digested with its objects');
  const { data } = latest;
  const { classOf } = classIndex;
  const classNames = [...classIndex.names, '(root)'];
  const last = digestGraph(latest, file, { withObjects: false, classIndex });
  const all = [...older, last];

  if (identity.sameProcess) {
    for (let k = 1; k < all.length; k++) {
      if (all[k].maxObjectId <= all[k - 1].maxObjectId) throw new SnapshotOrderError(all[k - 1].file, all[k].file);
    }
  }
  const classes = classGrowth(all, identity, classNames, first.objects.classNames);
  // Recorded from the first snapshot on, every new object should have a stack: count those that lost theirs.
  const newerThan = identity.sameProcess && first.allocationStacks ? first.maxObjectId : null;
  if (latest.hasAllocationStacks) addAllocationSites(classes, latest, classIndex.names, classOf, newerThan);
  const analysis = latest.analysisContext();
  const ctx = analysis.walk;
  const collectionsIndex = new Collections(data, ctx.core.codes);
  const grown = identity.sameProcess ? grownCollections(all, latest, last) : [];
  const suspectCollections = grown.filter((c) => c.grewEveryStep);
  const newObjects = new NewObjects(ctx, first.maxObjectId, new Set(suspectCollections.map((c) => c.ordinal)));
  const labelled = new Map<number, CollectionGrowth>();
  const describe = (c: GrownCollection): CollectionGrowth => {
    let view = labelled.get(c.ordinal);
    if (!view) {
      view = describeCollection(c, latest, collectionsIndex, newObjects, classOf, classNames);
      labelled.set(c.ordinal, view);
    }
    return view;
  };
  const listed = grown.slice(0, MAX_COLLECTIONS).map(describe);
  const suspects = findSuspects({
    nodeCount: data.nodeCount,
    snapshots: all,
    sameProcess: identity.sameProcess,
    classes,
    collections: suspectCollections.map((c) => ({ ...describe(c), ordinal: c.ordinal })),
    classOf,
    classNames,
    newObjects,
  });
  const sitesByName = new Map(classes.map((row) => [row.name, row.allocationSites]));
  for (const suspect of suspects) {
    const sites = suspect.kind === 'class' ? sitesByName.get(suspect.label) : undefined;
    if (suspect.kind === 'class' && sites) suspect.allocationSites = sites;
  }
  return {
    snapshots: all.map(snapshotInfo),
    sameProcess: identity.sameProcess,
    idMismatch: identity.mismatch,
    suspects,
    classes,
    collections: listed,
    moreCollections: Math.max(0, grown.length - MAX_COLLECTIONS),
  };
}

function snapshotInfo(digest: SnapshotDigest): GrowthSnapshot {
  return { file: digest.file, nodeCount: digest.nodeCount, totalSize: digest.totalSize, maxObjectId: digest.maxObjectId, hasRetainedSizes: digest.hasRetainedSizes, allocationStacks: digest.allocationStacks };
}

/**
 * Each listed class's instances in the last snapshot, by allocation site (one
 * pass over the nodes); with `newerThan` (an id), also how many objects above
 * it have no stack.
 */
function addAllocationSites(classes: ClassGrowth[], latest: HeapGraph, names: readonly string[], classOf: ClassRows, newerThan: number | null): void {
  const rowOf = new Map(names.map((name, row) => [name, row]));
  const membersOf = new Map<number, number[]>();
  for (const row of classes) {
    const at = rowOf.get(row.name);
    if (at !== undefined) membersOf.set(at, []);
  }
  for (let ordinal = 0; ordinal < classOf.length; ordinal++) membersOf.get(classOf[ordinal])?.push(ordinal);
  const stacks = latest.allocationStacks();
  const { shallowSizes } = latest.nodeFigures();
  const { nodeIds } = latest.data;
  for (const row of classes) {
    const members = membersOf.get(rowOf.get(row.name) ?? -1) ?? [];
    const sites: AllocationSiteCount[] = stacks.sitesOf(members, shallowSizes, nodeIds);
    // The row without a stack stays whatever its rank: it tells how many have none.
    let shown = 0;
    row.allocationSites = sites.filter((site) => site.site === null || shown++ < MAX_SITES);
    if (newerThan !== null) row.newWithoutStack = members.reduce((lost, ordinal) => lost + (nodeIds[ordinal] > newerThan && stacks.siteOf(ordinal) === NO_SITE ? 1 : 0), 0);
  }
}

/** Every class that changed or gained or lost objects, the growth of its self size first. */
function classGrowth(all: readonly SnapshotDigest[], identity: IdentityComparison, lastNames: readonly string[], firstNames: readonly string[]): ClassGrowth[] {
  const newByName = new Map<string, number>();
  identity.newByClass.forEach((count, row) => count > 0 && newByName.set(lastNames[row], count));
  const deletedByName = new Map<string, number>();
  identity.deletedByClass.forEach((count, row) => count > 0 && deletedByName.set(firstNames[row], (deletedByName.get(firstNames[row]) ?? 0) + count));
  const names = new Set<string>();
  for (const digest of all) for (const name of digest.classes.keys()) names.add(name);
  const rows: ClassGrowth[] = [];
  for (const name of names) {
    const counts = all.map((d) => d.classes.get(name)?.count ?? 0);
    const sizes = all.map((d) => d.classes.get(name)?.selfSize ?? 0);
    const added = identity.sameProcess ? (newByName.get(name) ?? 0) : null;
    const deleted = identity.sameProcess ? (deletedByName.get(name) ?? 0) : null;
    const changed = counts.some((c) => c !== counts[0]) || sizes.some((s) => s !== sizes[0]) || (added ?? 0) > 0 || (deleted ?? 0) > 0;
    if (!changed) continue;
    rows.push({
      name,
      counts,
      sizes,
      retainedSizes: all.map((d) => (d.hasRetainedSizes ? (d.classes.get(name)?.retainedSize ?? 0) : null)),
      new: added,
      deleted,
      grewEveryStep: risesEveryStep(counts),
    });
  }
  const growth = (row: ClassGrowth) => row.sizes[row.sizes.length - 1] - row.sizes[0];
  const countGrowth = (row: ClassGrowth) => row.counts[row.counts.length - 1] - row.counts[0];
  return rows.sort((a, b) => growth(b) - growth(a) || countGrowth(b) - countGrowth(a) || a.name.localeCompare(b.name));
}

/** Strictly rising over the values present (null: not there yet), at least two of them. */
export function risesEveryStep(values: readonly (number | null)[]): boolean {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) return false;
  for (let i = 1; i < present.length; i++) if (present[i] <= present[i - 1]) return false;
  return true;
}

/** Collections of the last snapshot whose entries grew since they first appeared. */
function grownCollections(all: readonly SnapshotDigest[], graph: HeapGraph, last: SnapshotDigest): GrownCollection[] {
  const first = all[0];
  const lastTable = last.collections;
  const firstTable = first.collections;
  const firstIds = new IdCursor(first.objects!.ids);
  const result: GrownCollection[] = [];
  // Both tables and the first snapshot's ids ascend: one merge over the three.
  let c = 0;
  for (let i = 0; i < lastTable.ids.length; i++) {
    const id = lastTable.ids[i];
    const lastEntries = lastTable.entries[i];
    while (c < firstTable.ids.length && firstTable.ids[c] < id) c++;
    while (firstIds.id < id) firstIds.next();
    const firstEntries = c < firstTable.ids.length && firstTable.ids[c] === id ? firstTable.entries[c] : firstIds.id === id ? 0 : null;
    // Growth needs two snapshots that have it: at least the one before the last.
    if (firstEntries === null && id > all[all.length - 2].maxObjectId) continue;
    // Grew since the first snapshot, or appeared later: decided below once every snapshot is read.
    if (firstEntries !== null && lastEntries <= firstEntries) continue;
    const entries = all.map((digest, k) => (k === all.length - 1 ? lastEntries : k === 0 ? firstEntries : entriesIn(digest, id)));
    const present = entries.filter((e): e is number => e !== null);
    if (present.length < 2 || present[present.length - 1] <= present[0]) continue;
    result.push({
      ordinal: graph.ordinalOf(id),
      id,
      entries,
      retainedSizes: all.map((digest) => retainedIn(digest, id)),
      grewEveryStep: risesEveryStep(entries),
      gained: present[present.length - 1] - present[0],
    });
  }
  return result.sort((a, b) => b.gained - a.gained || a.id - b.id);
}

/**
 * A collection missing from a table existed there with no entries when its
 * id is at most that snapshot's highest (allocated before it, and alive
 * after it); else it did not exist yet.
 */
function entriesIn(digest: SnapshotDigest, id: number): number | null {
  const at = indexOfId(digest.collections.ids, id);
  if (at >= 0) return digest.collections.entries[at];
  return id <= digest.maxObjectId ? 0 : null;
}
function retainedIn(digest: SnapshotDigest, id: number): number | null {
  const sizes = digest.collections.retainedSizes;
  if (!sizes) return null;
  const at = indexOfId(digest.collections.ids, id);
  return at >= 0 ? sizes[at] : null;
}

function describeCollection(
  c: GrownCollection,
  graph: HeapGraph,
  collections: Collections,
  newObjects: NewObjects,
  classOf: ClassRows,
  classNames: readonly string[],
): CollectionGrowth {
  const ctx = graph.analysisContext().walk;
  const { names } = ctx.core;
  const shape = collections.shape(c.ordinal);
  const newSize = newObjects.newSizeCounter();
  if (shape && shape.table >= 0) newSize.add(shape.table);
  if (shape && shape.elements >= 0) newSize.add(shape.elements);
  const heldCounts = new Map<number, number>();
  collections.forEachEntryTarget(c.ordinal, (target) => {
    if (!newObjects.isNew(target)) return;
    newSize.add(target);
    heldCounts.set(classOf[target], (heldCounts.get(classOf[target]) ?? 0) + 1);
  });
  const holds: HeldClass[] = [...heldCounts]
    .map(([row, count]) => ({ name: classNames[row], count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, 3);
  return {
    id: c.id,
    label: accessPathOf(ctx, collections, c.ordinal),
    rootKind: ctx.views.roots.classify(c.ordinal)?.kind ?? null,
    type: names.displayName(c.ordinal),
    entries: c.entries,
    retainedSizes: c.retainedSizes,
    grewEveryStep: c.grewEveryStep,
    holds,
    newSize: newSize.total,
  };
}

