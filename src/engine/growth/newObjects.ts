/**
 * Questions about the objects allocated since the first snapshot, asked of
 * the last graph: how many bytes a collection or class holds in new objects,
 * and what stands above a new object on its shortest path (the new structure
 * it belongs to, the suspect collection that keeps it).
 */
import type { WalkContext } from '../retainerWalk';
import { shortestPathStep } from '../retainerWalk';
import { isStableId } from './objectIds';
import { doubled } from '../growingArrays';

export class NewObjects {
  /** nodeOrdinal → stamp of the last BFS that visited it (1..255, cleared when the stamps wrap). */
  private visitedBy: Uint8Array | null = null;
  private stamp = 0;
  /** sizeBelow's depth-first stack, grown on demand. */
  private stack: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  private readonly parents = new Map<number, number>();
  /** For a new node: the top of the run of new nodes on its shortest path that ends at it. */
  private readonly chainTops = new Map<number, number>();
  /** The nearest marked collection strictly above a node on its shortest path, or -1. */
  private readonly holders = new Map<number, number>();

  constructor(
    private readonly ctx: WalkContext,
    /** Objects with a stable id above this were allocated after the first snapshot. */
    private readonly firstMaxId: number,
    /** Collections `holderOf` reports. */
    private readonly marked: ReadonlySet<number> = new Set(),
  ) {}

  isNew(ordinal: number): boolean {
    const id = this.ctx.core.data.nodeIds[ordinal];
    return isStableId(id) && id > this.firstMaxId;
  }

  /**
   * Self sizes of the new objects among `starts` and of every new object
   * they reach through new objects only, over strong edges: the memory the
   * growth below them consists of. Each call counts a node once.
   */
  newSizeFrom(starts: Iterable<number>): number {
    const count = this.newSizeCounter();
    for (const start of starts) count.add(start);
    return count.total;
  }

  /**
   * newSizeFrom with the starts given one at a time, each explored at once:
   * no list of them is held, and the stack holds one start's search.
   */
  newSizeCounter(): { add(start: number): void; readonly total: number } {
    const visitedBy = (this.visitedBy ??= new Uint8Array(this.ctx.core.data.nodeCount));
    if (this.stamp === 255) {
      visitedBy.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    let total = 0;
    return {
      add: (start) => {
        if (visitedBy[start] === stamp || !this.isNew(start)) return;
        visitedBy[start] = stamp;
        total += this.sizeBelow(start, stamp);
      },
      get total() {
        return total;
      },
    };
  }

  /** Self sizes of `start` (visited) and of the new objects it reaches first in this count. */
  private sizeBelow(start: number, stamp: number): number {
    const { core } = this.ctx;
    const { firstEdgeIndexes, edgeToNodes, edgeTypes, nodeSelfSizes, nodeIds } = core.data;
    const weak = core.codes.edgeWeak;
    const internal = core.codes.edgeInternal;
    const firstMaxId = this.firstMaxId;
    const visitedBy = this.visitedBy!;
    let stack = this.stack;
    stack[0] = start;
    let top = 1;
    let size = 0;
    while (top > 0) {
      const ordinal = stack[--top];
      size += nodeSelfSizes[ordinal];
      for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
        const to = edgeToNodes[e];
        const id = nodeIds[to];
        // New (a stable id above the first snapshot's), not seen, held strongly.
        if (visitedBy[to] === stamp || (id & 1) === 0 || id <= firstMaxId) continue;
        const type = edgeTypes[e];
        if (type === weak || (type === internal && !core.isStrong(e))) continue;
        visitedBy[to] = stamp;
        if (top === stack.length) stack = this.stack = doubled(stack);
        stack[top++] = to;
      }
    }
    return size;
  }

  /** The top of the run of new objects directly above `ordinal` on its shortest path, or -1 when its holder is old. */
  newStructureAbove(ordinal: number): number {
    const parent = this.resolve(ordinal);
    return parent >= 0 && this.isNew(parent) ? this.chainTops.get(parent)! : -1;
  }

  /** The nearest marked collection above `ordinal` on its shortest path, or -1. */
  markedHolderOf(ordinal: number): number {
    this.resolve(ordinal);
    return this.holders.get(ordinal)!;
  }

  /** Memoizes parent, chain top and holder for `ordinal` and everything above it; returns its parent. */
  private resolve(ordinal: number): number {
    const pending: number[] = [];
    for (let node = ordinal; node >= 0 && !this.parents.has(node); ) {
      const parent = shortestPathStep(this.ctx, node)?.holder ?? -1;
      this.parents.set(node, parent);
      pending.push(node);
      node = parent;
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const node = pending[i];
      const parent = this.parents.get(node)!;
      const parentNew = parent >= 0 && this.isNew(parent);
      if (this.isNew(node)) this.chainTops.set(node, parentNew ? this.chainTops.get(parent)! : node);
      this.holders.set(node, parent < 0 ? -1 : this.marked.has(parent) ? parent : this.holders.get(parent)!);
    }
    return this.parents.get(ordinal)!;
  }
}
