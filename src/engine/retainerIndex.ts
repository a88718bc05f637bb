/**
 * Incoming edges per node as compressed sparse rows (DevTools'
 * `firstRetainerIndex` / `retainingEdges`).
 * Only the edge index is stored; its holder is found by binary search on
 * `firstEdgeIndexes`, which saves one u32 per edge.
 */
import type { HeapSnapshotData } from './snapshotData';
import { rowsByTarget } from './compressedRows';

const HOLDER_BLOCK_BITS = 10;

/** Node n's retainers are retainingEdges[firstRetainerIndexes[n] .. firstRetainerIndexes[n + 1]), in edge order. */
export interface RetainerRows {
  /** nodeCount + 1 entries. */
  readonly firstRetainerIndexes: Uint32Array;
  /** edgeIndex of each retaining edge, grouped by the node it points to. */
  readonly retainingEdges: Uint32Array;
}

/**
 * The edges grouped by target, rows in ascending edge order
 * (compressedRows.ts), in this thread (splitRetainerRows.ts builds the
 * same rows on two).
 */
export function buildRetainerRows(edgeToNodes: Uint32Array, nodeCount: number): RetainerRows {
  const first = new Uint32Array(nodeCount + 1);
  const retaining = rowsByTarget(edgeToNodes, first, (total) => new Uint32Array(total));
  return { firstRetainerIndexes: first, retainingEdges: retaining };
}

/** Holder of every 1024th edge: narrows holderOf's search to a few cache-local nodes. */
function blockHolders(firstEdgeIndexes: Uint32Array, nodeCount: number, edgeCount: number): Uint32Array {
  const blocks = new Uint32Array((edgeCount >>> HOLDER_BLOCK_BITS) + 2);
  let holder = 0;
  for (let b = 0; b < blocks.length; b++) {
    const edgeIndex = Math.min(b << HOLDER_BLOCK_BITS, Math.max(edgeCount - 1, 0));
    while (holder < nodeCount - 1 && firstEdgeIndexes[holder + 1] <= edgeIndex) holder++;
    blocks[b] = holder;
  }
  return blocks;
}

export class RetainerIndex implements RetainerRows {
  readonly firstRetainerIndexes: Uint32Array;
  readonly retainingEdges: Uint32Array;

  constructor(
    private readonly data: HeapSnapshotData,
    rows: RetainerRows = buildRetainerRows(data.edgeToNodes, data.nodeCount),
  ) {
    const { nodeCount, edgeCount } = data;
    this.firstRetainerIndexes = rows.firstRetainerIndexes;
    this.retainingEdges = rows.retainingEdges;

    this.blockHolders = blockHolders(data.firstEdgeIndexes, nodeCount, edgeCount);
  }

  private readonly blockHolders: Uint32Array;

  /**
   * holderOf for the next retaining edge of a row: `previous` is the holder
   * of an earlier edge of the same row (rows ascend), or -1. A near edge is
   * found by stepping on from there, through memory the last search just
   * read: a node with a million retainers costs no million searches.
   */
  holderAfter(edgeIndex: number, previous: number): number {
    const firstEdgeIndexes = this.data.firstEdgeIndexes;
    if (previous < 0 || edgeIndex < firstEdgeIndexes[previous] || edgeIndex - firstEdgeIndexes[previous] > 1 << HOLDER_BLOCK_BITS) return this.holderOf(edgeIndex);
    let holder = previous;
    while (firstEdgeIndexes[holder + 1] <= edgeIndex) holder++;
    return holder;
  }

  /** The nodeOrdinal owning edgeIndex (binary search on firstEdgeIndexes). */
  holderOf(edgeIndex: number): number {
    const block = edgeIndex >>> HOLDER_BLOCK_BITS;
    return holderAmong(this.data.firstEdgeIndexes, edgeIndex, this.blockHolders[block], this.blockHolders[block + 1]);
  }
}

/**
 * The nodeOrdinal owning edgeIndex, known to be one of nodes [low, high]
 * (bisection on firstEdgeIndexes: the last node whose edges start at or before it).
 */
export function holderAmong(firstEdgeIndexes: Uint32Array, edgeIndex: number, low: number, high: number): number {
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (firstEdgeIndexes[mid] <= edgeIndex) low = mid;
    else high = mid - 1;
  }
  return low;
}
