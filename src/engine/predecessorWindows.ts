/**
 * The dominator tree's predecessor rows (dominators.ts): every node's
 * retaining edges as the preorder numbers of their holders, grouped by the
 * preorder number of the node, so the semidominator pass reads them in
 * order. At 4 bytes a retaining edge they would be the largest array of all
 * on heaps with many edges a node, so they are built a window of preorder
 * numbers at a time, from the top as that pass goes, one scan of every edge
 * per window. (When they all fit in one, the DFS fills them as it goes:
 * depthFirstOrder.ts.)
 *
 * When a tree needs several windows and another thread is idle meanwhile
 * (the loading thread, while its helper computes the tree), that thread
 * fills the next window in a second buffer while this one computes the
 * current window's semidominators: every array a fill touches is then
 * shared, and each window's `state` says which thread took it.
 */

/** The edge columns a fill reads (a part of HeapSnapshotData that crosses threads as it is). */
export interface EdgeColumns {
  nodeCount: number;
  firstEdgeIndexes: Uint32Array;
  edgeToNodes: Uint32Array;
}

/** One window and what filling it reads and writes. */
export interface PredecessorWindow {
  edges: EdgeColumns;
  /** One bit per edgeIndex: does it retain? */
  essential: Uint8Array;
  /** nodeOrdinal → preorder number + 1. */
  preorder: Uint32Array;
  /** preorder → end of its row until its window is filled, then its start (as an offset in all rows). */
  firstPredecessor: Uint32Array;
  /** The window's rows, from offset `base` on. */
  predecessors: Uint32Array;
  /** Preorder numbers [low, high). */
  low: number;
  high: number;
  base: number;
  /** OFFERED, then who fills it, then FILLED: one Int32, shared when another thread may take the window. */
  state: Int32Array;
}

/** The other thread, as the tree's thread sees it. */
export interface FillAssistant {
  /** Memory both threads see. */
  allocate(bytes: number): SharedArrayBuffer;
  /** Hands the other thread a window, which it fills (fillOffered) unless this thread took it first. */
  offer(window: PredecessorWindow): void;
}

const OFFERED = 0;
const FILLING_HERE = 1;
const FILLING_ELSEWHERE = 2;
const FILLED = 3;
const FAILED = 4;

/** Holders scanned between two yields. */
const SLICE = 1 << 16;

export interface PlannedWindow {
  low: number;
  high: number;
  base: number;
  /** Predecessors in its rows. */
  size: number;
}

/**
 * The windows, from the top, as few as hold at most `cap` predecessors each
 * (each is one scan of every edge, whatever its size), of about equal size
 * (so each takes the other thread about as long to fill as this one takes
 * to go through the one before): each [low, high) holds rows of preorder
 * numbers (never row 0, the root's; a row larger than `cap` is a window of
 * its own), with `base` the offset of its first row. Planned before any
 * fill, while every entry of `rowEnds` is still an end.
 */
export function planWindows(rowEnds: Uint32Array, reached: number, cap: number): PlannedWindow[] {
  const windows: PlannedWindow[] = [];
  for (let high = reached; high > 1; ) {
    // What is left, over as few windows as can hold it.
    const left = rowEnds[high - 1] - rowEnds[0];
    const share = Math.ceil(left / Math.max(1, Math.ceil(left / Math.max(cap, 1))));
    const low = windowStart(rowEnds, high, share, cap);
    const base = rowEnds[low - 1];
    windows.push({ low, high, base, size: rowEnds[high - 1] - base });
    high = low;
  }
  return windows;
}

/**
 * Where the window that ends at `high` begins: rows are added down from
 * high - 1 until they hold `share` predecessors or the next would pass
 * `cap` (at least row high - 1; never row 0).
 */
function windowStart(rowEnds: Uint32Array, high: number, share: number, cap: number): number {
  let low = high - 1;
  const end = rowEnds[high - 1];
  while (low > 1 && end - rowEnds[low - 1] < share && end - rowEnds[low - 2] <= cap) low--;
  return low;
}

/**
 * On the tree's thread: fills `window` unless the other thread took it,
 * else waits for that one to be done; returns whether it was filled here.
 * Yields between slices.
 */
export function* fillHere(window: PredecessorWindow): Generator<void, boolean, void> {
  const { state } = window;
  if (Atomics.compareExchange(state, 0, OFFERED, FILLING_HERE) === OFFERED) {
    yield* fill(window);
    Atomics.store(state, 0, FILLED);
    return true;
  }
  // Only an assistant's thread takes a window, and then the state is shared.
  while (Atomics.load(state, 0) === FILLING_ELSEWHERE) Atomics.wait(state, 0, FILLING_ELSEWHERE);
  if (Atomics.load(state, 0) !== FILLED) throw new Error('the other thread failed to fill a window of predecessors');
  return false;
}

/** On the other thread: fills an offered window unless the tree's thread took it first. Yields between slices. */
export function* fillOffered(window: PredecessorWindow): Generator<void, void, void> {
  const { state } = window;
  if (Atomics.compareExchange(state, 0, OFFERED, FILLING_ELSEWHERE) !== OFFERED) return;
  let outcome = FAILED;
  try {
    yield* fill(window);
    outcome = FILLED;
  } finally {
    Atomics.store(state, 0, outcome);
    Atomics.notify(state, 0);
  }
}

/** Every holder's edges into the window, from the last holder down, yielding between slices. */
function* fill(window: PredecessorWindow): Generator<void, void, void> {
  for (let start = window.edges.nodeCount - 1; start >= 0; ) {
    start = fillPredecessors(window, start, SLICE);
    yield;
  }
}

/**
 * Fills the window's rows from holders `start`, `start - 1`, … down until
 * about `budget` edges were seen; returns where to go on. A plain function
 * with every array in a local (hot loop).
 */
function fillPredecessors(window: PredecessorWindow, start: number, budget: number): number {
  const { essential, preorder, firstPredecessor, predecessors, low, high, base } = window;
  const { firstEdgeIndexes, edgeToNodes } = window.edges;
  const width = high - low;
  let seen = 0;
  for (; start >= 0 && seen < budget; start--) {
    const from = preorder[start] - 1;
    const first = firstEdgeIndexes[start];
    for (let e = firstEdgeIndexes[start + 1] - 1; e >= first; e--) {
      if ((essential[e >>> 3] & (1 << (e & 7))) === 0) continue;
      const to = preorder[edgeToNodes[e]] - 1;
      // One unsigned comparison: to in [low, high).
      if (((to - low) >>> 0) >= width) continue;
      predecessors[--firstPredecessor[to] - base] = from;
    }
    seen += firstEdgeIndexes[start + 1] - first + 1;
  }
  return start;
}
