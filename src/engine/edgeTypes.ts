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
 * Marks the string-table entries that name WeakMap ephemeron edges
 * (`N / part of key (K @k) -> value (V @v) pair in WeakMap (table @t)`).
 * V8 writes them as `internal`; the value is alive only while both key and
 * table are, so, as DevTools does for distances, they never retain on their own.
 *
 * Decoding every internal edge name would cost a second per GB (array slots
 * are named "0".."N" as strings). V8 also reports the table's value slot as a
 * `weak` edge to the value, so only internal edges into weakly referenced
 * nodes are candidates, and only those names are decoded.
 */
export function ephemeronNameFlags(data: HeapSnapshotData, codes: TypeCodes): Uint8Array {
  const flags = new Uint8Array(data.strings.length);
  const { nodeCount, edgeCount, edgeTypes, edgeNamesOrIndexes, edgeToNodes } = data;
  const internal = codes.edgeInternal;
  const weak = codes.edgeWeak;
  const weaklyHeld = new Uint8Array(nodeCount);
  for (let e = 0; e < edgeCount; e++) if (edgeTypes[e] === weak) weaklyHeld[edgeToNodes[e]] = 1;
  const checked = new Uint8Array(data.strings.length);
  for (let e = 0; e < edgeCount; e++) {
    if (edgeTypes[e] !== internal || weaklyHeld[edgeToNodes[e]] === 0) continue;
    const nameIndex = edgeNamesOrIndexes[e];
    if (checked[nameIndex] === 1) continue;
    checked[nameIndex] = 1;
    const name = data.strings.get(nameIndex);
    if (name.includes('part of key') && name.includes('pair in WeakMap')) flags[nameIndex] = 1;
  }
  return flags;
}

/** An edge that retains: not weak, not a WeakMap ephemeron edge. */
export function isStrongEdge(data: HeapSnapshotData, codes: TypeCodes, ephemeronNames: Uint8Array, edgeIndex: number): boolean {
  const type = data.edgeTypes[edgeIndex];
  if (type === codes.edgeWeak) return false;
  return !(type === codes.edgeInternal && ephemeronNames[data.edgeNamesOrIndexes[edgeIndex]] === 1);
}
