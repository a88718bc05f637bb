/**
 * The retainer rows (retainerIndex.ts) built by two threads: the helper,
 * which always builds them whole, and the loading thread, which joins in
 * when it is free (its distances done while the helper still works) and
 * takes part of the edges.
 *
 * The edges are cut into chunks. The helper counts the targets of chunks
 * from the start, the loading thread from the end, each into counts of its
 * own, until they meet at edge `split`. Row r then holds its retaining edges
 * below `split` before those from `split` on, each part in ascending order:
 * the rows one thread builds. The helper sums both counts into each part's
 * cursors, then each thread fills its own part. Every array is shared; one
 * Int32 word holds both threads' claims (compare-and-swap), three more say
 * how far the loading thread got and when the sums are there.
 */
import type { RetainerRows } from './retainerIndex';
import { countTargets, fillRowsBackwards, sumToRowEnds } from './compressedRows';

/** Low 16 bits: chunks the helper claimed from the start; high 16 bits: the lowest chunk the loading thread claimed (chunkCount while none). */
const CLAIMS = 0;
const JOINED_COUNTED = 1;
const SUMMED = 2;
const JOINED_FILLED = 3;
/** 1 << 16 edges a chunk at least: a few dozen chunks on a 100 MB heap, never more than 16 bits count. */
const MIN_CHUNK_EDGES = 1 << 16;
/** A thread that waits wakes this often (ms) so that it can be terminated. */
const WAIT_SLICE = 50;

export interface SplitRows {
  edgeToNodes: Uint32Array;
  nodeCount: number;
  chunkSize: number;
  chunkCount: number;
  state: Int32Array;
  /** nodeCount + 1: the helper's counts, then its part's cursors, then every row's start. */
  firstRetainerIndexes: Uint32Array;
  /**
   * nodeCount + 1: the loading thread's counts, then its part's cursors. It
   * may use them for something else before it joins (the distances' queue):
   * they are cleared when it claims its first chunk.
   */
  joinedCounts: Uint32Array;
  retainingEdges: Uint32Array;
}

/** The shared arrays of rows over `edgeToNodes` (a shared column), none filled yet. */
export function splitRows(edgeToNodes: Uint32Array, nodeCount: number, allocate: (bytes: number) => SharedArrayBuffer): SplitRows {
  const edgeCount = edgeToNodes.length;
  const chunkSize = Math.max(MIN_CHUNK_EDGES, Math.ceil(edgeCount / 0xfff0));
  const chunkCount = Math.ceil(edgeCount / chunkSize);
  const state = new Int32Array(allocate(16));
  state[CLAIMS] = chunkCount << 16;
  return {
    edgeToNodes,
    nodeCount,
    chunkSize,
    chunkCount,
    state,
    firstRetainerIndexes: new Uint32Array(allocate((nodeCount + 1) * 4)),
    joinedCounts: new Uint32Array(allocate((nodeCount + 1) * 4)),
    // Every edge retains a node: the rows hold them all.
    retainingEdges: new Uint32Array(allocate(edgeCount * 4)),
  };
}

/** The helper's part, which waits (blocking) for the loading thread's when that took chunks: the rows, whole. */
export function buildSplitRows(rows: SplitRows): RetainerRows {
  const { state, chunkCount, chunkSize, edgeToNodes, firstRetainerIndexes, joinedCounts, retainingEdges, nodeCount } = rows;
  for (let chunk = claimFromStart(state); chunk >= 0; chunk = claimFromStart(state)) countChunk(rows, chunk, firstRetainerIndexes);
  // Every chunk is claimed now: the loading thread's lowest one is where the parts meet.
  const lowestJoined = Atomics.load(state, CLAIMS) >>> 16;
  const joined = lowestJoined < chunkCount;
  if (joined) waitFor(state, JOINED_COUNTED);
  sumToCursors(firstRetainerIndexes, joined ? joinedCounts : null, nodeCount);
  Atomics.store(state, SUMMED, 1);
  Atomics.notify(state, SUMMED);
  fillRowsBackwards(edgeToNodes, firstRetainerIndexes, retainingEdges, 0, Math.min(edgeToNodes.length, lowestJoined * chunkSize));
  if (joined) waitFor(state, JOINED_FILLED);
  return { firstRetainerIndexes, retainingEdges };
}

/**
 * The loading thread's part: counts chunks from the end while any are left
 * (at most `chunks`), then, once the helper has summed, fills them. Resolves
 * at once when no chunk was left, and without filling when `job` (the
 * helper's) fails first.
 */
export async function joinSplitRows(rows: SplitRows, job: Promise<unknown>, chunks = Infinity): Promise<void> {
  const { state, chunkSize, edgeToNodes, joinedCounts, retainingEdges } = rows;
  let claimed = 0;
  for (; claimed < chunks; claimed++) {
    const chunk = claimFromEnd(state);
    if (chunk < 0) break;
    if (claimed === 0) joinedCounts.fill(0);
    countChunk(rows, chunk, joinedCounts);
  }
  if (claimed === 0) return;
  Atomics.store(state, JOINED_COUNTED, 1);
  Atomics.notify(state, JOINED_COUNTED);
  const settled = job.then(() => undefined, () => undefined);
  await Promise.race([whenSet(state, SUMMED), settled]);
  if (Atomics.load(state, SUMMED) !== 1) return;
  const split = (Atomics.load(state, CLAIMS) >>> 16) * chunkSize;
  fillRowsBackwards(edgeToNodes, joinedCounts, retainingEdges, split);
  Atomics.store(state, JOINED_FILLED, 1);
  Atomics.notify(state, JOINED_FILLED);
}

function claimFromStart(state: Int32Array): number {
  for (;;) {
    const word = Atomics.load(state, CLAIMS);
    const next = word & 0xffff;
    if (next >= word >>> 16) return -1;
    if (Atomics.compareExchange(state, CLAIMS, word, (word & ~0xffff) | (next + 1)) === word) return next;
  }
}

function claimFromEnd(state: Int32Array): number {
  for (;;) {
    const word = Atomics.load(state, CLAIMS);
    const next = (word >>> 16) - 1;
    if (next < (word & 0xffff)) return -1;
    if (Atomics.compareExchange(state, CLAIMS, word, (word & 0xffff) | (next << 16)) === word) return next;
  }
}

function countChunk(rows: SplitRows, chunk: number, counts: Uint32Array): void {
  const from = chunk * rows.chunkSize;
  countTargets(rows.edgeToNodes, counts, from, Math.min(rows.edgeToNodes.length, from + rows.chunkSize));
}

/** Both parts' counts → each part's fill cursor (the end of its share of the row); the total in helper[nodeCount]. */
function sumToCursors(helper: Uint32Array, joined: Uint32Array | null, nodeCount: number): void {
  if (joined === null) {
    helper[nodeCount] = sumToRowEnds(helper, nodeCount);
    return;
  }
  let sum = 0;
  for (let n = 0; n < nodeCount; n++) {
    helper[n] = sum += helper[n];
    joined[n] = sum += joined[n];
  }
  helper[nodeCount] = sum;
}

function waitFor(state: Int32Array, index: number): void {
  while (Atomics.load(state, index) === 0) Atomics.wait(state, index, 0, WAIT_SLICE);
}

/** Atomics.waitAsync (ES2024; Node has it from 16 on). */
interface WaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}

async function whenSet(state: Int32Array, index: number): Promise<void> {
  while (Atomics.load(state, index) === 0) {
    const wait = (Atomics as unknown as WaitAsync).waitAsync(state, index, 0);
    if (wait.async) await wait.value;
  }
}
