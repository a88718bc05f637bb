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
import type { DetachednessList, HeapSnapshotData } from './snapshotData';
import { doubled } from './growingArrays';

const ATTACHED = 1;
const DETACHED = 2;

/**
 * The native nodes DevTools calls detached, one bit a node (nodeOrdinal bit
 * of 32-bit words); null when there is none. Only native nodes take a state,
 * so the states are kept per native node met, not per node.
 */
export function detachedNativeNodes(data: HeapSnapshotData): Uint32Array | null {
  const { ordinals, states } = data.nodeDetachedness;
  const native = data.nodeTypeNames.indexOf('native');
  if (ordinals.length === 0 || native < 0) return null;
  const { nodeCount, nodeTypes, firstEdgeIndexes, edgeTypes, edgeToNodes } = data;
  const state = new Map<number, number>();
  const attached: number[] = [];
  const detached: number[] = [];
  const visit = (ordinal: number, newState: number): void => {
    if (nodeTypes[ordinal] !== native || state.has(ordinal)) return;
    state.set(ordinal, newState);
    if (newState === ATTACHED) attached.push(ordinal);
    else if (newState === DETACHED) detached.push(ordinal);
  };
  for (let i = 0; i < ordinals.length; i++) visit(ordinals[i], states[i]);
  if (detached.length === 0) return null;
  const skipped = new Set(['hidden', 'weak', 'invisible'].map((name) => data.edgeTypeNames.indexOf(name)));
  const propagate = (from: number, newState: number): void => {
    for (let e = firstEdgeIndexes[from]; e < firstEdgeIndexes[from + 1]; e++) {
      if (!skipped.has(edgeTypes[e])) visit(edgeToNodes[e], newState);
    }
  };
  while (attached.length > 0) propagate(attached.pop()!, ATTACHED);
  const bits = new Uint32Array((nodeCount + 31) >>> 5);
  let any = false;
  while (detached.length > 0) {
    const ordinal = detached.pop()!;
    if (state.get(ordinal) !== DETACHED) continue;
    bits[ordinal >>> 5] |= 1 << (ordinal & 31);
    any = true;
    propagate(ordinal, DETACHED);
  }
  return any ? bits : null;
}

/** Is `ordinal` one of detachedNativeNodes' bits? */
export function isDetached(bits: Uint32Array, ordinal: number): boolean {
  return (bits[ordinal >>> 5] & (1 << (ordinal & 31))) !== 0;
}

/** No node with a detachedness (the field absent, or 0 everywhere). */
export const NO_DETACHEDNESS: DetachednessList = { ordinals: new Uint32Array(0), states: new Uint8Array(0) };

/** The parser's side of DetachednessList: nodes are added as their records are read, in ordinal order. */
export class DetachednessCollector {
  private ordinals: Uint32Array<ArrayBuffer> = new Uint32Array(64);
  private states: Uint8Array<ArrayBuffer> = new Uint8Array(64);
  private count = 0;

  add(ordinal: number, state: number): void {
    // Records read again (the parser widens the self sizes and reads the batch anew) replace what they gave.
    while (this.count > 0 && this.ordinals[this.count - 1] >= ordinal) this.count--;
    if (this.count === this.ordinals.length) {
      this.ordinals = doubled(this.ordinals);
      this.states = doubled(this.states);
    }
    this.ordinals[this.count] = ordinal;
    this.states[this.count++] = state;
  }

  list(): DetachednessList {
    return this.count === 0 ? NO_DETACHEDNESS : { ordinals: this.ordinals.slice(0, this.count), states: this.states.slice(0, this.count) };
  }
}
