import { HeapGraph, type BuildProgress } from '../engine/heapGraph';
import { buildRetainerRows, type RetainerRows } from '../engine/retainerIndex';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { HelperThread, defaultHelperScript } from './helper';

/** Below this many edges a second thread costs more than it saves. */
const TWO_THREADS_FROM_EDGES = 1 << 20;

/** Retainer rows a helper thread is already building, by the edges they index (readSnapshotFile starts them as soon as the edges are read). */
const rowsInFlight = new WeakMap<Uint32Array, Promise<RetainerRows>>();

export function provideRetainerRows(edgeToNodes: Uint32Array, rows: Promise<RetainerRows>): void {
  rowsInFlight.set(edgeToNodes, rows);
}

/**
 * HeapGraph.build, with the retainer index built by a second thread while this
 * one computes distances, when the edges are in SharedArrayBuffers (as
 * readSnapshotFile and the capture parser leave them) and there are many.
 */
export async function buildGraph(data: HeapSnapshotData, onProgress?: BuildProgress, helperScript = defaultHelperScript()): Promise<HeapGraph> {
  const inFlight = rowsInFlight.get(data.edgeToNodes);
  if (inFlight) {
    rowsInFlight.delete(data.edgeToNodes);
    return HeapGraph.buildWith(data, inFlight.catch(() => buildRetainerRows(data.edgeToNodes, data.nodeCount)), onProgress);
  }
  const shared = data.edgeToNodes.buffer instanceof SharedArrayBuffer;
  if (!helperScript || !shared || data.edgeCount < TWO_THREADS_FROM_EDGES) return HeapGraph.build(data, onProgress);
  const helper = new HelperThread(helperScript);
  try {
    const rows = helper
      .run<RetainerRows>({ kind: 'retainers', edgeToNodes: data.edgeToNodes, nodeCount: data.nodeCount })
      // A thread that fails leaves the work to this one.
      .catch(() => buildRetainerRows(data.edgeToNodes, data.nodeCount));
    return await HeapGraph.buildWith(data, rows, onProgress);
  } finally {
    await helper.stop();
  }
}
