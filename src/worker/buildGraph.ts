import { HeapGraph, type BuildProgress, type IndexedElsewhere } from '../engine/heapGraph';
import { buildRetainerRows, type RetainerRows } from '../engine/retainerIndex';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { HelperThread, defaultHelperScript } from './helper';

/** Below this many edges a second thread costs more than it saves. */
const TWO_THREADS_FROM_EDGES = 1 << 20;

/** The edges a helper indexes: columns in SharedArrayBuffers. */
export interface SharedEdges {
  edgeTypes: Uint8Array;
  edgeToNodes: Uint32Array;
  nodeCount: number;
  edgeTypeNames: readonly string[];
}

/** Indexes a helper thread is already building, by the edges they index (readSnapshotFile starts them as soon as the edges are read). */
const inFlight = new WeakMap<Uint32Array, IndexedElsewhere>();

/** Has `helper` build the retainer rows from edges in SharedArrayBuffers. A thread that fails leaves the work to this one. */
export function indexEdgesElsewhere(helper: HelperThread, edges: SharedEdges): IndexedElsewhere {
  const { edgeToNodes, nodeCount } = edges;
  const indexes = {
    retainerRows: helper
      .run<RetainerRows>({ kind: 'retainers', edgeToNodes, nodeCount })
      .catch(() => buildRetainerRows(edgeToNodes, nodeCount)),
  };
  inFlight.set(edgeToNodes, indexes);
  return indexes;
}

/**
 * HeapGraph.build, with the indexes over the edges alone built by a second
 * thread while this one computes ids and distances, when the edges are in
 * SharedArrayBuffers (as readSnapshotFile and the capture parser leave them) and there are many.
 */
export async function buildGraph(data: HeapSnapshotData, onProgress?: BuildProgress, helperScript = defaultHelperScript()): Promise<HeapGraph> {
  const started = inFlight.get(data.edgeToNodes);
  if (started) {
    inFlight.delete(data.edgeToNodes);
    return HeapGraph.buildWith(data, started, onProgress);
  }
  const shared = data.edgeToNodes.buffer instanceof SharedArrayBuffer && data.edgeTypes.buffer instanceof SharedArrayBuffer;
  if (!helperScript || !shared || data.edgeCount < TWO_THREADS_FROM_EDGES) return HeapGraph.build(data, onProgress);
  const helper = new HelperThread(helperScript);
  try {
    return await HeapGraph.buildWith(data, indexEdgesElsewhere(helper, data), onProgress);
  } finally {
    await helper.stop();
  }
}
