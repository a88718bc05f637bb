/**
 * Distance from the roots, as DevTools' JSHeapSnapshot.calculateDistances
 * computes it: BFS in two passes, first from the user roots (the synthetic
 * root's non-synthetic children: the global object), then from the synthetic
 * root for what the first pass did not reach, offset by SYSTEM_DISTANCE. So a
 * chain through `globalThis` or a module always ranks before one through
 * `(Stack roots)` or `(Global handles)` — a local of a paused frame is
 * explained by the static Map that really keeps it, not by the debugger.
 *
 * Edges followed (DevTools' filter, mirrored exactly):
 *  - never `weak` ones;
 *  - a WeakMap value only through the second half of its entry the BFS meets
 *    (key and table both write an edge to it), so its distance is
 *    max(distance(key), distance(table)) + 1 (crbug.com/1290800): a half is
 *    followed once the other half's holder is reached no deeper than its own
 *    (the ids the parser noted in the entry's name give that holder), and a
 *    table's repeated entry counts as the other half of its first one;
 *  - not `sloppy_function_map` of a `system / NativeContext`, nor the
 *    descriptor slots (index ≥ 2 and index % 3 = 1) of a `(map descriptors)`
 *    array, which maps share and which would shorten paths that do not exist.
 * Unreachable nodes keep UNREACHABLE.
 */
import type { HeapSnapshotData } from './snapshotData';
import { NAME_EPHEMERON, NAME_OTHER, type EphemeronEdges, type TypeCodes } from './edgeTypes';

export const UNREACHABLE = 0xffffffff;
/** DevTools' baseSystemDistance: distances of nodes reached only from the GC roots start here. */
export const SYSTEM_DISTANCE = 100_000_000;

/** The hop count a reader sees, whichever pass found the node. */
export function shownDistance(distance: number): number {
  return distance >= SYSTEM_DISTANCE ? distance - SYSTEM_DISTANCE : distance;
}

/** Edges to skip besides weak ones (DevTools' "Ignore this retainer"), as edgeIndex → 1. */
export type EdgeMask = Uint8Array | null;

export interface DistanceOptions {
  /** Where the distances live (a SharedArrayBuffer another thread reads, say). */
  allocate?: (bytes: number) => ArrayBufferLike;
  /**
   * Filled with the targets of the edges the first pass did not follow although
   * they are not weak (a WeakMap entry's first half, DevTools' filter): with
   * what that pass reached, they give DevTools' page objects
   * (pageObjectsFromDistances). For distances without `ignored` edges only.
   */
  skippedByFirstPass?: number[];
  /** The search's queue (nodeCount entries at least), when the caller reuses its memory afterwards. */
  queue?: Uint32Array;
}

export function computeDistances(
  data: HeapSnapshotData,
  codes: TypeCodes,
  ephemerons: EphemeronEdges,
  ignored: EdgeMask,
  onProgress?: (done: number, total: number) => void,
  options: DistanceOptions = {},
): Uint32Array {
  const { nodeCount, firstEdgeIndexes, edgeToNodes } = data;
  const distances = new Uint32Array(options.allocate?.(nodeCount * 4) ?? new ArrayBuffer(nodeCount * 4)).fill(UNREACHABLE);
  const queue = options.queue ?? new Uint32Array(nodeCount);
  const skipped = options.skippedByFirstPass ?? [];
  const search: Search = { data, codes, ephemerons, filter: new HolderFilter(data, codes), ignored, distances, queue, onProgress, pendingHalves: new Set() };
  let userRoots = 0;
  for (let e = firstEdgeIndexes[0]; e < firstEdgeIndexes[1]; e++) {
    const to = edgeToNodes[e];
    // Any edge type, as DevTools takes the root's children.
    if (data.nodeTypes[to] === codes.nodeSynthetic || distances[to] !== UNREACHABLE) continue;
    if (ignored !== null && ignored[e] === 1) continue;
    distances[to] = 1;
    queue[userRoots++] = to;
  }
  distances[0] = UNREACHABLE - 1; // not UNREACHABLE, so the first pass never enters the root
  const visited = breadthFirst(search, 0, userRoots, 0, skipped);
  distances[0] = userRoots > 0 ? SYSTEM_DISTANCE : 0;
  queue[0] = 0;
  breadthFirst(search, 0, 1, visited, []);
  onProgress?.(nodeCount, nodeCount);
  return distances;
}

interface Search {
  data: HeapSnapshotData;
  codes: TypeCodes;
  ephemerons: EphemeronEdges;
  filter: HolderFilter;
  ignored: EdgeMask;
  distances: Uint32Array;
  queue: Uint32Array;
  onProgress: ((done: number, total: number) => void) | undefined;
  /** Descriptions of entries whose key is their value, met an odd number of times (secondHalfOfRepeatedEntry). */
  pendingHalves: Set<string>;
}

const REPORT_EVERY = 1 << 20;

/**
 * BFS from queue[head, tail), skipping what an earlier pass reached, adding
 * the targets of non-weak edges it does not follow to `skipped`; returns the
 * nodes visited so far (`visited` before). A plain function with every array
 * in a local: as a closure over them it ran ~25 % slower (each load went
 * through the context). It ends in a bare return: code after the loop has no
 * type feedback when V8 optimizes the loop by on-stack replacement, and a
 * property store there threw that code away at the end of the first pass.
 * What changes between passes comes as arguments: a store into `search`
 * would throw away the code V8 made of this function, which read it as
 * constant, and the second pass would wait for it to be made again.
 */
function breadthFirst(search: Search, head: number, tail: number, visited: number, skipped: number[]): number {
  const { codes, ephemerons, filter, ignored, distances, queue, onProgress, pendingHalves } = search;
  const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, nodeTypes, nodeCount } = search.data;
  const weak = codes.edgeWeak;
  const internal = codes.edgeInternal;
  const hiddenNode = codes.nodeHidden;
  const arrayNode = codes.nodeArray;
  const nameFlags = ephemerons.nameFlags;
  const weakMapValues = ephemerons.values;
  while (head < tail) {
    const ordinal = queue[head++];
    const next = distances[ordinal] + 1;
    const end = firstEdgeIndexes[ordinal + 1];
    const nodeType = nodeTypes[ordinal];
    const filtered = (nodeType === hiddenNode || nodeType === arrayNode) && filter.filtersEdgesOf(ordinal);
    for (let e = firstEdgeIndexes[ordinal]; e < end; e++) {
      // Most edges lead to a node reached already: test that before anything else.
      const to = edgeToNodes[e];
      if (distances[to] !== UNREACHABLE) continue;
      const type = edgeTypes[e];
      if (type === weak) continue;
      if (ignored !== null && ignored[e] === 1) continue;
      if (type === internal && (weakMapValues[to >>> 5] & (1 << (to & 31))) !== 0) {
        const nameIndex = edgeNamesOrIndexes[e];
        const flag = nameFlags[nameIndex];
        if (flag !== NAME_OTHER && (flag === NAME_EPHEMERON || ephemerons.isEphemeronName(nameIndex))) {
          // The half met first waits for the other: the value is one past the farther of key and table.
          const other = ephemerons.otherHolderOf(nameIndex, ordinal);
          if (other === to ? !secondHalfOfRepeatedEntry(pendingHalves, ephemerons, nameIndex) : other < 0 || distances[other] >= next || (ignored !== null && !otherHalfFollowed(search, other, to, nameIndex, e))) {
            skipped.push(to);
            continue;
          }
        }
      }
      if (filtered && filter.skips(ordinal, e)) {
        skipped.push(to);
        continue;
      }
      distances[to] = next;
      queue[tail++] = to;
    }
    // From the first node on, so the call has run before V8 optimises the loop (a first call after would undo that).
    if (onProgress && (++visited & (REPORT_EVERY - 1)) === 1) onProgress(visited, nodeCount);
  }
  return visited;
}

/**
 * A table's half of an entry whose key is its value: the key's own half is
 * met only once the value is reached, so DevTools, which pairs halves by their
 * description, pairs a table's repeated entries with each other instead and
 * follows every second one. V8 writes such entries for each deleted slot of a
 * WeakMap (key and value both the_hole), so the_hole is reached from a table
 * with two deleted slots.
 */
function secondHalfOfRepeatedEntry(pending: Set<string>, ephemerons: EphemeronEdges, nameIndex: number): boolean {
  const entry = `${ephemerons.keyIdOf(nameIndex)} ${ephemerons.tableIdOf(nameIndex)}`;
  if (pending.delete(entry)) return true;
  pending.add(entry);
  return false;
}

/**
 * With edges ignored: is the other half of the entry whose half `self`
 * (named `nameIndex`) leads to `to` there, held by `other`, and not ignored?
 * (DevTools pairs the halves by name; an ignored one is never met.)
 */
function otherHalfFollowed(search: Search, other: number, to: number, nameIndex: number, self: number): boolean {
  const { data, ephemerons, ignored } = search;
  const keyId = ephemerons.keyIdOf(nameIndex);
  const tableId = ephemerons.tableIdOf(nameIndex);
  for (let e = data.firstEdgeIndexes[other]; e < data.firstEdgeIndexes[other + 1]; e++) {
    if (e === self || data.edgeToNodes[e] !== to || !ephemerons.has(e)) continue;
    const name = data.edgeNamesOrIndexes[e];
    if (ephemerons.keyIdOf(name) === keyId && ephemerons.tableIdOf(name) === tableId) return ignored === null || ignored[e] !== 1;
  }
  return false;
}

/** Holder kinds for HolderFilter, per node-name string index. */
const KIND_UNDECIDED = 0;
const KIND_PLAIN = 1;
const KIND_NATIVE_CONTEXT = 2;
const KIND_MAP_DESCRIPTORS = 3;

/**
 * The holders whose edges DevTools' distance filter skips some of:
 * `system / NativeContext` (hidden) and `(map descriptors)` (array). Names
 * are decoded only for hidden and array nodes, once per distinct name.
 */
export class HolderFilter {
  private readonly kinds: Uint8Array;

  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
  ) {
    this.kinds = new Uint8Array(data.strings.length);
  }

  /** For a hidden or array node: does the filter apply to its edges? */
  filtersEdgesOf(ordinal: number): boolean {
    return this.kindOf(ordinal) !== KIND_PLAIN;
  }

  /** Does DevTools' distance filter skip edge e of `holder`? (Weak edges aside.) */
  skips(holder: number, e: number): boolean {
    const { data, codes } = this;
    const type = data.nodeTypes[holder];
    const kind = type === codes.nodeHidden || type === codes.nodeArray ? this.kindOf(holder) : KIND_PLAIN;
    if (kind === KIND_NATIVE_CONTEXT) {
      return type === codes.nodeHidden && this.edgeNameText(e) === 'sloppy_function_map';
    }
    if (kind === KIND_MAP_DESCRIPTORS) {
      if (type !== codes.nodeArray) return false;
      const index = parseInt(this.edgeNameText(e), 10);
      return !(index < 2 || index % 3 !== 1);
    }
    return false;
  }

  private kindOf(ordinal: number): number {
    const nameIndex = this.data.nodeNames[ordinal];
    let kind = this.kinds[nameIndex];
    if (kind === KIND_UNDECIDED) {
      const name = this.data.strings.get(nameIndex);
      kind = name === 'system / NativeContext' ? KIND_NATIVE_CONTEXT : name === '(map descriptors)' ? KIND_MAP_DESCRIPTORS : KIND_PLAIN;
      this.kinds[nameIndex] = kind;
    }
    return kind;
  }

  private edgeNameText(e: number): string {
    const { data, codes } = this;
    const type = data.edgeTypes[e];
    const nameOrIndex = data.edgeNamesOrIndexes[e];
    return type === codes.edgeElement || type === codes.edgeHidden ? String(nameOrIndex) : data.strings.get(nameOrIndex);
  }
}
