import { HeapGraph, type BuildProgress, type IndexedElsewhere } from '../engine/heapGraph';
import { buildRetainerRows } from '../engine/retainerIndex';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { HelperThread, defaultHelperScript } from './helperThread';

/** Below this many edges a second thread costs more than it saves. */
const TWO_THREADS_FROM_EDGES = 1 << 20;

/**
 * A parsed snapshot and the indexes over its edges that a helper thread is
 * already building (readSnapshotFile starts them as soon as the edges are
 * read; either promise rejects if that thread fails).
 */
export interface LoadedSnapshot {
  data: HeapSnapshotData;
  indexing?: IndexedElsewhere;
}

/**
 * Has `helper` build the retainer rows from the `to_node` column, which
 * must be in a SharedArrayBuffer.
 */
export function indexEdgesElsewhere(helper: HelperThread, data: Pick<HeapSnapshotData, 'edgeToNodes' | 'nodeCount'>): IndexedElsewhere {
  const { edgeToNodes, nodeCount } = data;
  return { retainerRows: helper.call('retainerRows', edgeToNodes, nodeCount) };
}

/**
 * HeapGraph.build, with the indexes over the edges alone built by a second
 * thread while this one computes ids and distances: the ones `indexing`
 * brings, or, for many edges in SharedArrayBuffers (as the parser leaves them
 * with `sharedEdges`), a helper started here. What a helper fails to build,
 * this thread builds.
 */
export async function buildGraph({ data, indexing }: LoadedSnapshot, onProgress?: BuildProgress, helperScript = defaultHelperScript()): Promise<HeapGraph> {
  if (indexing) return HeapGraph.buildWith(data, orHere(data, indexing), onProgress);
  const shared = data.edgeToNodes.buffer instanceof SharedArrayBuffer && data.edgeTypes.buffer instanceof SharedArrayBuffer;
  if (!helperScript || !shared || data.edgeCount < TWO_THREADS_FROM_EDGES) return HeapGraph.build(data, onProgress);
  const helper = new HelperThread(helperScript);
  try {
    return await HeapGraph.buildWith(data, orHere(data, indexEdgesElsewhere(helper, data)), onProgress);
  } finally {
    await helper.stop();
  }
}

/** Each index from the helper, or built in this thread if the helper fails (only then, and only once asked for). */
function orHere(data: HeapSnapshotData, elsewhere: IndexedElsewhere): IndexedElsewhere {
  return {
    retainerRows: elsewhere.retainerRows.catch(() => buildRetainerRows(data.edgeToNodes, data.nodeCount)),
  };
}
