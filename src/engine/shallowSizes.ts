/**
 * Shallow sizes as DevTools shows them (JSHeapSnapshot.calculateShallowSizes):
 * an `array` or `hidden` node (an object's property and element stores,
 * descriptor arrays, …) or a `system / ExternalStringData` that only one
 * other node reaches — over non-weak edges, through such nodes only — has
 * its self size moved onto that owner, unless the owner is synthetic. So an
 * object's size includes the stores only it uses, as a developer thinks of
 * it; the total stays the same. Skipped, as in DevTools, when the root has no
 * non-synthetic child (a snapshot that exposes V8 internals).
 *
 * V8's own figures stay in `data.nodeSelfSizes`.
 *
 * Memory: the result (4 B/node, 8 when the heap's total passes 4 GiB; kept),
 * which holds each node's owner while they are searched, one bit a node while
 * owners turn into sizes, and a small stack that grows on demand. (A separate
 * owner array would be 4 B/node more at the end of a load, its peak.)
 */
import type { HeapSnapshotData, SizeArray } from './snapshotData';
import type { TypeCodes } from './edgeTypes';
import { totalOf } from './compressedRows';

const UNVISITED = 0xffffffff;
const MULTIPLE_OWNERS = 0xfffffffe;
/** Nodes visited between two yields. */
const SLICE = 1 << 16;

/** `allocate` gives the result's memory (a SharedArrayBuffer for another thread, say). */
export function computeShallowSizes(data: HeapSnapshotData, codes: TypeCodes, allocate?: (bytes: number) => ArrayBufferLike): SizeArray {
  const steps = shallowSizeSteps(data, codes, allocate);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same in slices, like `dominatorSteps`. */
export function* shallowSizeSteps(data: HeapSnapshotData, codes: TypeCodes, allocate: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes)): Generator<void, SizeArray, void> {
  const { nodeCount, nodeSelfSizes } = data;
  // 32 bits a size when even the whole heap's total fits: no owner's sum can then overflow.
  const sizes = totalOf(nodeSelfSizes, nodeCount) <= 0xffffffff ? new Uint32Array(allocate(nodeCount * 4)) : new Float64Array(allocate(nodeCount * 8));
  if (!hasUserRoots(data, codes)) {
    sizes.set(nodeSelfSizes);
    return sizes;
  }
  // In the result's own memory while the sizes are not there yet (ids fit 32 bits).
  const owners = sizes instanceof Uint32Array ? sizes : new Uint32Array(nodeCount);
  markSelfOwners(data, codes, owners);
  yield;

  // From each self-owner, a DFS into the nodes it may own. A node reached from
  // two owners (or from a node that has two) has MULTIPLE_OWNERS, which then
  // spreads down. Each node changes at most twice, so the work is linear; the
  // result does not depend on the order (DevTools uses one worklist).
  const search: OwnerSearch = { data, weak: codes.edgeWeak, owners, stack: new Uint32Array(Math.min(nodeCount, 1 << 16)) };
  for (let start = 0; start < nodeCount; ) {
    start = propagateOwners(search, start, SLICE);
    yield;
  }
  const isOwned = ownedNodes(data, codes, owners, sizes);
  yield;
  sizesToOwners(data, owners, isOwned, sizes);
  return sizes;
}

// The passes over every node are functions of their own, not loops in the
// generator one after another (compressedRows.ts says why).

/** owners[n]: n itself for an object that owns itself, UNVISITED for one others may own. */
function markSelfOwners(data: HeapSnapshotData, codes: TypeCodes, owners: Uint32Array): void {
  const { nodeCount, nodeTypes } = data;
  const owned = ownedTypes(codes);
  const native = codes.nodeNative;
  const externalStringData = new Map<number, boolean>();
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeTypes[n];
    let ownedByOthers = owned[type] === 1;
    if (type === native) {
      const nameIndex = data.nodeNames[n];
      let is = externalStringData.get(nameIndex);
      if (is === undefined) {
        is = data.strings.get(nameIndex) === 'system / ExternalStringData';
        externalStringData.set(nameIndex, is);
      }
      ownedByOthers = is;
    }
    owners[n] = ownedByOthers ? UNVISITED : n;
  }
}

/**
 * A node with a real owner (not the root, not synthetic) gives it its size.
 * Owners own themselves, so are never owned: first every other node gets its
 * own size, the owned ones keeping their owner (marked by a bit, returned),
 * then sizesToOwners moves each owned node's size to its owner. `owners` may
 * be `sizes`' own memory.
 */
function ownedNodes(data: HeapSnapshotData, codes: TypeCodes, owners: Uint32Array, sizes: SizeArray): Uint8Array {
  const { nodeCount, nodeTypes, nodeSelfSizes } = data;
  const synthetic = codes.nodeSynthetic;
  const isOwned = new Uint8Array((nodeCount >>> 3) + 1);
  for (let n = 0; n < nodeCount; n++) {
    const owner = owners[n];
    if (owner !== n && owner !== UNVISITED && owner !== MULTIPLE_OWNERS && owner !== 0 && nodeTypes[owner] !== synthetic) isOwned[n >>> 3] |= 1 << (n & 7);
    else sizes[n] = nodeSelfSizes[n];
  }
  return isOwned;
}

function sizesToOwners(data: HeapSnapshotData, owners: Uint32Array, isOwned: Uint8Array, sizes: SizeArray): void {
  const { nodeCount, nodeSelfSizes } = data;
  for (let n = 0; n < nodeCount; n++) {
    if ((isOwned[n >>> 3] & (1 << (n & 7))) === 0) continue;
    sizes[owners[n]] += nodeSelfSizes[n];
    sizes[n] = 0;
  }
}

interface OwnerSearch {
  data: HeapSnapshotData;
  weak: number;
  owners: Uint32Array;
  /** DFS stack, grown on demand. */
  stack: Uint32Array;
}

/**
 * The DFS from self-owners `start`, `start + 1`, … until about `budget`
 * nodes were visited; returns where to go on. A plain function with every
 * array in a local, so the hot loop is optimised as well as a generator's is not.
 */
function propagateOwners(search: OwnerSearch, start: number, budget: number): number {
  const { weak, owners } = search;
  const { nodeCount, firstEdgeIndexes, edgeTypes, edgeToNodes } = search.data;
  let stack = search.stack;
  let visited = 0;
  for (; start < nodeCount && visited < budget; start++) {
    if (owners[start] !== start) continue;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const ordinal = stack[--top];
      const owner = owners[ordinal];
      visited++;
      for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
        if (edgeTypes[e] === weak) continue;
        const to = edgeToNodes[e];
        const current = owners[to];
        if (current === to || current === owner || current === MULTIPLE_OWNERS) continue;
        owners[to] = current === UNVISITED ? owner : MULTIPLE_OWNERS;
        if (top === stack.length) {
          const grown = new Uint32Array(stack.length * 2);
          grown.set(stack);
          stack = search.stack = grown;
        }
        stack[top++] = to;
      }
    }
  }
  return start;
}

/** Node types whose nodes can be owned by another: `hidden` and `array`, as type → 1. */
function ownedTypes(codes: TypeCodes): Uint8Array {
  const flags = new Uint8Array(256);
  if (codes.nodeHidden >= 0) flags[codes.nodeHidden] = 1;
  if (codes.nodeArray >= 0) flags[codes.nodeArray] = 1;
  return flags;
}

/** Does the root have a non-synthetic child (the global object)? */
function hasUserRoots(data: HeapSnapshotData, codes: TypeCodes): boolean {
  for (let e = data.firstEdgeIndexes[0]; e < data.firstEdgeIndexes[1]; e++) {
    if (data.nodeTypes[data.edgeToNodes[e]] !== codes.nodeSynthetic) return true;
  }
  return false;
}
