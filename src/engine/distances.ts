/**
 * Distance from the roots, DevTools' HeapSnapshot.calculateDistances: BFS over
 * strong edges only (weak edges and WeakMap ephemeron edges never retain), in
 * two passes. First from the user roots (the synthetic root's non-synthetic
 * children: the global object), then from the synthetic root for what the
 * first pass did not reach, offset by SYSTEM_DISTANCE. So a chain through
 * `globalThis` or a module always ranks before one through `(Stack roots)` or
 * `(Global handles)` — e.g. a local of a paused frame is explained by the
 * static Map that really keeps it, not by the debugger's pause.
 * Unreachable nodes keep UNREACHABLE.
 */
import type { HeapSnapshotData } from './snapshotData';
import type { EphemeronEdges, TypeCodes } from './edgeTypes';

export const UNREACHABLE = 0xffffffff;
/** DevTools' baseSystemDistance: distances of nodes reached only from the GC roots start here. */
export const SYSTEM_DISTANCE = 100_000_000;

/** The hop count a reader sees, whichever pass found the node. */
export function shownDistance(distance: number): number {
  return distance >= SYSTEM_DISTANCE ? distance - SYSTEM_DISTANCE : distance;
}

/** Edges to skip besides weak ones (DevTools' "Ignore this retainer"), as edgeIndex → 1. */
export type EdgeMask = Uint8Array | null;

export function computeDistances(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  ignored: EdgeMask,
  onProgress?: (done: number, total: number) => void,
): Uint32Array {
  const { nodeCount, firstEdgeIndexes, edgeTypes, edgeToNodes } = data;
  const weak = codes.edgeWeak;
  const distances = new Uint32Array(nodeCount).fill(UNREACHABLE);
  const queue = new Uint32Array(nodeCount);
  const search: Search = { data, weak, internal: codes.edgeInternal, ephemerons, ignored, distances, queue, onProgress, visited: 0 };
  let userRoots = 0;
  for (let e = firstEdgeIndexes[0]; e < firstEdgeIndexes[1]; e++) {
    if (edgeTypes[e] === weak || (ignored !== null && ignored[e] === 1)) continue;
    const to = edgeToNodes[e];
    if (data.nodeTypes[to] === codes.nodeSynthetic || distances[to] !== UNREACHABLE) continue;
    distances[to] = 1;
    queue[userRoots++] = to;
  }
  distances[0] = UNREACHABLE - 1; // not UNREACHABLE, so the first pass never enters the root
  breadthFirst(search, 0, userRoots);
  distances[0] = userRoots > 0 ? SYSTEM_DISTANCE : 0;
  queue[0] = 0;
  breadthFirst(search, 0, 1);
  onProgress?.(nodeCount, nodeCount);
  return distances;
}

interface Search {
  data: HeapSnapshotData;
  weak: number;
  internal: number;
  ephemerons: EphemeronEdges;
  ignored: EdgeMask;
  distances: Uint32Array;
  queue: Uint32Array;
  onProgress: ((done: number, total: number) => void) | undefined;
  visited: number;
}

const REPORT_EVERY = 1 << 20;

/**
 * BFS from queue[head, tail), skipping what an earlier pass reached. A plain
 * function with every array in a local: as a closure over them it ran ~25 %
 * slower (each load went through the context).
 */
function breadthFirst(search: Search, head: number, tail: number): void {
  const { weak, internal, ephemerons, ignored, distances, queue, onProgress } = search;
  const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, nodeCount } = search.data;
  const weaklyHeld = ephemerons.weaklyHeld;
  let visited = search.visited;
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
    if (onProgress && (++visited & (REPORT_EVERY - 1)) === 0) onProgress(visited, nodeCount);
  }
  search.visited = visited;
}
