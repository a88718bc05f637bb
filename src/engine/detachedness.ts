/**
 * Which native nodes DevTools names "Detached <name>", by its rule
 * (HeapSnapshot.propagateDOMState): every native node whose `detachedness`
 * is attached (1) or detached (2) passes its state along non-hidden,
 * non-weak, non-invisible edges to native nodes that have none yet, attached
 * first; JavaScript nodes neither take a state nor pass one on.
 *
 * Browsers set the field on DOM nodes. Node 20 sets it too: a BaseObject
 * whose JS wrapper alone keeps it (held weakly: `Node / ModuleWrap`,
 * `Node / BindingData`, …) reports itself detached. That says nothing about
 * a leak, but it is what DevTools shows, so class names and counts follow it.
 * Node 24 writes 0 everywhere.
 */
import type { HeapSnapshotData } from './snapshotData';

const ATTACHED = 1;
const DETACHED = 2;

/** nodeOrdinal → 1 for a native node DevTools calls detached; null when there is none. */
export function detachedNativeNodes(data: HeapSnapshotData): Uint8Array | null {
  const raw = data.nodeDetachedness;
  const native = data.nodeTypeNames.indexOf('native');
  if (raw.length === 0 || native < 0) return null;
  const { nodeCount, nodeTypes, firstEdgeIndexes, edgeTypes, edgeToNodes } = data;
  const state = new Uint8Array(nodeCount);
  const visited = new Uint8Array(nodeCount);
  const attached: number[] = [];
  const detached: number[] = [];
  const visit = (ordinal: number, newState: number): void => {
    if (visited[ordinal] === 1) return;
    visited[ordinal] = 1;
    if (nodeTypes[ordinal] !== native) return;
    state[ordinal] = newState;
    if (newState === ATTACHED) attached.push(ordinal);
    else if (newState === DETACHED) detached.push(ordinal);
  };
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    if (raw[ordinal] !== 0) visit(ordinal, raw[ordinal]);
  }
  if (detached.length === 0) return null;
  const skipped = new Set(['hidden', 'weak', 'invisible'].map((name) => data.edgeTypeNames.indexOf(name)));
  const propagate = (from: number, newState: number): void => {
    for (let e = firstEdgeIndexes[from]; e < firstEdgeIndexes[from + 1]; e++) {
      if (!skipped.has(edgeTypes[e])) visit(edgeToNodes[e], newState);
    }
  };
  while (attached.length > 0) propagate(attached.pop()!, ATTACHED);
  const names = new Uint8Array(nodeCount);
  let any = false;
  while (detached.length > 0) {
    const ordinal = detached.pop()!;
    if (state[ordinal] !== DETACHED) continue;
    names[ordinal] = 1;
    any = true;
    propagate(ordinal, DETACHED);
  }
  return any ? names : null;
}
