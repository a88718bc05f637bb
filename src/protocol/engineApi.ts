/**
 * The worker contract: what the extension host may ask of the heap engine
 * running in a worker thread. Wire types derive from this one interface
 * (see rpc.ts); the worker implements it in `src/worker/engineService.ts`.
 */
import type { GrowthReport, MergedPaths } from './growth';
import type { PathsScope } from './growthView';
import type { ClassSummary, NodeDetails, Walk, WalkNode, WalkOptions } from './walk';
import type { Call, MethodOf, Notification, ToClient, ToServer } from './rpc';

/** What a loaded snapshot contains, for messages and the class list. */
export interface SnapshotSummary {
  nodeCount: number;
  edgeCount: number;
  /** Sum of all self sizes, in bytes. */
  totalSize: number;
  /** Milliseconds spent parsing and indexing (after the last chunk). */
  elapsedMs: number;
}

/** One row of an instance list: the node and what tells it from the others. */
export interface InstanceNode extends WalkNode {
  /** Where its shortest path last passes a name the code uses: `Processor.instanceMap.get("bot12").resourceLoader`. */
  via?: string;
  /** Its first string field: `botName: "bot12"`. */
  field?: string;
}

/** Instances of one constructor, closest to a root first; a prototype counted with them last. */
export interface InstanceList {
  name: string;
  /** How many instances exist in all (the list may be shorter). */
  total: number;
  nodes: InstanceNode[];
}

/** Retained sizes are ready: walks, details and instances carry `retainedSize` from now on. */
export interface RetainedSizesSummary {
  /** Milliseconds the dominator tree took, measured from its start (the first walk, or the request). */
  elapsedMs: number;
}

/** Progress while a snapshot loads, sent as events. */
export interface EngineProgress {
  phase: 'parse' | 'index';
  /** 0..1 when known. */
  fraction?: number;
  /** Bytes parsed so far. */
  bytes?: number;
  /** The file being read, when several are (`loadSeries`). */
  file?: string;
}

/** The newest of a series of snapshot files, and the order the series was found to be in. */
export interface SeriesSummary extends SnapshotSummary {
  /** The files, oldest first by their highest object id; the last is the one loaded whole. */
  order: string[];
}

export interface MergedPathsOptions {
  /** Split each group by allocation site (only for a snapshot taken with allocation stacks). */
  byAllocationSite?: boolean;
}

/**
 * `snapshotComplete`: the snapshot being received was read to its closing
 * brace (indexing has begun). V8 replies to the snapshot request only after
 * freeing its own copy, seconds later on a GB heap: a capture can go on now.
 */
export type EngineEvent = { type: 'progress'; progress: EngineProgress } | { type: 'snapshotComplete' };

export interface EngineApi {
  /**
   * Start a new snapshot (the previous one is dropped; in a growth recording,
   * digested first). `name` names it in growth reports (default `snapshot`).
   * Chunks sent right behind this call are taken in order: no need to wait
   * for it before V8 starts writing.
   */
  beginSnapshot(name?: string): Promise<void>;
  /**
   * Feed one `HeapProfiler.addHeapSnapshotChunk` string. Fire-and-forget: the
   * first chunk that cannot be parsed fails at once (the client hears of it
   * while V8 is still writing, and can stop the capture), later chunks are
   * ignored, and `endSnapshot` rejects with the same error.
   */
  addChunk(chunk: string): void;
  /** The last chunk arrived: finish parsing, build the graph. */
  endSnapshot(): Promise<SnapshotSummary>;
  /** Load a `.heapsnapshot` file from disk (replaces any snapshot held; in a growth recording, digests it first). */
  loadFile(path: string): Promise<SnapshotSummary>;
  /**
   * Drop the snapshot being received (its capture was cancelled or failed).
   * In a growth recording the digests stay; the previous snapshot's graph
   * is gone (see `restorePrevious`).
   */
  abortSnapshot(): Promise<void>;
  /**
   * Record growth from now on: every later snapshot (capture or file)
   * digests the one before it into a growth recording before dropping it.
   * A snapshot loaded now is the recording's first.
   */
  recordGrowth(): Promise<void>;
  /**
   * A series of snapshot files of one process, in any order: each is read
   * once, the older ones are kept as digests, and the newest (highest object
   * id) is loaded whole. Starts a new growth recording.
   */
  loadSeries(paths: string[]): Promise<SeriesSummary>;
  /**
   * After a snapshot of a recording failed: the snapshot before it, read back
   * from `path` (its copy on disk), is the latest again, its digest removed.
   */
  restorePrevious(path: string): Promise<SnapshotSummary>;
  /** Growth from the recording's older snapshots to the latest; null before there are two. */
  growthReport(): Promise<GrowthReport | null>;
  /**
   * Merged shortest paths of a class's instances in the latest snapshot:
   * all of them, or those allocated after the recording's first snapshot
   * (`new`, which needs a recording of one process).
   */
  mergedPaths(className: string, scope: PathsScope, options?: MergedPathsOptions): Promise<MergedPaths>;
  /** Every snapshot id of one group of `mergedPaths(className, scope, options)` (the group at `groupIndex` of its `groups`). */
  mergedPathIds(className: string, scope: PathsScope, groupIndex: number, options?: MergedPathsOptions): Promise<number[]>;
  /** Snapshot id of the prototype the class's instances share, or null (what a live instance count starts from). */
  prototypeIdOfClass(className: string): Promise<number | null>;
  /** Is an object with this snapshot id in the snapshot? */
  hasObject(id: number): Promise<boolean>;
  /** DevTools' summary: instances grouped by constructor name, largest first. */
  classes(): Promise<ClassSummary[]>;
  /** Instances of one constructor. */
  instances(name: string, limit: number): Promise<InstanceList>;
  /** The retainer walk from `target` (a snapshot id). Rejects with `UnknownObjectError` when it is not in the snapshot. */
  walk(target: number, options: WalkOptions): Promise<Walk>;
  /** What `target` holds, walked down with the same caps (objgraph's show_refs). Rejects with `UnknownObjectError` as `walk` does. */
  references(target: number, options: WalkOptions): Promise<Walk>;
  /** All retainers of one node. */
  details(id: number): Promise<NodeDetails>;
  /**
   * Compute the dominator tree and retained sizes (the worker also starts it
   * by itself right after the first walk). Resolves when they are ready;
   * calls made meanwhile are answered between slices of the computation.
   */
  computeRetainedSizes(): Promise<RetainedSizesSummary>;
  /** Drop the snapshot held (memory goes back at the next GC). */
  dispose(): Promise<void>;
}

export type EngineCall = Call<EngineApi>;
export type EngineNotification = Notification<EngineApi>;
export type EngineMethod = MethodOf<EngineApi>;
export type ToEngine = ToServer<EngineApi>;
export type FromEngine = ToClient<EngineEvent>;

/** Name of the error the engine raises for an id that is not in the snapshot. */
export const UNKNOWN_OBJECT_ERROR = 'UnknownObjectError';
/** Name of the error for a call that needs a snapshot when none is loaded. */
export const NO_SNAPSHOT_ERROR = 'NoSnapshotError';
/** Name of the error for merged paths of a class the latest snapshot does not have. */
export const UNKNOWN_CLASS_ERROR = 'UnknownClassError';
/** Name of the parser's error for input that is not a well-formed heap snapshot (its message gives the byte offset). */
export const SNAPSHOT_FORMAT_ERROR = 'SnapshotFormatError';
