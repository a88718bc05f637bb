/**
 * Type codes resolved once from the snapshot's own meta, and the rules that
 * decide which edges retain.
 */
import type { HeapSnapshotData } from './snapshotData';
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

/**
 * WeakMap ephemeron edges. For each entry whose key and value are heap
 * objects V8 writes two `internal` edges to the value with one description,
 * `3 / part of key (Key @7) -> value (Value @9) pair in WeakMap (table @5)`:
 * one from the key, one from the WeakMap's backing table (the numeric prefix
 * counts each holder's own edges, so the two names usually differ). The value lives
 * while both the key and the table do. Recognised on any node, by the
 * pattern of DevTools' HeapSnapshot.tryParseWeakMapEdgeName; each distinct
 * name is decoded once, on first sight.
 */
const EPHEMERON_NAME = /^\d+( \/ part of key \(.*? @(\d+)\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;
/** What follows the leading count in every ephemeron name, and what comes between its value's id and its table's, as bytes. */
const PART_OF_KEY = [...' / part of key ('].map((char) => char.charCodeAt(0));
const PAIR_IN_WEAK_MAP = [...') pair in WeakMap (table @'].map((char) => char.charCodeAt(0));

/** nameFlags values: not decided yet, an ephemeron name, another name. */
export const NAME_UNDECIDED = 0;
export const NAME_EPHEMERON = 1;
export const NAME_OTHER = 2;

export class EphemeronEdges {
  /** Per string-table index: NAME_UNDECIDED, NAME_EPHEMERON or NAME_OTHER. Hot loops read it directly. */
  readonly nameFlags: Uint8Array;
  /** Ephemeron name → table id (numbers only: one entry per WeakMap entry name the dominators meet). */
  private readonly tableIds = new Map<number, number>();

  /**
   * `values`: one bit per nodeOrdinal, set for the value of every WeakMap
   * entry (findEphemerons). Hot loops test an internal edge's target there
   * before they read the edge's name: few targets are values, and the names
   * are another array, a cache miss per node in a BFS.
   */
  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
    readonly values: Int32Array,
  ) {
    this.nameFlags = new Uint8Array(data.strings.length);
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
    let id = this.tableIds.get(nameIndex);
    if (id === undefined) {
      id = Number(EPHEMERON_NAME.exec(this.data.strings.get(nameIndex))?.[3] ?? -1);
      this.tableIds.set(nameIndex, id);
    }
    return id;
  }

  /** Snapshot id of the entry's key, from an ephemeron name (not cached: walks ask for a few). */
  keyIdOf(nameIndex: number): number {
    return Number(EPHEMERON_NAME.exec(this.data.strings.get(nameIndex))?.[2] ?? -1);
  }

  /** Is this ephemeron edge the table's half (the other half comes from the key)? */
  isTableHalf(edgeIndex: number, holder: number): boolean {
    return this.data.nodeIds[holder] === this.tableIdOf(this.data.edgeNamesOrIndexes[edgeIndex]);
  }
}

/**
 * The WeakMap entries of a snapshot: every value its strings' names give
 * (StringTable.weakMapValueIds) marked by its nodeOrdinal.
 */
export function findEphemerons(data: HeapSnapshotData, codes: TypeCodes, ids: Pick<IdIndex, 'ordinalsOfAscending'>): EphemeronEdges {
  const values = new Int32Array((data.nodeCount >>> 5) + 1);
  const ordinals = ids.ordinalsOfAscending(data.strings.weakMapValueIds.slice().sort());
  for (let i = 0; i < ordinals.length; i++) {
    const value = ordinals[i];
    if (value >= 0) values[value >>> 5] |= 1 << (value & 31);
  }
  return new EphemeronEdges(data, codes, values);
}

/**
 * The value's id in an ephemeron name's raw bytes (UTF-8, JSON-escaped), or
 * -1: V8 writes the value's own id there, so a string that begins like
 * EPHEMERON_NAME and ends ` @V) pair in WeakMap (table @T)` gives V. A string
 * the regex would still reject only costs a name check on a node that is no
 * value; no value is missed.
 */
export function ephemeronValueIdInBytes(bytes: Uint8Array, start: number, end: number): number {
  return beginsLikeEphemeronName(bytes, start, end) ? valueIdAtEnd(bytes, start, end) : -1;
}

/** Digits, then ' / part of key (': what EPHEMERON_NAME needs before its first wildcard. */
function beginsLikeEphemeronName(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  while (at < end && isDigit(bytes[at])) at++;
  if (at === start || end - at < PART_OF_KEY.length) return false;
  for (let k = 0; k < PART_OF_KEY.length; k++) if (bytes[at + k] !== PART_OF_KEY[k]) return false;
  return true;
}

/** V in a string's last bytes ` @V) pair in WeakMap (table @T)` (ASCII, so as JSON writes them), or -1. */
function valueIdAtEnd(bytes: Uint8Array, start: number, end: number): number {
  let at = end - 1;
  if (at <= start || bytes[at] !== 0x29) return -1;
  const tableDigitsEnd = at;
  while (at > start && isDigit(bytes[at - 1])) at--;
  if (at === tableDigitsEnd) return -1;
  at -= PAIR_IN_WEAK_MAP.length;
  if (at < start) return -1;
  for (let k = 0; k < PAIR_IN_WEAK_MAP.length; k++) if (bytes[at + k] !== PAIR_IN_WEAK_MAP[k]) return -1;
  const valueDigitsEnd = at;
  while (at > start && isDigit(bytes[at - 1])) at--;
  if (at === valueDigitsEnd || at - 2 < start || bytes[at - 1] !== 0x40 || bytes[at - 2] !== 0x20) return -1;
  let id = 0;
  for (let k = at; k < valueDigitsEnd; k++) id = id * 10 + bytes[k] - 0x30;
  return id;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/**
 * An edge that retains (on its own or, for a WeakMap entry, together with
 * the other half): anything but `weak`.
 */
export function isStrongEdge(data: HeapSnapshotData, codes: TypeCodes, edgeIndex: number): boolean {
  return data.edgeTypes[edgeIndex] !== codes.edgeWeak;
}
