/**
 * Step 1 of the dominator tree (dominators.ts): the nodes in depth-first
 * preorder over the retaining edges, each with its DFS-tree parent. First
 * from the root, then from each node nothing retains but itself (its edges
 * to itself are marked, essentialEdges.ts says why; parent: the root);
 * what is left, held only by one another, is numbered one by one under the
 * root, with no DFS. Iterative (a node enters the preorder when first
 * pushed; `cursor` resumes its edge scan), as in DevTools and MemLab, so
 * million-long chains cannot overflow the stack.
 *
 * When every row of predecessors fits at once, the DFS also fills them
 * (`RowsAsScanned`): it reads each retaining edge's target's number then
 * anyway, and one more scan of every edge after it is saved.
 */
import type { HeapSnapshotData } from './snapshotData';

/** DFS steps between two yields. */
const SLICE = 1 << 16;
const NO_WORDS = new Uint32Array(0);
const NO_ROWS: RowsAsScanned = { counts: NO_WORDS, rowEnds: NO_WORDS, predecessors: NO_WORDS, sum: 0 };

/**
 * Numbers every node (`dfs.count` ends at nodeCount): preorder[node] =
 * number + 1, vertex[number] = node, ancestor[number] = the parent's
 * number. `retainerCounts`: retaining edges per nodeOrdinal. Yields between slices.
 */
export function* numberInPreorder(dfs: DepthFirst, retainerCounts: Uint32Array, report: (numbered: number) => void): Generator<void, void, void> {
  const { preorder, scanned } = dfs;
  const nodeCount = preorder.length;
  for (let start = 0; start >= 0; start = nextDfsStart(dfs, start, retainerCounts)) {
    beginDepthFirst(dfs, start);
    while (dfs.depth > 0) {
      dfs.depth = depthFirst(dfs, SLICE);
      report(dfs.count);
      yield;
    }
  }
  const searched = (dfs.searched = dfs.count);
  if (searched < nodeCount) {
    for (let ordinal = 1; ordinal < nodeCount; ordinal++) if (preorder[ordinal] === 0) numberUnderRoot(dfs, ordinal);
  }
  if (scanned) {
    fillFromUnsearched(dfs, scanned, searched);
    scanned.rowEnds[dfs.count] = scanned.sum;
  }
}

export interface DepthFirst {
  data: HeapSnapshotData;
  essential: Uint8Array;
  preorder: Uint32Array;
  vertex: Uint32Array;
  ancestor: Uint32Array;
  /** The path being explored, and where each of its nodes' edge scans resumes. */
  stack: Uint32Array;
  cursor: Uint32Array;
  depth: number;
  /** Nodes numbered so far. */
  count: number;
  /** Nodes numbered by a DFS, once all are numbered (the rest were numbered one by one). */
  searched: number;
  /** The rows of predecessors the DFS fills, when they fit at once. */
  scanned: RowsAsScanned | null;
}

/**
 * Rows of predecessors filled as the DFS scans the retaining edges: row k
 * (of preorder number k) ends at the predecessors of the nodes numbered
 * before it and its own, counted as each is numbered; `rowEnds[k]` is
 * that end until the row is filled, then its start.
 */
export interface RowsAsScanned {
  /** Retaining edges per nodeOrdinal. */
  counts: Uint32Array;
  rowEnds: Uint32Array;
  predecessors: Uint32Array;
  /** Predecessors of the nodes numbered so far. */
  sum: number;
}

/** Numbers `start` (its parent: the root, when it is not the root) and starts a DFS from it. */
function beginDepthFirst(dfs: DepthFirst, start: number): void {
  numberUnderRoot(dfs, start);
  dfs.stack[0] = start;
  dfs.cursor[0] = dfs.data.firstEdgeIndexes[start];
  dfs.depth = 1;
}

/** Gives `node` the next preorder number, its parent being the root (or none, for the root). */
function numberUnderRoot(dfs: DepthFirst, node: number): void {
  const k = dfs.count;
  dfs.ancestor[k] = 0;
  dfs.vertex[k] = node;
  dfs.preorder[node] = ++dfs.count;
  const { scanned } = dfs;
  if (scanned) scanned.rowEnds[k] = scanned.sum += scanned.counts[node];
}

/** The rows' entries from the holders numbered one by one (from preorder number `from` on), which no DFS scanned. */
function fillFromUnsearched(dfs: DepthFirst, scanned: RowsAsScanned, from: number): void {
  const { essential, preorder, vertex } = dfs;
  const { firstEdgeIndexes, edgeToNodes } = dfs.data;
  const { rowEnds, predecessors } = scanned;
  for (let k = from; k < dfs.count; k++) {
    const holder = vertex[k];
    for (let e = firstEdgeIndexes[holder], end = firstEdgeIndexes[holder + 1]; e < end; e++) {
      if ((essential[e >>> 3] & (1 << (e & 7))) === 0) continue;
      predecessors[--rowEnds[preorder[edgeToNodes[e]] - 1]] = k;
    }
  }
}

/** The next node to start a DFS from after `after`: unnumbered, with no retaining edge but to itself; -1 when none is left. */
function nextDfsStart(dfs: DepthFirst, after: number, retainerCounts: Uint32Array): number {
  const { preorder } = dfs;
  const nodeCount = preorder.length;
  if (dfs.count === nodeCount) return -1;
  for (let ordinal = after + 1; ordinal < nodeCount; ordinal++) {
    if (preorder[ordinal] === 0 && (retainerCounts[ordinal] === 0 || retainerCounts[ordinal] === retainingSelfEdges(dfs, ordinal))) return ordinal;
  }
  return -1;
}

/** How many of `ordinal`'s own edges retain it. */
function retainingSelfEdges(dfs: DepthFirst, ordinal: number): number {
  const { essential } = dfs;
  const { firstEdgeIndexes, edgeToNodes } = dfs.data;
  let count = 0;
  for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
    if (edgeToNodes[e] === ordinal && (essential[e >>> 3] & (1 << (e & 7))) !== 0) count++;
  }
  return count;
}

/**
 * Runs the DFS for about `budget` steps and returns the depth left (a plain
 * function with every array in a local; what grows is stored as it grows,
 * as in semidominators). With rows to fill, every retaining edge it scans
 * puts its holder's number in its target's row, the target numbered first
 * if it was not (as the DFS pushes it).
 */
function depthFirst(dfs: DepthFirst, budget: number): number {
  const { essential, preorder, vertex, ancestor, stack, cursor, scanned } = dfs;
  const { firstEdgeIndexes, edgeToNodes } = dfs.data;
  const { counts, rowEnds, predecessors } = scanned ?? NO_ROWS;
  const filling = scanned !== null;
  let { depth, count } = dfs;
  let sum = scanned?.sum ?? 0;
  for (let steps = 0; depth > 0 && steps < budget; steps++) {
    const top = depth - 1;
    const ordinal = stack[top];
    const from = preorder[ordinal] - 1;
    const end = firstEdgeIndexes[ordinal + 1];
    let e = cursor[top];
    let pushed = false;
    for (; e < end; e++) {
      if ((essential[e >>> 3] & (1 << (e & 7))) === 0) continue;
      const to = edgeToNodes[e];
      const numbered = preorder[to];
      if (numbered !== 0) {
        if (filling) predecessors[--rowEnds[numbered - 1]] = from;
        continue;
      }
      cursor[top] = e + 1;
      ancestor[count] = from;
      vertex[count] = to;
      if (filling) {
        sum += counts[to];
        rowEnds[count] = sum - 1;
        predecessors[sum - 1] = from;
        scanned.sum = sum;
      }
      preorder[to] = ++count;
      dfs.count = count;
      stack[depth] = to;
      cursor[depth] = firstEdgeIndexes[to];
      depth++;
      pushed = true;
      break;
    }
    if (!pushed) depth--;
  }
  return depth;
}
