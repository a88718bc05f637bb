/**
 * Distance from the roots: BFS from the synthetic root (nodeOrdinal 0) over
 * strong edges only — weak edges and WeakMap ephemeron edges never retain
 * (DevTools' HeapSnapshot.calculateDistances, minus its DOM-only rules).
 * Unreachable nodes keep UNREACHABLE.
 */
import type { HeapSnapshotData } from './snapshotData';
import type { EphemeronEdges, TypeCodes } from './edgeTypes';

export const UNREACHABLE = 0xffffffff;

/** Edges to skip besides weak ones (DevTools' "Ignore this retainer"), as edgeIndex → 1. */
export type EdgeMask = Uint8Array | null;

export function computeDistances(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  ignored: EdgeMask,
  onProgress?: (done: number, total: number) => void,
): Uint32Array {
  const { nodeCount, firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes } = data;
  const weak = codes.edgeWeak;
  const internal = codes.edgeInternal;
  const weaklyHeld = ephemerons.weaklyHeld;
  const distances = new Uint32Array(nodeCount).fill(UNREACHABLE);
  const queue = new Uint32Array(nodeCount);
  let head = 0;
  let tail = 0;
  distances[0] = 0;
  queue[tail++] = 0;
  const reportEvery = 1 << 20;
  while (head < tail) {
    const ordinal = queue[head++];
    const next = distances[ordinal] + 1;
    const end = firstEdgeIndexes[ordinal + 1];
    for (let e = firstEdgeIndexes[ordinal]; e < end; e++) {
      const type = edgeTypes[e];
      if (type === weak) continue;
      if (ignored !== null && ignored[e] === 1) continue;
      const to = edgeToNodes[e];
      if (distances[to] !== UNREACHABLE) continue;
      if (type === internal && weaklyHeld[to] === 1 && ephemerons.isEphemeronName(edgeNamesOrIndexes[e])) continue;
      distances[to] = next;
      queue[tail++] = to;
    }
    if (onProgress && (head & (reportEvery - 1)) === 0) onProgress(head, nodeCount);
  }
  onProgress?.(nodeCount, nodeCount);
  return distances;
}
