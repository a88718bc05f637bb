/**
 * The helper thread's contract: the jobs a loading thread hands to its second
 * thread (dist/helper.js, src/loading/helperMain.ts) on a multi-core machine.
 * Wire types derive from this one interface (see rpc.ts), as for EngineApi.
 * Columns cross in SharedArrayBuffers, so nothing large is copied; jobs are
 * answered in the order they were sent.
 */
import type { BackwardEdges } from '../engine/backwardEdges';
import type { BackwardEdgesTarget, SectionsAfterEdges } from '../engine/parser';
import type { RetainerRows } from '../engine/retainerIndex';
import type { SplitRows } from '../engine/splitRetainerRows';
import type { DominatorTree, TreeInputs } from '../engine/dominators';
import type { CollectionTable } from '../engine/growth/digest';
import type { HeapSnapshotData, SizeArray } from '../engine/snapshotData';
import type { StringTableParts } from '../engine/stringTable';
import type { PredecessorWindow } from '../engine/predecessorWindows';
import type { ToClient, ToServer } from './rpc';

/** What the helper reads of a file while the parser reads it forwards (see src/loading/twoThreadRead.ts). */
export interface ReadFromEndJob extends BackwardEdgesTarget {
  path: string;
  /** EdgeClaims' shared state, its `end` (the edges' closing ']') and chunk size. */
  claims: Int32Array;
  end: number;
  chunkSize: number;
}

/** A part the helper read, or why it could not (the parser then reads that part itself and names any error). */
export type HelperPart<T> = { read: T } | { mismatch: string };

export interface ReadFromEndReply {
  /** The end of the edges, read backwards up to where the parser's claims began. */
  edges: HelperPart<BackwardEdges>;
  /** What follows the edges; null when the parser claimed it first and reads it itself. */
  afterEdges: HelperPart<SectionsAfterEdges> | null;
}

/**
 * A parsed snapshot whose columns and strings are all in SharedArrayBuffers
 * (as a parser with `sharedEdges` leaves them), for jobs over the whole graph.
 * Locations and detachedness stay behind: no job needs them.
 */
export type SharedSnapshot = Omit<HeapSnapshotData, 'strings' | 'locations' | 'nodeDetachedness'> & { strings: StringTableParts };

export interface HelperApi {
  /**
   * Reads the sections after the edges (when it claims them first), then the
   * edges backwards from their end until it meets the parser's claims. A
   * file it cannot read or parse is a mismatch in the reply, not a rejection.
   */
  readFromEnd(job: ReadFromEndJob): Promise<ReadFromEndReply>;
  /** ordinalsById() (idIndex.ts) over a shared id column; the order is moved to the caller. */
  ordinalsById(nodeIds: Uint32Array): Promise<Uint32Array>;
  /** buildSplitRows() (splitRetainerRows.ts): the retainer rows, in the shared arrays given, which the caller may join in filling. */
  retainerRows(rows: SplitRows): Promise<RetainerRows>;
  /** collectionTableOf() (growth/digest.ts) without retained sizes: an older snapshot's collections; moved to the caller. */
  collectionTable(snapshot: SharedSnapshot): Promise<CollectionTable>;
  /** DevTools' shallow sizes (computeShallowSizes), in a SharedArrayBuffer. */
  shallowSizes(snapshot: SharedSnapshot): Promise<SizeArray>;
  /** computeDominators() with those shallow sizes and what the caller's graph found; its arrays are moved to the caller. */
  dominatorTree(snapshot: SharedSnapshot, shallowSizes: SizeArray, inputs: TreeInputs): Promise<DominatorTree>;
}

/**
 * What the helper asks of the loading thread unasked: while it computes a
 * dominator tree, to fill the next window of predecessor rows (every array
 * in it shared) if that thread is idle; the helper fills it itself otherwise.
 */
export interface HelperEvent {
  fillWindow: PredecessorWindow;
}

export type ToHelper = ToServer<HelperApi>;
export type FromHelper = ToClient<HelperEvent>;
