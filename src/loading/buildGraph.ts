import { HeapGraph, type BuildProgress, type IndexedElsewhere } from '../engine/heapGraph';
import type { TreeInputs } from '../engine/dominators';
import { buildRetainerRows } from '../engine/retainerIndex';
import { joinSplitRows, splitRows } from '../engine/splitRetainerRows';
import type { HeapSnapshotData } from '../engine/snapshotData';
import type { IdIndex } from '../engine/idIndex';
import { sharedStringParts } from '../engine/stringTable';
import type { SharedSnapshot } from '../protocol/helperApi';
import { HelperThread, defaultHelperScript } from './helperThread';

/** Below this many edges a second thread costs more than it saves. */
export const TWO_THREADS_FROM_EDGES = 1 << 20;

/**
 * A parsed snapshot and the indexes over its edges that a helper thread is
 * already building (readSnapshotFile starts them as soon as the edges are
 * read; either promise rejects if that thread fails).
 */
export interface LoadedSnapshot {
  data: HeapSnapshotData;
  indexing?: IndexedElsewhere;
  /** The id index, when another thread builds it while the rest of the snapshot arrives (streamIndexing.ts). */
  ids?: Promise<IdIndex>;
}

export interface IndexingOptions {
  /** Have the helper compute the dominator tree too (retained sizes will be asked for). */
  retainedSizes?: boolean;
  /** Have the helper find the collections too (a growth report will be made on this graph). */
  collections?: boolean;
  /**
   * Have the helper start the dominator tree only once the graph asks for it
   * (HeapGraph.retainedSizesElsewhere), not as soon as the shallow sizes are
   * done: for a live capture, whose target keeps a core busy for seconds after
   * its last chunk, so the tree would share the other with the first answer.
   */
  treeWhenAsked?: boolean;
}

/**
 * Has `helper` build the retainer rows from the `to_node` column, which
 * must be in a SharedArrayBuffer; this thread joins in (joinRetainerRows)
 * once it is free, if the helper has not finished by then.
 */
export function indexEdgesElsewhere(helper: HelperThread, data: Pick<HeapSnapshotData, 'edgeToNodes' | 'nodeCount'>): IndexedElsewhere {
  const rows = splitRows(data.edgeToNodes, data.nodeCount, (bytes) => new SharedArrayBuffer(bytes));
  const retainerRows = helper.call('retainerRows', rows);
  // This thread's counts take no memory of their own: before them it is the distances' queue, after them the tree's counts.
  return { retainerRows, joinRetainerRows: () => joinSplitRows(rows, retainerRows), scratch: rows.joinedCounts };
}

/**
 * Has `helper` compute what needs the whole parsed graph while this thread
 * computes ids and distances and answers the first walk: shallow sizes, then
 * the retainer rows (unless `rows` are on their way already: a live capture's,
 * begun before its strings arrived), which this thread joins once its
 * distances are done, then, when asked, the collection table and the
 * dominator tree. The shallow sizes come first: the rows are the part this
 * thread can share. Only when every column and the strings are shared;
 * otherwise the rows alone.
 */
export function indexGraphElsewhere(helper: HelperThread, data: HeapSnapshotData, options: IndexingOptions, rows?: IndexedElsewhere): IndexedElsewhere {
  const snapshot = sharedSnapshot(data);
  if (!snapshot) return rows ?? indexEdgesElsewhere(helper, data);
  const shallowSizes = helper.call('shallowSizes', snapshot);
  const indexing = rows ?? indexEdgesElsewhere(helper, data);
  // Jobs run in the order sent: the table (a fraction of a second) before the tree (seconds).
  const collections = options.collections ? helper.call('collectionTable', snapshot) : undefined;
  let startDominatorTree = (): void => {};
  const asked = options.treeWhenAsked ? new Promise<void>((resolve) => (startDominatorTree = resolve)) : undefined;
  let treeInputsFound = (_inputs: TreeInputs | null): void => {};
  const treeInputs = new Promise<TreeInputs | null>((resolve) => (treeInputsFound = resolve));
  const dominatorTree = options.retainedSizes
    ? Promise.all([shallowSizes, treeInputs, asked]).then(([sizes, inputs]) => (inputs ? helper.call('dominatorTree', snapshot, sizes, inputs) : Promise.reject(new Error('no graph was built'))))
    : undefined;
  dominatorTree?.catch(() => undefined); // awaited later, if at all (helper.call's own promises are marked so already)
  const stop = (): Promise<void> => {
    // A tree never asked for, or whose graph was never built, is not waited for (the call fails on the stopped thread).
    startDominatorTree();
    treeInputsFound(null);
    return helper.stop();
  };
  return { ...indexing, shallowSizes, collections, dominatorTree, startDominatorTree, treeInputsFound, stop };
}

/** Every promise of `indexing`, settled (the helper can stop then). */
export function indexingSettled(indexing: IndexedElsewhere): Promise<unknown> {
  return Promise.allSettled([indexing.retainerRows, indexing.shallowSizes, indexing.collections, indexing.dominatorTree]);
}

/** The snapshot as a helper job takes it, when every column and the strings are shared. */
export function sharedSnapshot(data: HeapSnapshotData): SharedSnapshot | undefined {
  const strings = sharedStringParts(data.strings);
  const columns = [data.nodeTypes, data.nodeNames, data.nodeIds, data.nodeSelfSizes, data.firstEdgeIndexes, data.edgeTypes, data.edgeNamesOrIndexes, data.edgeToNodes];
  if (!strings || !columns.every((column) => column.buffer instanceof SharedArrayBuffer)) return undefined;
  const { nodeCount, edgeCount, nodeTypeNames, edgeTypeNames, nodeTypes, nodeNames, nodeIds, nodeSelfSizes, firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes } = data;
  return { nodeCount, edgeCount, nodeTypeNames, edgeTypeNames, nodeTypes, nodeNames, nodeIds, nodeSelfSizes, firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, strings };
}

/**
 * HeapGraph.build, with the indexes over the edges alone built by a second
 * thread while this one computes ids and distances: the ones `indexing`
 * brings, or, for many edges in SharedArrayBuffers (as the parser leaves them
 * with `sharedEdges`), a helper started here. What a helper fails to build,
 * this thread builds.
 */
export async function buildGraph({ data, indexing, ids }: LoadedSnapshot, onProgress?: BuildProgress, helperScript = defaultHelperScript(), options: IndexingOptions = {}): Promise<HeapGraph> {
  if (indexing) return HeapGraph.buildWith(data, orHere(data, indexing), onProgress, ids);
  const shared = data.edgeToNodes.buffer instanceof SharedArrayBuffer && data.edgeTypes.buffer instanceof SharedArrayBuffer;
  if (!helperScript || !shared || data.edgeCount < TWO_THREADS_FROM_EDGES) return HeapGraph.build(data, onProgress);
  const helper = new HelperThread(helperScript);
  const elsewhere = indexGraphElsewhere(helper, data, options);
  void indexingSettled(elsewhere).finally(() => helper.stop());
  return HeapGraph.buildWith(data, orHere(data, elsewhere), onProgress);
}

/** Each index from the helper, or built in this thread if the helper fails (only then, and only once asked for). */
function orHere(data: HeapSnapshotData, elsewhere: IndexedElsewhere): IndexedElsewhere {
  return {
    ...elsewhere,
    retainerRows: elsewhere.retainerRows.catch(() => buildRetainerRows(data.edgeToNodes, data.nodeCount)),
  };
}
