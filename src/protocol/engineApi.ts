/**
 * The worker contract: what the extension host may ask of the heap engine
 * running in a worker thread. Wire types derive from this one interface
 * (see rpc.ts); the worker implements it in `src/worker/engineService.ts`.
 */
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

/** Instances of one constructor, closest to a root first. */
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
}

export type EngineEvent = { type: 'progress'; progress: EngineProgress };

export interface EngineApi {
  /** Start a new snapshot (the previous one is dropped). */
  beginSnapshot(): Promise<void>;
  /**
   * Feed one `HeapProfiler.addHeapSnapshotChunk` string. Fire-and-forget: the
   * first chunk that cannot be parsed fails at once (the client hears of it
   * while V8 is still writing, and can stop the capture), later chunks are
   * ignored, and `endSnapshot` rejects with the same error.
   */
  addChunk(chunk: string): void;
  /** The last chunk arrived: finish parsing, build the graph. */
  endSnapshot(): Promise<SnapshotSummary>;
  /** Load a `.heapsnapshot` file from disk (replaces any snapshot held). */
  loadFile(path: string): Promise<SnapshotSummary>;
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
/** Name of the parser's error for input that is not a well-formed heap snapshot (its message gives the byte offset). */
export const SNAPSHOT_FORMAT_ERROR = 'SnapshotFormatError';
