/**
 * Dominator tree and retained sizes, from the synthetic root (nodeOrdinal 0),
 * as Chrome DevTools computes them (HeapSnapshot.calculateDominatorsAndRetainedSizes
 * over the edges its computeIsEssentialEdge keeps), so every figure matches.
 *
 * Algorithm: semidominators as in Lengauer & Tarjan, "A Fast Algorithm for
 * Finding Dominators in a Flowgraph", TOPLAS 1(1), 1979 — the "simple"
 * version (path compression, O(m log n)) — then immediate dominators by
 * Semi-NCA instead of the paper's buckets (Georgiadis, Tarjan and Werneck,
 * "Finding Dominators in Practice", 2006), with the DFS and `compress` made
 * iterative as in DevTools and MemLab, so 14 M-node heaps with million-long
 * chains cannot overflow the stack.
 *
 * Edges that retain: DevTools' essential edges (essentialEdges.ts).
 *
 * Nodes the root does not reach are hung under the root, as DevTools does:
 * first each one with no retaining edge at all, with what it reaches; then
 * any left (held only by one another) one by one. So every node has a
 * dominator and the root retains the whole heap.
 *
 * Sizes are the shallow sizes DevTools shows (shallowSizes.ts), not V8's.
 *
 * Memory: typed arrays only, no per-node objects: one bit per edge (which
 * edges retain), ~1 B and at most seven u32 arrays per node at once (the
 * DFS's edge cursors are reused for the immediate dominators, its stack
 * for the dominators by nodeOrdinal), and the predecessor rows of one window of the DFS
 * order (about 4 per node, built window by window: all at once they would
 * cost 4 B per retaining edge, the largest array of all on heaps with many
 * edges per node; when they fit in one, the DFS fills them). Arrays are
 * dropped as their pass ends; 12 B/node are kept (dominators, retained sizes).
 *
 * The work is a generator that yields between slices, so the worker can answer
 * walks while it runs; `computeDominators` drains it in one go.
 */
import type { HeapSnapshotData, SizeArray } from './snapshotData';
import type { EphemeronEdges, TypeCodes } from './edgeTypes';
import { essentialEdgeSteps } from './essentialEdges';
import type { RetainerRows } from './retainerIndex';
import { fillHere, planWindows, type FillAssistant, type PlannedWindow, type PredecessorWindow } from './predecessorWindows';
import { sumToRowEnds, totalOf } from './compressedRows';
import { numberInPreorder, type DepthFirst, type RowsAsScanned } from './depthFirstOrder';

export const NO_DOMINATOR = 0xffffffff;

export interface DominatorTree {
  /** nodeOrdinal → nodeOrdinal of its immediate dominator; NO_DOMINATOR for the root. */
  readonly dominators: Uint32Array;
  /**
   * nodeOrdinal → bytes freed if the node went (its shallow size plus every
   * node it dominates). 32 bits a node as the shallow sizes are: no sum passes the heap's total.
   */
  readonly retainedSizes: SizeArray;
  /**
   * Two working arrays of the computation, free when it ends (nodeCount + 1
   * and nodeCount entries): the per-class retained sizes lay the tree's
   * children out in them instead of allocating 8 bytes a node more at the
   * load's peak. Handed on once, with the tree from another thread too.
   */
  readonly scratch?: { rows: Uint32Array; entries: Uint32Array };
  /** Windows of predecessor rows (predecessorWindows.ts): how many, and how many the other thread filled. */
  readonly windows?: { count: number; filledElsewhere: number };
}

export type DominatorProgress = (done: number, total: number) => void;

/**
 * What the distances' first pass found (distances.ts), from which the page
 * objects follow without another search of the graph.
 */
export interface FirstPass {
  /** computeDistances' result, without ignored edges. */
  distances: Uint32Array;
  /** DistanceOptions.skippedByFirstPass. */
  skipped: number[];
  /** Does any edge lead to the synthetic root? (V8 writes none.) */
  rootRetained: boolean;
}

/** What a thread that computes the tree for another one needs from the graph besides the snapshot. */
export interface TreeInputs {
  /** EphemeronEdges.values. */
  weakMapValues: Int32Array;
  firstPass: FirstPass;
  /** The graph's retainer rows (DominatorOptions.retainerRows). */
  retainerRows: RetainerRows;
  /** Shared memory the tree may take for its counts of retaining edges (DominatorOptions.countsMemory). */
  countsMemory?: Uint32Array;
}

export interface DominatorOptions {
  onProgress?: DominatorProgress;
  /** The graph's retainer rows: how many edges lead to each node, and which lead to WeakMap values (built when not given). */
  retainerRows?: RetainerRows;
  /** The other thread, which fills windows of predecessor rows meanwhile (predecessorWindows.ts). */
  assistant?: FillAssistant;
  /** nodeCount + 1 entries another use is done with, for the counts of retaining edges (any content). */
  countsMemory?: Uint32Array;
}

const EMPTY_BYTES = new Uint8Array(0);
/**
 * Predecessor rows held at once, per node: bounds their memory (16 bytes a
 * node, what two arrays of the DFS would take) whatever the edges per node,
 * unless one node's row is larger (a node millions of objects point to);
 * halved windows hold at most 24. Each window is one more scan of every
 * edge: one is enough for most heaps.
 */
const PREDECESSORS_PER_NODE = 4;
/**
 * Predecessors that may be held above that bound so that all rows are
 * built at once, by the DFS: up to 2 more a node, and 32 MB at most.
 * Windows cost one scan of every edge each; on the TypeScript compiler's
 * heap (5.6 retaining edges a node, 2 to 4 windows) the tree took ~120 ms
 * less for ~21 MB more. At most 32 MB, so that on the largest heaps, whose
 * size the memory target is about, it is a small part.
 */
const MORE_PREDECESSORS_PER_NODE = 2;
const MORE_PREDECESSORS_AT_MOST = (32 << 20) / Uint32Array.BYTES_PER_ELEMENT;
const EMPTY_WORDS = new Uint32Array(0);

/** Iterations of the hot loops between two yields / progress reports. */
const SLICE = 1 << 16;

export function computeDominators(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  shallowSizes: SizeArray,
  firstPass: FirstPass | null,
  options: DominatorOptions = {},
): DominatorTree {
  const steps = dominatorSteps(data, codes, ephemerons, shallowSizes, firstPass, options);
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
  shallowSizes: SizeArray,
  firstPass: FirstPass | null,
  { onProgress, retainerRows, assistant, countsMemory }: DominatorOptions = {},
): Generator<void, DominatorTree, void> {
  const { nodeCount } = data;
  // Progress: page objects, the essential edges, the DFS and the semidominator pass count nodeCount each.
  const total = 4 * nodeCount;
  const report = onProgress ?? ((): void => {});
  report(0, total);
  // What a window's fill reads and writes is shared when the other thread may fill it.
  const allocate = assistant ? (bytes: number): ArrayBufferLike => assistant.allocate(bytes) : (bytes: number): ArrayBufferLike => new ArrayBuffer(bytes);

  // Arrays are dropped (reassigned empty) once their pass is over, so the GC
  // can take them before the next big allocation.
  let stack = new Uint32Array(nodeCount);

  // Which edges retain, one bit each, and how many retaining edges each node
  // has (by nodeOrdinal; later the start of its predecessors, by preorder).
  let { essential, retainerCounts } = yield* essentialEdgeSteps({ data, codes, ephemerons, firstPass, retainerRows, countsMemory }, stack, allocate, (done) => report(done, total));

  // When every row of predecessors fits at once (most heaps), the DFS fills them (depthFirstOrder.ts).
  const cap = PREDECESSORS_PER_NODE * nodeCount;
  const retaining = totalOf(retainerCounts, nodeCount);
  const allAtOnce = cap + Math.min(MORE_PREDECESSORS_PER_NODE * nodeCount, MORE_PREDECESSORS_AT_MOST);
  const scanned: RowsAsScanned | null = retaining <= allAtOnce ? { counts: retainerCounts, rowEnds: new Uint32Array(allocate((nodeCount + 1) * 4)), predecessors: new Uint32Array(allocate(Math.max(retaining, 1) * 4)), sum: 0 } : null;

  // nodeOrdinal → preorder number + 1 (0 = not numbered yet).
  let preorder = new Uint32Array(allocate(nodeCount * 4));
  // preorder number → nodeOrdinal.
  let vertex: Uint32Array = new Uint32Array(nodeCount);
  // preorder → preorder of its DFS-tree parent; later the forest's ancestor link.
  let ancestor = new Uint32Array(nodeCount);
  // 1. The DFS over retaining edges (depthFirstOrder.ts); `cursor` resumes each node's edge scan.
  let cursor = new Uint32Array(nodeCount);
  const dfs: DepthFirst = { data, essential, preorder, vertex, ancestor, stack, cursor, depth: 0, count: 0, searched: 0, scanned };
  yield* numberInPreorder(dfs, retainerCounts, (numbered) => report(2 * nodeCount + numbered, total));
  const reached = dfs.count;
  const { searched } = dfs;
  dfs.essential = EMPTY_BYTES;
  dfs.preorder = dfs.vertex = dfs.ancestor = dfs.stack = dfs.cursor = EMPTY_WORDS;
  report(3 * nodeCount, total);

  // Every node's retaining edges as the preorder numbers of their holders,
  // a window of preorder numbers at a time (predecessorWindows.ts), each
  // window holding about PREDECESSORS_PER_NODE × nodeCount of them, or half
  // that in each of two buffers when the other thread fills every other one.
  // firstPredecessor[w] is the end of w's row until its window is filled, then its start.
  const edges = { nodeCount, firstEdgeIndexes: data.firstEdgeIndexes, edgeToNodes: data.edgeToNodes };
  let firstPredecessor: Uint32Array;
  let windows: PredecessorWindow[];
  let halves = false;
  if (scanned) {
    // The DFS filled them all: one window.
    firstPredecessor = scanned.rowEnds;
    windows = [{ edges, essential, preorder, firstPredecessor, predecessors: scanned.predecessors, low: 1, high: reached, base: 0, state: new Int32Array(allocate(4)) }];
  } else {
    firstPredecessor = retainerCounts;
    const { sum, largestRow } = rowEndsInPreorder(retainerCounts, preorder, cursor, reached);
    yield;
    // Halved, each of the two buffers holds the larger of half a window and
    // the largest row (a window of its own), so as few windows as that allows
    // are each one more scan of the edges; not when that row is so large that
    // the two would hold more than 24 bytes a node (8 more than one window).
    halves = assistant !== undefined && sum > Math.max(cap, largestRow) && largestRow <= (3 * cap) / 4;
    const plan = planWindows(firstPredecessor, reached, halves ? Math.max(cap / 2, largestRow) : Math.max(cap, largestRow));
    windows = inBuffers(plan, halves ? 2 : 1, { edges, essential, preorder, firstPredecessor }, allocate);
  }

  // 2. Semidominators in reverse preorder (the paper's step 2).
  // Nothing reads `vertex` until the semidominators are done: its array
  // holds them meanwhile, and it is rebuilt from `preorder` after, so the
  // window can hold more rows.
  const semi = vertex;
  // The counts by nodeOrdinal are done with when the DFS filled the rows.
  let label = scanned ? retainerCounts.subarray(0, reached) : new Uint32Array(reached);
  identity(semi);
  identity(label);
  // The DFS-tree parents, which path compression overwrites in `ancestor`,
  // kept where the immediate dominators will be (the DFS's cursors, free now).
  const idom = cursor;
  idom.set(ancestor.subarray(0, reached));
  const search: SemidominatorSearch = { rows: windows[0], ancestor, parents: idom, searched, semi, label, path: new Uint32Array(1024), linkedFrom: reached };
  let filledElsewhere = 0;
  for (let k = 0; k < windows.length; k++) {
    const window = windows[k];
    if (!scanned && !(yield* fillHere(window))) filledElsewhere++;
    // The next window goes in the other buffer, whose window is done.
    if (halves && assistant && k + 1 < windows.length) assistant.offer(windows[k + 1]);
    search.rows = window;
    for (let w = window.high - 1; w >= window.low; ) {
      w = semidominators(search, w, window.low, SLICE);
      report(3 * nodeCount + (reached - w), total);
      yield;
    }
  }
  vertex = verticesOf(preorder, label);
  const scratch = { rows: firstPredecessor, entries: ancestor };
  // The results go in arrays of nodeCount entries that are free now, not in new ones at the peak.
  const free = { dominators: stack, retainedSizes: preorder };
  stack = cursor = retainerCounts = firstPredecessor = label = ancestor = preorder = search.label = search.ancestor = search.path = EMPTY_WORDS;
  if (scanned) scanned.counts = scanned.rowEnds = scanned.predecessors = EMPTY_WORDS;
  const windowCount = windows.length;
  for (const window of windows) {
    window.predecessors = EMPTY_WORDS;
    window.essential = EMPTY_BYTES;
  }
  windows = [];
  essential = EMPTY_BYTES;
  // 3. Immediate dominators, in preorder: each is the nearest common
  //    ancestor, in the tree built so far, of its DFS parent and its semidominator.
  idom[0] = 0;
  for (let w = 1; w < reached; w = nearestCommonDominators(idom, semi, w, Math.min(reached, w + 4 * SLICE))) yield;

  // Retained sizes: children before parents (reverse preorder), each adds
  // its size to its immediate dominator.
  const retainedSizes: SizeArray = shallowSizes instanceof Uint32Array ? free.retainedSizes : new Float64Array(nodeCount);
  retainedSizes.set(shallowSizes);
  for (let w = reached - 1; w > 0; w = addToDominators(retainedSizes, vertex, idom, w, Math.max(0, w - 4 * SLICE))) yield;
  const dominators = free.dominators.fill(NO_DOMINATOR);
  for (let w = 1; w < reached; w = dominatorsByOrdinal(dominators, vertex, idom, w, Math.min(reached, w + 4 * SLICE))) yield;
  report(total, total);
  return { dominators, retainedSizes, scratch, windows: { count: windowCount, filledElsewhere } };
}

interface SemidominatorSearch {
  /** The window being gone through. */
  rows: PredecessorWindow;
  ancestor: Uint32Array;
  /** DFS-tree parents (which `ancestor` loses to path compression). */
  parents: Uint32Array;
  /** Vertices numbered by a DFS: [0, searched). */
  searched: number;
  semi: Uint32Array;
  label: Uint32Array;
  /** EVAL's path, grown on demand. */
  path: Uint32Array;
  /** Vertices numbered >= linkedFrom are in the forest (their ancestor link is live). */
  linkedFrom: number;
}

/**
 * The paper's step 2 for vertices w, w - 1, … down to `stop` (at least 1;
 * all in the rows' window), until about `budget` predecessors were seen;
 * returns the next w (below `stop` when done). semi(w) = min over
 * predecessors v of semi(eval(v)); the root for a node a DFS started from,
 * which nothing retains but itself (DevTools' orphans), as for any child of
 * the root; then LINK(parent(w), w).
 */
function semidominators(search: SemidominatorSearch, w: number, stop: number, budget: number): number {
  const { semi, parents, searched } = search;
  const { firstPredecessor, predecessors, base } = search.rows;
  let linkedFrom = search.linkedFrom;
  let seen = 0;
  for (; w >= stop && seen < budget; w--) {
    const first = firstPredecessor[w] - base;
    const end = firstPredecessor[w + 1] - base;
    let semiW = w < searched && parents[w] === 0 ? 0 : semi[w];
    for (let p = first; p < end; p++) {
      const u = evaluate(predecessors[p], linkedFrom, search);
      if (semi[u] < semiW) semiW = semi[u];
    }
    semi[w] = semiW;
    seen += end - first + 1;
    // LINK(parent(w), w): w's ancestor link (its parent) is live from now on.
    linkedFrom = w;
    // Kept as it changes, not after the loop: V8 optimises the loop while it
    // runs, and a store after it, not run yet then, would throw that code away.
    search.linkedFrom = w;
  }
  return w;
}

/** The paper's EVAL with iterative COMPRESS: the vertex of least semi on v's forest path. */
function evaluate(v: number, linkedFrom: number, search: SemidominatorSearch): number {
  if (v < linkedFrom) return v;
  const { ancestor, semi, label } = search;
  // Collect the path up to the vertex just below the forest root (growing
  // the array on demand: paths are short once compressed), then compress it top-down.
  let path = search.path;
  let top = 0;
  let x = v;
  while (ancestor[x] >= linkedFrom) {
    if (top === path.length) {
      const grown = new Uint32Array(path.length * 2);
      grown.set(path);
      path = search.path = grown;
    }
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
}

/**
 * Retaining edges per node (by nodeOrdinal, in `counts`) → the end of each
 * node's row of predecessors, by preorder, in `counts` itself (entry
 * `reached` holds the total). `scratch` is nodeCount long.
 */
function rowEndsInPreorder(counts: Uint32Array, preorder: Uint32Array, scratch: Uint32Array, reached: number): { sum: number; largestRow: number } {
  // A pass a function (compressedRows.ts says why).
  const largestRow = countsInPreorder(counts, preorder, scratch);
  const sum = sumToRowEnds(scratch, reached, counts);
  counts[reached] = sum;
  return { sum, largestRow };
}

/** scratch[preorder - 1] = counts[ordinal]; returns the largest count. */
function countsInPreorder(counts: Uint32Array, preorder: Uint32Array, scratch: Uint32Array): number {
  let largest = 0;
  for (let ordinal = 0; ordinal < preorder.length; ordinal++) {
    const count = counts[ordinal];
    scratch[preorder[ordinal] - 1] = count;
    if (count > largest) largest = count;
  }
  return largest;
}

/**
 * The planned windows, window k in buffer k % `bufferCount`, each buffer as
 * large as its largest window; `rows` is what they share.
 */
function inBuffers(plan: PlannedWindow[], bufferCount: number, rows: Omit<PredecessorWindow, 'predecessors' | 'low' | 'high' | 'base' | 'state'>, allocate: (bytes: number) => ArrayBufferLike): PredecessorWindow[] {
  const sizes = new Array<number>(bufferCount).fill(1);
  plan.forEach((window, k) => (sizes[k % bufferCount] = Math.max(sizes[k % bufferCount], window.size)));
  const buffers = sizes.map((size) => new Uint32Array(allocate(size * 4)));
  return plan.map(({ low, high, base }, k) => ({ ...rows, predecessors: buffers[k % bufferCount], low, high, base, state: new Int32Array(allocate(4)) }));
}

/** preorder number → nodeOrdinal, in `into` (nodeCount long), from nodeOrdinal → preorder number + 1. */
function verticesOf(preorder: Uint32Array, into: Uint32Array): Uint32Array {
  for (let ordinal = 0; ordinal < preorder.length; ordinal++) into[preorder[ordinal] - 1] = ordinal;
  return into;
}

function identity(array: Uint32Array): void {
  for (let i = 0; i < array.length; i++) array[i] = i;
}

/**
 * Semi-NCA (Georgiadis, Tarjan and Werneck, "Finding Dominators in
 * Practice", 2006) for w in [from, to), in preorder: idom(w) starts as w's
 * DFS parent and climbs the dominator tree until it is no deeper than
 * semi(w). Faster than the paper's buckets, and the same tree: a vertex
 * numbered under the root without a DFS (held only by others like it) has
 * the root as parent, so the root as immediate dominator, as DevTools gives
 * it. Returns `to`.
 */
function nearestCommonDominators(idom: Uint32Array, semi: Uint32Array, from: number, to: number): number {
  for (let w = from; w < to; w++) {
    const semiW = semi[w];
    let dominator = idom[w];
    while (dominator > semiW) dominator = idom[dominator];
    idom[w] = dominator;
  }
  return to;
}

/** For w from `from` down to just above `to`, adds w's retained size to its immediate dominator's. Returns `to`. */
function addToDominators(retainedSizes: SizeArray, vertex: Uint32Array, idom: Uint32Array, from: number, to: number): number {
  for (let w = from; w > to; w--) retainedSizes[vertex[idom[w]]] += retainedSizes[vertex[w]];
  return to;
}

/** dominators[ordinal] for the vertices w in [from, to). Returns `to`. */
function dominatorsByOrdinal(dominators: Uint32Array, vertex: Uint32Array, idom: Uint32Array, from: number, to: number): number {
  for (let w = from; w < to; w++) dominators[vertex[w]] = vertex[idom[w]];
  return to;
}
