/**
 * Retained size per class: the bytes freed if every instance of the class
 * went. Summing the instances' retained sizes would count nested instances
 * twice (a linked list's nodes dominate each other), so, as DevTools'
 * HeapSnapshot.calculateClassesRetainedSize does, only instances with no
 * instance of the same class above them in the dominator tree are counted:
 * one iterative walk down the dominator tree, a counter per class.
 */
import { NO_DOMINATOR, type DominatorTree } from './dominators';

/** Exit markers on the walk stack: the ordinal with the top bit set (ordinals stay below 2^31). */
const EXIT = 0x80000000;

/**
 * `classOf(ordinal)` → a class key below `classCount`; returns the retained
 * size per key.
 */
export function classRetainedSizes(tree: DominatorTree, classCount: number, classOf: (ordinal: number) => number): Float64Array {
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
  const visit = (root: number): void => {
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const entry = stack[--top];
      if (entry >= EXIT) {
        active[classOf(entry - EXIT)]--;
        continue;
      }
      const key = classOf(entry);
      if (active[key]++ === 0) result[key] += retainedSizes[entry];
      stack[top++] = entry + EXIT;
      for (let c = firstChild[entry]; c < firstChild[entry + 1]; c++) stack[top++] = children[c];
    }
  };
  // The root's tree, then each unreachable node on its own (no dominator; retains itself).
  for (let n = 0; n < nodeCount; n++) if (dominators[n] === NO_DOMINATOR) visit(n);
  return result;
}
