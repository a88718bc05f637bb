/**
 * Retained size per class: the bytes freed if every instance of the class
 * went. Summing the instances' retained sizes would count nested instances
 * twice (a linked list's nodes dominate each other), so, as DevTools'
 * HeapSnapshot.calculateClassesRetainedSize does, only instances with no
 * instance of the same class above them in the dominator tree are counted:
 * one iterative walk down the dominator tree, a counter per class. As in
 * DevTools, a node of shallow size 0 (a store its owner's size includes) is
 * no instance: it neither counts nor hides the instances below it.
 */
import { NO_DOMINATOR, type DominatorTree } from './dominators';
import type { SizeArray } from './snapshotData';
import type { ClassRows } from './classGroups';
import { rowsByTarget } from './compressedRows';

/** Exit markers on the walk stack: the class key with the top bit set (keys and ordinals stay below 2^31). */
const EXIT = 0x80000000;

/** Nodes visited between two yields. */
const SLICE = 1 << 18;

/**
 * `classOf[nodeOrdinal]` is a class key below `classCount`; returns the
 * retained size per key. A generator that yields between slices, like
 * `dominatorSteps`.
 */
export function* classRetainedSizeSteps(tree: DominatorTree, shallowSizes: SizeArray, classCount: number, classOf: ClassRows): Generator<void, Float64Array, void> {
  const { dominators, retainedSizes } = tree;
  const nodeCount = dominators.length;
  const { firstChild, children } = dominatedRows(dominators, tree.scratch);
  yield;
  const walk: TreeWalk = { firstChild, children, shallowSizes, retainedSizes, classOf, active: new Uint32Array(classCount), result: new Float64Array(classCount), stack: new Uint32Array(1 << 16), top: 0 };
  // The roots' trees (the root's alone: every node is in it), each left with every counter back at 0.
  for (let root = 0; root < nodeCount; root++) if (dominators[root] === NO_DOMINATOR) push(walk, root);
  while (walk.top > 0) {
    descend(walk, SLICE);
    yield;
  }
  return walk.result;
}

/** Dominator tree children as compressed sparse rows: node n's are children[firstChild[n] .. firstChild[n + 1]); in the tree's `scratch` when it has it. */
function dominatedRows(dominators: Uint32Array, scratch: DominatorTree['scratch']): { firstChild: Uint32Array; children: Uint32Array } {
  const firstChild = scratch?.rows.fill(0) ?? new Uint32Array(dominators.length + 1);
  const children = rowsByTarget(dominators, firstChild, (total) => scratch?.entries ?? new Uint32Array(Math.max(total, 1)));
  return { firstChild, children };
}

interface TreeWalk {
  firstChild: Uint32Array;
  children: Uint32Array;
  shallowSizes: SizeArray;
  retainedSizes: SizeArray;
  classOf: ClassRows;
  /** Per class key: instances on the current path. */
  active: Uint32Array;
  result: Float64Array;
  /** Nodes to enter and exit markers (key + EXIT), grown on demand (at most 2 × nodeCount entries). */
  stack: Uint32Array;
  top: number;
}

function push(walk: TreeWalk, entry: number): void {
  if (walk.top === walk.stack.length) grow(walk, 1);
  walk.stack[walk.top++] = entry;
}

function grow(walk: TreeWalk, room: number): void {
  const grown = new Uint32Array(Math.max(walk.stack.length * 2, walk.top + room));
  grown.set(walk.stack.subarray(0, walk.top));
  walk.stack = grown;
}

/**
 * Runs the DFS for about `budget` nodes. A plain function with every array
 * in a local: V8 optimises a generator's loop less well.
 */
function descend(walk: TreeWalk, budget: number): void {
  const { firstChild, children, shallowSizes, retainedSizes, classOf, active, result } = walk;
  let { stack, top } = walk;
  for (let entered = 0; top > 0 && entered < budget; ) {
    const entry = stack[--top];
    if (entry >= EXIT) {
      active[entry - EXIT]--;
      continue;
    }
    entered++;
    const first = firstChild[entry];
    const end = firstChild[entry + 1];
    if (top + end - first + 1 > stack.length) {
      walk.top = top;
      grow(walk, end - first + 1);
      stack = walk.stack;
    }
    if (shallowSizes[entry] !== 0) {
      const key = classOf[entry];
      if (active[key]++ === 0) result[key] += retainedSizes[entry];
      stack[top++] = key + EXIT;
    }
    for (let c = first; c < end; c++) stack[top++] = children[c];
  }
  walk.top = top;
}
