/**
 * Incoming edges per node as compressed sparse rows (DevTools'
 * `firstRetainerIndex` / `retainingEdges`): count, prefix sums, fill.
 * Only the edge index is stored; its holder is found by binary search on
 * `firstEdgeIndexes`, which saves one u32 per edge.
 */
import type { HeapSnapshotData } from './snapshotData';

const HOLDER_BLOCK_BITS = 10;

export class RetainerIndex {
  /** nodeCount + 1 entries: node n's retainers are retainingEdges[first[n] .. first[n+1]), in edge order. */
  readonly firstRetainerIndexes: Uint32Array;
  /** edgeIndex of each retaining edge, grouped by the node it points to. */
  readonly retainingEdges: Uint32Array;

  /** nodeOrdinal → 1 when a `weak` edge points at it (noted here to save a pass over the edges). */
  readonly weaklyHeld: Uint8Array;

  constructor(
    private readonly data: HeapSnapshotData,
    weakEdgeType: number,
  ) {
    const { nodeCount, edgeCount, edgeToNodes, edgeTypes } = data;
    // Count, prefix sums to each row's end, then fill backwards so every
    // cursor ends at its row's start, rows in ascending edge order.
    const first = new Uint32Array(nodeCount + 1);
    const weaklyHeld = new Uint8Array(nodeCount);
    for (let e = 0; e < edgeCount; e++) {
      const to = edgeToNodes[e];
      first[to]++;
      if (edgeTypes[e] === weakEdgeType) weaklyHeld[to] = 1;
    }
    this.weaklyHeld = weaklyHeld;
    let sum = 0;
    for (let n = 0; n < nodeCount; n++) {
      sum += first[n];
      first[n] = sum;
    }
    first[nodeCount] = sum;
    const retaining = new Uint32Array(edgeCount);
    for (let e = edgeCount - 1; e >= 0; e--) retaining[--first[edgeToNodes[e]]] = e;
    this.firstRetainerIndexes = first;
    this.retainingEdges = retaining;

    // Holder of every 1024th edge: narrows holderOf's search to a few cache-local nodes.
    const blocks = new Uint32Array((edgeCount >>> HOLDER_BLOCK_BITS) + 2);
    const { firstEdgeIndexes } = data;
    let holder = 0;
    for (let b = 0; b < blocks.length; b++) {
      const edgeIndex = Math.min(b << HOLDER_BLOCK_BITS, Math.max(edgeCount - 1, 0));
      while (holder < nodeCount - 1 && firstEdgeIndexes[holder + 1] <= edgeIndex) holder++;
      blocks[b] = holder;
    }
    this.blockHolders = blocks;
  }

  private readonly blockHolders: Uint32Array;

  /** The nodeOrdinal owning edgeIndex (binary search on firstEdgeIndexes). */
  holderOf(edgeIndex: number): number {
    const firstEdgeIndexes = this.data.firstEdgeIndexes;
    const block = edgeIndex >>> HOLDER_BLOCK_BITS;
    let low = this.blockHolders[block];
    let high = this.blockHolders[block + 1];
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (firstEdgeIndexes[mid] <= edgeIndex) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
