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

/** Exit markers on the walk stack: the class key with the top bit set (keys and ordinals stay below 2^31). */
const EXIT = 0x80000000;

/** Nodes visited between two yields. */
const SLICE = 1 << 18;

/**
 * `classOf[nodeOrdinal]` is a class key below `classCount`; returns the
 * retained size per key. A generator that yields between slices, like
 * `dominatorSteps`.
 */
export function* classRetainedSizeSteps(tree: DominatorTree, shallowSizes: Float64Array, classCount: number, classOf: Uint32Array): Generator<void, Float64Array, void> {
  const { dominators, retainedSizes } = tree;
  const nodeCount = dominators.length;
  // Dominator tree children as compressed sparse rows.
  const firstChild = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) if (dominators[n] !== NO_DOMINATOR) firstChild[dominators[n]]++;
  let sum = 0;
  for (let n = 0; n < nodeCount; n++) {
    sum += firstChild[n];
    firstChild[n] = sum;
  }
  firstChild[nodeCount] = sum;
  const children = new Uint32Array(Math.max(sum, 1));
  for (let n = nodeCount - 1; n >= 0; n--) if (dominators[n] !== NO_DOMINATOR) children[--firstChild[dominators[n]]] = n;

  const active = new Uint32Array(classCount);
  const result = new Float64Array(classCount);
  // Each node is pushed once to enter and once to leave: at most 2 × nodeCount entries.
  const stack = new Uint32Array(2 * nodeCount);
  // The root's tree: every node is in it.
  let sinceYield = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (dominators[root] !== NO_DOMINATOR) continue;
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const entry = stack[--top];
      if (entry >= EXIT) {
        active[entry - EXIT]--;
        continue;
      }
      if (shallowSizes[entry] !== 0) {
        const key = classOf[entry];
        if (active[key]++ === 0) result[key] += retainedSizes[entry];
        stack[top++] = key + EXIT;
      }
      for (let c = firstChild[entry]; c < firstChild[entry + 1]; c++) stack[top++] = children[c];
      if (++sinceYield === SLICE) {
        sinceYield = 0;
        yield;
      }
    }
  }
  return result;
}
