/**
 * Dominator tree and retained sizes over strong edges, from the synthetic
 * root (nodeOrdinal 0).
 *
 * Algorithm: Lengauer & Tarjan, "A Fast Algorithm for Finding Dominators in a
 * Flowgraph", TOPLAS 1(1), 1979 — the "simple" version (path compression,
 * O(m log n)), with the DFS and `compress` made iterative as in Chrome
 * DevTools' HeapSnapshot.buildDominatorTree and MemLab's dominator pass, so
 * 14 M-node heaps with million-long chains cannot overflow the stack.
 *
 * Memory: typed arrays only, no per-node objects (≈ 40 B/node while it runs,
 * 12 B/node kept). Two reuses keep the buffers down: the DFS stack and its
 * edge cursors become the bucket lists, and `parent` doubles as the forest's
 * `ancestor` (in reverse preorder, a vertex is linked exactly when its number
 * is at least the one being processed, so "not linked yet" needs no sentinel).
 *
 * Edges: the same rule as distances (weak edges and WeakMap ephemeron edges
 * never retain). Nodes the root does not reach get no dominator; their
 * retained size is their self size (what is freed when just they go — the
 * rest of what they hold is garbage already, or held by someone else).
 *
 * The work is a generator that yields between slices, so the worker can answer
 * walks while it runs; `computeDominators` drains it in one go.
 */
import type { HeapSnapshotData } from './snapshotData';
import type { EphemeronEdges, TypeCodes } from './edgeTypes';
import type { RetainerIndex } from './retainerIndex';

export const NO_DOMINATOR = 0xffffffff;

export interface DominatorTree {
  /** nodeOrdinal → nodeOrdinal of its immediate dominator; NO_DOMINATOR for the root and unreachable nodes. */
  readonly dominators: Uint32Array;
  /** nodeOrdinal → bytes freed if the node went (itself plus every node it dominates). */
  readonly retainedSizes: Float64Array;
}

export type DominatorProgress = (done: number, total: number) => void;

/** Iterations of the hot loops between two yields / progress reports. */
const SLICE = 1 << 16;

export function computeDominators(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  retainers: RetainerIndex,
  onProgress?: DominatorProgress,
): DominatorTree {
  const steps = dominatorSteps(data, codes, ephemerons, retainers, onProgress);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same computation in slices: each `next()` runs ~65 k iterations of the
 * current pass; the generator's return value is the tree.
 */
export function* dominatorSteps(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  retainers: RetainerIndex,
  onProgress?: DominatorProgress,
): Generator<void, DominatorTree, void> {
  const { nodeCount, firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, nodeSelfSizes } = data;
  const weak = codes.edgeWeak;
  const internal = codes.edgeInternal;
  const weaklyHeld = ephemerons.weaklyHeld;
  const { firstRetainerIndexes, retainingEdges } = retainers;
  // Progress: the DFS counts nodeCount, the semidominator pass nodeCount more.
  const total = 2 * nodeCount;
  const report = onProgress ?? ((): void => {});
  report(0, total);

  // nodeOrdinal → preorder number + 1 (0 = not reached). Becomes `dominators` at the end.
  const preorder = new Uint32Array(nodeCount);
  // preorder number → nodeOrdinal.
  const vertex = new Uint32Array(nodeCount);
  // preorder → preorder of its DFS-tree parent; later the forest's ancestor link.
  const ancestor = new Uint32Array(nodeCount);
  // 1. Iterative DFS from the root over strong edges. A node enters the
  //    preorder when first pushed; `cursor` resumes its edge scan.
  const stack = new Uint32Array(nodeCount);
  const cursor = new Uint32Array(nodeCount);
  let count = 0;
  let depth = 0;
  preorder[0] = ++count;
  vertex[0] = 0;
  stack[0] = 0;
  cursor[0] = firstEdgeIndexes[0];
  depth = 1;
  let sinceYield = 0;
  while (depth > 0) {
    const top = depth - 1;
    const ordinal = stack[top];
    const end = firstEdgeIndexes[ordinal + 1];
    let e = cursor[top];
    let pushed = false;
    for (; e < end; e++) {
      const to = edgeToNodes[e];
      if (preorder[to] !== 0) continue;
      const type = edgeTypes[e];
      if (type === weak) continue;
      if (type === internal && weaklyHeld[to] === 1 && ephemerons.isEphemeronName(edgeNamesOrIndexes[e])) continue;
      cursor[top] = e + 1;
      ancestor[count] = preorder[ordinal] - 1;
      vertex[count] = to;
      preorder[to] = ++count;
      stack[depth] = to;
      cursor[depth] = firstEdgeIndexes[to];
      depth++;
      pushed = true;
      break;
    }
    if (!pushed) depth--;
    if (++sinceYield === SLICE) {
      sinceYield = 0;
      report(count, total);
      yield;
    }
  }
  const reached = count;
  report(nodeCount, total);

  // 2–3. Semidominators in reverse preorder, implicit immediate dominators
  //      from the buckets (the paper's steps 2 and 3).
  const semi = new Uint32Array(reached);
  const label = new Uint32Array(reached);
  const idom = new Uint32Array(reached);
  for (let v = 0; v < reached; v++) {
    semi[v] = v;
    label[v] = v;
  }
  // bucket(v) = the vertices whose semidominator is v, as linked lists.
  const NONE = 0xffffffff;
  const bucketHead = stack.fill(NONE, 0, reached);
  const bucketNext = cursor;
  const path = new Uint32Array(reached);
  // Vertices numbered >= linkedFrom are in the forest (their ancestor link is live).
  let linkedFrom = reached;

  /** The paper's EVAL with iterative COMPRESS: the vertex of least semi on v's forest path. */
  const evaluate = (v: number): number => {
    if (v < linkedFrom) return v;
    // Collect the path up to the vertex just below the forest root, then
    // compress it top-down.
    let top = 0;
    let x = v;
    while (ancestor[x] >= linkedFrom) {
      path[top++] = x;
      x = ancestor[x];
    }
    while (top > 0) {
      const y = path[--top];
      const a = ancestor[y];
      if (semi[label[a]] < semi[label[y]]) label[y] = label[a];
      ancestor[y] = ancestor[a];
    }
    return label[v];
  };

  for (let w = reached - 1; w > 0; w--) {
    const ordinal = vertex[w];
    // Step 2: semi(w) = min over strong retainers v of semi(eval(v)).
    for (let r = firstRetainerIndexes[ordinal], rEnd = firstRetainerIndexes[ordinal + 1]; r < rEnd; r++) {
      const e = retainingEdges[r];
      const type = edgeTypes[e];
      if (type === weak) continue;
      if (type === internal && weaklyHeld[ordinal] === 1 && ephemerons.isEphemeronName(edgeNamesOrIndexes[e])) continue;
      const holderNumber = preorder[retainers.holderOf(e)];
      if (holderNumber === 0) continue; // an unreachable holder is no path from the root
      const u = evaluate(holderNumber - 1);
      if (semi[u] < semi[w]) semi[w] = semi[u];
      // Hubs (a prototype, a shared Map) have millions of retainers: yield inside them too.
      if (++sinceYield === SLICE) {
        sinceYield = 0;
        yield;
      }
    }
    bucketNext[w] = bucketHead[semi[w]];
    bucketHead[semi[w]] = w;
    // LINK(parent(w), w): parent(w) is ancestor[w] until w is linked.
    const parent = ancestor[w];
    linkedFrom = w;
    // Step 3: for v in bucket(parent(w)), dom(v) = semi(u) < semi(v) ? u : parent(w).
    for (let v = bucketHead[parent]; v !== NONE; v = bucketNext[v]) {
      const u = evaluate(v);
      idom[v] = semi[u] < semi[v] ? u : parent;
    }
    bucketHead[parent] = NONE;
    if (++sinceYield === SLICE) {
      sinceYield = 0;
      report(nodeCount + (reached - w), total);
      yield;
    }
  }
  // Step 4: explicit immediate dominators, in preorder.
  for (let w = 1; w < reached; w++) {
    if (idom[w] !== semi[w]) idom[w] = idom[idom[w]];
    if ((w & (4 * SLICE - 1)) === 0) yield;
  }

  // Retained sizes: children before parents (reverse preorder), each adds
  // its size to its immediate dominator.
  const retainedSizes = nodeSelfSizes.slice();
  for (let w = reached - 1; w > 0; w--) {
    retainedSizes[vertex[idom[w]]] += retainedSizes[vertex[w]];
    if ((w & (4 * SLICE - 1)) === 0) yield;
  }
  const dominators = preorder.fill(NO_DOMINATOR);
  for (let w = 1; w < reached; w++) {
    dominators[vertex[w]] = vertex[idom[w]];
    if ((w & (4 * SLICE - 1)) === 0) yield;
  }
  report(total, total);
  return { dominators, retainedSizes };
}
