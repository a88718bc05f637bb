/**
 * Growth between snapshots of one process, and the merged retention paths of
 * many objects: what the engine returns, what the CLI prints as JSON and what
 * a Growth view draws. Plain data (no functions), so it crosses the worker
 * and webview boundaries as it is.
 */
import type { RootKind } from './walk';
import type { AllocationSite, AllocationSiteCount } from './allocations';

/** One snapshot of the series, oldest first. */
export interface GrowthSnapshot {
  /** File path, or a name such as `live snapshot 2` for one taken over the inspector. */
  file: string;
  nodeCount: number;
  /** Sum of all self sizes, in bytes. */
  totalSize: number;
  /** Highest stable object id: objects with a higher id were allocated after this snapshot. */
  maxObjectId: number;
  /** Were retained sizes computed for this snapshot? */
  hasRetainedSizes: boolean;
  /** Was it taken while V8 recorded allocation stacks? (Set by the engine.) */
  allocationStacks?: boolean;
}

/** One class (constructor name, DevTools' grouping) across the snapshots. */
export interface ClassGrowth {
  name: string;
  /** Instance count per snapshot. */
  counts: number[];
  /** Sum of self sizes per snapshot. */
  sizes: number[];
  /** DevTools' class retained size per snapshot; null where retained sizes were not computed. */
  retainedSizes: (number | null)[];
  /** Instances in the last snapshot allocated after the first; null when the snapshots are not of one process. */
  new: number | null;
  /** Instances of the first snapshot gone from the last; null when the snapshots are not of one process. */
  deleted: number | null;
  /** The count rose at every step. */
  grewEveryStep: boolean;
  /**
   * Where the last snapshot's instances were allocated, most first (at most
   * 5 sites, and a row with `site: null` counting all those with no stack);
   * only when the last snapshot was taken with allocation stacks.
   */
  allocationSites?: AllocationSiteCount[];
  /**
   * New instances without an allocation stack although V8 recorded stacks
   * from the first snapshot on: its GC drops the stack of an object it moves
   * (`node --no-compact` keeps them). Only when the first and last snapshots
   * were taken with allocation stacks, of one process.
   */
  newWithoutStack?: number;
}

/** New objects of one class among what a collection holds. */
export interface HeldClass {
  name: string;
  count: number;
}

/** A Map, Set, array or dictionary-mode object alive in the last snapshot, matched by id in the earlier ones. */
export interface CollectionGrowth {
  /** Snapshot object id (the same in every snapshot). */
  id: number;
  /** How code reaches it: `Scheduler.queued`, `globalThis.lastJobs`, `events._events["flush"]`. */
  label: string;
  /** As the walk classifies the collection itself (`static-map` for a class static), or null. */
  rootKind: RootKind | null;
  /** Constructor name: `Map`, `Set`, `Array`, `Object`, or a subclass. */
  type: string;
  /** Entries holding a heap object, per snapshot; null where the collection did not exist yet. */
  entries: (number | null)[];
  /** Retained size per snapshot; null where it did not exist or retained sizes were not computed. */
  retainedSizes: (number | null)[];
  /** Entries rose at every step since the collection appeared. */
  grewEveryStep: boolean;
  /** New objects among its entries in the last snapshot, by class, most first (at most 3). */
  holds: HeldClass[];
  /**
   * Bytes of the objects allocated since the first snapshot that it holds:
   * self sizes of the new objects reachable from it through new objects only.
   */
  newSize: number;
}

/** A collection that grew at every step. */
export interface CollectionSuspect extends CollectionGrowth {
  kind: 'collection';
  /** Retained size gained since the collection first appeared; null without retained sizes. */
  retainedGrowth: number | null;
}

/** A class whose instance count rose at every step. */
export interface ClassSuspect {
  kind: 'class';
  /** The class name. */
  label: string;
  counts: number[];
  new: number | null;
  /**
   * Bytes of its new instances and of the new objects they hold through new
   * objects only; null when the snapshots are not of one process.
   */
  newSize: number | null;
  /** Self size gained from the first snapshot to the last. */
  sizeGrowth: number;
  /** Class retained size gained; null without retained sizes in the first and last snapshot. */
  retainedGrowth: number | null;
  /** The suspect collection on the shortest path of most of its new instances, when one holds most. */
  heldBy: { id: number; label: string; share: number } | null;
  /** As ClassGrowth's: only when the last snapshot was taken with allocation stacks. */
  allocationSites?: AllocationSiteCount[];
}

export type LeakSuspect = CollectionSuspect | ClassSuspect;

export interface GrowthReport {
  snapshots: GrowthSnapshot[];
  /**
   * Do the snapshots come from one process with its object ids intact? When
   * false, ids mean nothing across them: `new`, `deleted` and collections are
   * not compared, only per-class figures.
   */
  sameProcess: boolean;
  /** Share of the ids present in the first and last snapshot that name objects of another class there (0 for one process). */
  idMismatch: number;
  /** Collections and classes that grew at every step, the memory their growth holds first (at most 50). */
  suspects: LeakSuspect[];
  /**
   * Every class whose count or size changed between any two snapshots, or
   * that gained or lost objects, the growth of its self size first.
   */
  classes: ClassGrowth[];
  /** Collections whose entries grew since they first appeared, most entries gained first (at most 1,000). */
  collections: CollectionGrowth[];
  /** Collections that grew but are not listed (past the first 1,000). */
  moreCollections: number;
}

/** A node of a merged path: a class, or a root named as code names it. */
export interface PathNode {
  /** Constructor or function name, as the walk shows it (`Job`, `Map`, `system / Context`). */
  name: string;
  /** The root's label (`Scheduler.queued`, `module scope of lib/jobs.js`), else the name. */
  label: string;
  rootKind: RootKind | null;
  /** Reached by one or more repetitions of the same step (a linked list, a tree). */
  repeated?: true;
}

/** Objects whose shortest paths are the same up to keys, indexes and repetitions. */
export interface PathGroup {
  /** How code reaches them: `Scheduler.queued.get(*)`, `globalThis.lastJobs[*]`. */
  label: string;
  count: number;
  selfSize: number;
  /** Freed if these objects were released (see `MergedPaths.retainedSize`); null without retained sizes. */
  retainedSize: number | null;
  /** Root first, the objects' class last. */
  nodes: PathNode[];
  /** `edges[i]` leads from `nodes[i]` to `nodes[i + 1]`: `.queued`, `get(*)`, `[*]`, `(.next)+`. */
  edges: string[];
  /** Up to 5 snapshot ids, to walk one of them. */
  exampleIds: number[];
  /**
   * Set when the groups were split by allocation site (`paths --by
   * allocation`): where these objects were allocated, null for those
   * with no stack (see AllocationStack's `no-stack`).
   */
  allocationSite?: AllocationSite | null;
}

/** Eclipse MAT's merged tree, from the roots down. */
export interface PathTreeNode {
  node: PathNode;
  /** The step into this node; null at the top. */
  edge: string | null;
  /** Objects whose path passes here or ends here. */
  count: number;
  /** Objects whose path ends here. */
  objects: number;
  selfSize: number;
  retainedSize: number | null;
  children: PathTreeNode[];
}

export interface MergedPaths {
  /** The class whose instances were merged. */
  class: string;
  /** How many objects were asked about (reachable or not). */
  objects: number;
  /** Only objects allocated after this snapshot, when given. */
  newSince: { file: string; maxObjectId: number } | null;
  selfSize: number;
  /**
   * Bytes freed if all of them were released: the retained sizes of those not
   * dominated by another of them (DevTools' class retained size when the set
   * is a whole class); null without retained sizes.
   */
  retainedSize: number | null;
  /** Largest first. */
  groups: PathGroup[];
  /** The same groups as a tree from the roots; its top node stands for all roots. */
  tree: PathTreeNode;
  /** Objects with no strong path from a root (only weakly held, waiting for GC). */
  unreachable: { count: number; selfSize: number; exampleIds: number[] };
}
