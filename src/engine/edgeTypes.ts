/**
 * Type codes resolved once from the snapshot's own meta, and the rules that
 * decide which edges retain.
 */
import type { EphemeronNames, HeapSnapshotData } from './snapshotData';
import { EPHEMERON_NAME } from './ephemeronNames';
import type { IdIndex } from './idIndex';

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
  nodeNative: number;
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
    nodeNative: node('native'),
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

/** nameFlags values: not decided yet, an ephemeron name, another name. */
export const NAME_UNDECIDED = 0;
export const NAME_EPHEMERON = 1;
export const NAME_OTHER = 2;

/**
 * WeakMap ephemeron edges (ephemeronNames.ts): an entry's value lives while
 * both its key and its table do. Names the parser noted are known by their
 * ids; any other string an edge is named by is matched against
 * EPHEMERON_NAME once, on first sight.
 */
export class EphemeronEdges {
  /** Per string-table index: NAME_UNDECIDED, NAME_EPHEMERON or NAME_OTHER. Hot loops read it directly. */
  readonly nameFlags: Uint8Array;
  private readonly names: EphemeronNames;

  /**
   * `values`: one bit per nodeOrdinal, set for the value of every WeakMap
   * entry (findEphemerons). Hot loops test an internal edge's target there
   * before they read the edge's name: few targets are values, and the names
   * are another array, a cache miss per node in a BFS. `holders`: per noted
   * name, the nodeOrdinals of its key and table (-1 if none), when the
   * caller had the ids to find them.
   */
  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
    readonly values: Int32Array,
    private readonly holders: { keys: Int32Array; tables: Int32Array } | null = null,
  ) {
    this.nameFlags = new Uint8Array(data.strings.length);
    this.names = data.strings.ephemeronNames;
    for (const nameIndex of this.names.nameIndexes) this.nameFlags[nameIndex] = NAME_EPHEMERON;
  }

  /** Is edgeIndex one half of a WeakMap entry? */
  has(edgeIndex: number): boolean {
    const { data } = this;
    return data.edgeTypes[edgeIndex] === this.codes.edgeInternal && this.isEphemeronName(data.edgeNamesOrIndexes[edgeIndex]);
  }

  /** For callers that already checked the edge is `internal` (hot loops). */
  isEphemeronName(nameIndex: number): boolean {
    let flag = this.nameFlags[nameIndex];
    if (flag === NAME_UNDECIDED) {
      flag = EPHEMERON_NAME.test(this.data.strings.get(nameIndex)) ? NAME_EPHEMERON : NAME_OTHER;
      this.nameFlags[nameIndex] = flag;
    }
    return flag === NAME_EPHEMERON;
  }

  /** The description both halves of an entry share (the name without its prefix). */
  pairOf(nameIndex: number): string {
    const name = this.data.strings.get(nameIndex);
    return name.slice(name.indexOf(' / '));
  }

  /** Snapshot id of the entry's backing table, from an ephemeron name. */
  tableIdOf(nameIndex: number): number {
    const slot = this.slotOf(nameIndex);
    return slot >= 0 ? this.names.tableIds[slot] : Number(EPHEMERON_NAME.exec(this.data.strings.get(nameIndex))?.[3] ?? -1);
  }

  /** Snapshot id of the entry's key, from an ephemeron name. */
  keyIdOf(nameIndex: number): number {
    const slot = this.slotOf(nameIndex);
    return slot >= 0 ? this.names.keyIds[slot] : Number(EPHEMERON_NAME.exec(this.data.strings.get(nameIndex))?.[2] ?? -1);
  }

  /** Is this ephemeron edge the table's half (the other half comes from the key)? */
  isTableHalf(edgeIndex: number, holder: number): boolean {
    return this.data.nodeIds[holder] === this.tableIdOf(this.data.edgeNamesOrIndexes[edgeIndex]);
  }

  /**
   * The nodeOrdinal that holds the other half of the entry whose half
   * `nameIndex` `holder` holds: the key for the table's half, else the
   * table; -1 when not known.
   */
  otherHolderOf(nameIndex: number, holder: number): number {
    if (this.holders === null) return -1;
    const slot = this.slotOf(nameIndex);
    if (slot < 0) return -1;
    const { keys, tables } = this.holders;
    return holder === tables[slot] ? keys[slot] : tables[slot];
  }

  /** Where a noted name is in `names`, or -1 (binary search: the names ascend). */
  private slotOf(nameIndex: number): number {
    const names = this.names.nameIndexes;
    let low = 0;
    let high = names.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (names[mid] === nameIndex) return mid;
      if (names[mid] < nameIndex) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
}

/**
 * The WeakMap entries of a snapshot: every value its strings' names give
 * (StringTable.ephemeronNames) marked by its nodeOrdinal, and each name's key
 * and table found.
 */
export function findEphemerons(data: HeapSnapshotData, codes: TypeCodes, ids: Pick<IdIndex, 'ordinalsOfAscending' | 'ordinalOf'>): EphemeronEdges {
  const values = new Int32Array((data.nodeCount >>> 5) + 1);
  const { keyIds, valueIds, tableIds } = data.strings.ephemeronNames;
  const ordinals = ids.ordinalsOfAscending(valueIds.slice().sort());
  for (let i = 0; i < ordinals.length; i++) {
    const value = ordinals[i];
    if (value >= 0) values[value >>> 5] |= 1 << (value & 31);
  }
  const keys = new Int32Array(keyIds.length);
  const tables = new Int32Array(tableIds.length);
  for (let i = 0; i < keyIds.length; i++) {
    keys[i] = ids.ordinalOf(keyIds[i]);
    tables[i] = ids.ordinalOf(tableIds[i]);
  }
  return new EphemeronEdges(data, codes, values, { keys, tables });
}

/**
 * An edge that retains (on its own or, for a WeakMap entry, together with
 * the other half): anything but `weak`.
 */
export function isStrongEdge(data: HeapSnapshotData, codes: TypeCodes, edgeIndex: number): boolean {
  return data.edgeTypes[edgeIndex] !== codes.edgeWeak;
}
