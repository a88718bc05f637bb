/**
 * Type codes resolved once from the snapshot's own meta, and the rules that
 * decide which edges retain.
 */
import type { HeapSnapshotData } from './snapshotData';

export interface TypeCodes {
  edgeWeak: number;
  edgeElement: number;
  edgeHidden: number;
  edgeInternal: number;
  edgeProperty: number;
  edgeContext: number;
  edgeShortcut: number;
  nodeSynthetic: number;
  nodeString: number;
  nodeConsString: number;
  nodeSlicedString: number;
  nodeNumber: number;
  nodeClosure: number;
  nodeCode: number;
  nodeHidden: number;
  nodeObjectShape: number;
  nodeObject: number;
  nodeArray: number;
}

export function typeCodes(data: HeapSnapshotData): TypeCodes {
  const edge = (name: string): number => data.edgeTypeNames.indexOf(name);
  const node = (name: string): number => data.nodeTypeNames.indexOf(name);
  return {
    edgeWeak: edge('weak'),
    edgeElement: edge('element'),
    edgeHidden: edge('hidden'),
    edgeInternal: edge('internal'),
    edgeProperty: edge('property'),
    edgeContext: edge('context'),
    edgeShortcut: edge('shortcut'),
    nodeSynthetic: node('synthetic'),
    nodeString: node('string'),
    nodeConsString: node('concatenated string'),
    nodeSlicedString: node('sliced string'),
    nodeNumber: node('number'),
    nodeClosure: node('closure'),
    nodeCode: node('code'),
    nodeHidden: node('hidden'),
    nodeObjectShape: node('object shape'),
    nodeObject: node('object'),
    nodeArray: node('array'),
  };
}

/** Edge types whose name_or_index is a number rather than a string-table index. */
export function hasIndexName(type: number, codes: TypeCodes): boolean {
  return type === codes.edgeElement || type === codes.edgeHidden;
}

/** The raw name of an edge: its string, or its index as text. */
export function edgeName(data: HeapSnapshotData, codes: TypeCodes, edgeIndex: number): string {
  const type = data.edgeTypes[edgeIndex];
  const nameOrIndex = data.edgeNamesOrIndexes[edgeIndex];
  return hasIndexName(type, codes) ? String(nameOrIndex) : data.strings.get(nameOrIndex);
}

/**
 * WeakMap ephemeron edges (`N / part of key (K @k) -> value (V @v) pair in
 * WeakMap (table @t)`). V8 writes them as `internal`; the value is alive only
 * while both key and table are, so, as DevTools does for distances, they
 * never retain on their own.
 *
 * Decoding every internal edge name would cost a second per GB (array slots
 * are named "0".."N" as strings). V8 also reports the table's value slot as a
 * `weak` edge to the value, so only internal edges into weakly held nodes are
 * candidates; their names are decoded once, on first sight.
 */
export class EphemeronEdges {
  /** Per string-table index: 0 not decided yet, 1 an ephemeron name, 2 not. */
  private readonly nameFlags: Uint8Array;

  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
    /** nodeOrdinal → 1 when some `weak` edge points at the node. */
    readonly weaklyHeld: Uint8Array,
  ) {
    this.nameFlags = new Uint8Array(data.strings.length);
  }

  /** Is edgeIndex an ephemeron edge? */
  has(edgeIndex: number): boolean {
    const { data } = this;
    if (data.edgeTypes[edgeIndex] !== this.codes.edgeInternal || this.weaklyHeld[data.edgeToNodes[edgeIndex]] === 0) return false;
    return this.isEphemeronName(data.edgeNamesOrIndexes[edgeIndex]);
  }

  /** For callers that already checked type and target (the BFS hot loop). */
  isEphemeronName(nameIndex: number): boolean {
    let flag = this.nameFlags[nameIndex];
    if (flag === 0) {
      const name = this.data.strings.get(nameIndex);
      flag = name.includes('part of key') && name.includes('pair in WeakMap') ? 1 : 2;
      this.nameFlags[nameIndex] = flag;
    }
    return flag === 1;
  }
}

/** An edge that retains: not weak, not a WeakMap ephemeron edge. */
export function isStrongEdge(data: HeapSnapshotData, codes: TypeCodes, ephemerons: EphemeronEdges, edgeIndex: number): boolean {
  return data.edgeTypes[edgeIndex] !== codes.edgeWeak && !ephemerons.has(edgeIndex);
}
