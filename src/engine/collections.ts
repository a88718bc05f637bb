/**
 * Which objects are collections, and how many entries they hold: the shapes
 * a growing cache takes in a Node heap.
 *
 *  - Map and Set (and their subclasses): an `internal` `table` edge to an
 *    OrderedHashMap/Set whose slots are named by index. A Map entry is
 *    (key, value, chain) and a Set entry (key, chain); the chain is a Smi, so a
 *    key and a value one slot apart are one entry.
 *  - Arrays: one `element` edge per element that is a heap object.
 *  - Dictionary-mode objects: objects V8 itself turned into hash tables (many
 *    properties added at run time, a `delete`, a null prototype — the
 *    `_events` of an EventEmitter). Their `properties` store is then an array
 *    node `(object properties)` with (key, value, details) slots, counted like
 *    a Map's table, rather than a fast `system / PropertyArray`.
 *
 * Entries are those holding at least one heap object: a snapshot does not
 * record Smis, so a Map of small integers to small integers shows none.
 * Deleted slots and array holes (`system / Hole` in newer V8) are no entries.
 * WeakMap and WeakSet are not collections here: their entries do not retain.
 */
import type { HeapSnapshotData } from './snapshotData';
import type { TypeCodes } from './edgeTypes';

/** What a string-table index names, decoded once per index. */
const enum Name {
  Unknown = 0,
  Table,
  Properties,
  Elements,
  ObjectProperties,
  Array,
  Weak,
  Hole,
  Other,
}

/** Property names of dictionaries with more entries than this are data (ids, URLs), not code. */
export const DATA_KEYED_DICTIONARY_SIZE = 16;

export interface CollectionShape {
  /** Map/Set table or dictionary `(object properties)`, or -1. */
  table: number;
  /** The `(object elements)` backing store, or -1. */
  elements: number;
  /** Entries holding at least one heap object. */
  entries: number;
  dictionary: boolean;
}

export class Collections {
  private readonly nameKinds: Uint8Array;
  /** Per string-table index: the slot number an internal edge name stands for; -2 unknown, -1 not a number. */
  private slotNumbers: Int32Array | null = null;

  // Type codes as plain fields: shape() runs for every object of a heap.
  private readonly objectType: number;
  private readonly arrayType: number;
  private readonly elementEdge: number;
  private readonly internalEdge: number;
  private readonly hiddenType: number;

  constructor(
    private readonly data: HeapSnapshotData,
    private readonly codes: TypeCodes,
  ) {
    this.nameKinds = new Uint8Array(data.strings.length);
    this.objectType = codes.nodeObject;
    this.arrayType = codes.nodeArray;
    this.elementEdge = codes.edgeElement;
    this.internalEdge = codes.edgeInternal;
    this.hiddenType = codes.nodeHidden;
  }

  private readonly scratch: CollectionShape = { table: -1, elements: -1, entries: 0, dictionary: false };

  /**
   * The collection `ordinal` is, or null for an object that is none (and for
   * every non-object node). Arrays count even when empty; other objects only
   * when they hold entries or are Maps/Sets. The result is reused by the next
   * call (this runs once per node of a heap).
   */
  shape(ordinal: number): Readonly<CollectionShape> | null {
    const { data, objectType, elementEdge, internalEdge, arrayType } = this;
    const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, nodeTypes, nodeNames } = data;
    if (nodeTypes[ordinal] !== objectType) return null;
    const ownName = this.kind(nodeNames[ordinal]);
    if (ownName === Name.Weak) return null;
    let table = -1;
    let elements = -1;
    let elementCount = 0;
    let dictionary = false;
    for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
      const type = edgeTypes[e];
      if (type === elementEdge) {
        if (!this.isHole(edgeToNodes[e])) elementCount++;
        continue;
      }
      if (type !== internalEdge) continue;
      const to = edgeToNodes[e];
      if (nodeTypes[to] !== arrayType) continue;
      const edgeKind = this.kind(edgeNamesOrIndexes[e]);
      if (edgeKind === Name.Table) table = to;
      else if (edgeKind === Name.Elements) elements = to;
      else if (edgeKind === Name.Properties && this.kind(nodeNames[to]) === Name.ObjectProperties) {
        table = to;
        dictionary = true;
      }
    }
    if (table < 0 && elementCount === 0 && ownName !== Name.Array) return null;
    const shape = this.scratch;
    shape.table = table;
    shape.elements = elements;
    shape.entries = elementCount + (table >= 0 ? this.tableEntries(table) : 0);
    shape.dictionary = dictionary;
    return shape;
  }

  /** Is `ordinal` a dictionary-mode object (its property names are keys, not fields)? */
  isDictionary(ordinal: number): boolean {
    return this.shape(ordinal)?.dictionary === true;
  }

  /**
   * What each entry holds: the value of a Map entry or dictionary property
   * (its key when the value is no heap object), a Set's key, an element.
   */
  forEachEntryTarget(ordinal: number, visit: (target: number) => void): void {
    const table = this.shape(ordinal)?.table;
    if (table === undefined) return;
    const { firstEdgeIndexes, edgeTypes, edgeToNodes } = this.data;
    for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
      if (edgeTypes[e] === this.codes.edgeElement && !this.isHole(edgeToNodes[e])) visit(edgeToNodes[e]);
    }
    if (table >= 0) this.forEachTableEntry(table, visit);
  }

  /** Slots one apart are one entry: key and value. */
  private tableEntries(table: number): number {
    let entries = 0;
    let previous = -2;
    const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes } = this.data;
    const internal = this.codes.edgeInternal;
    for (let e = firstEdgeIndexes[table], end = firstEdgeIndexes[table + 1]; e < end; e++) {
      if (edgeTypes[e] !== internal) continue;
      const slot = this.slot(edgeNamesOrIndexes[e]);
      if (slot < 0 || this.isHole(edgeToNodes[e])) continue;
      if (slot !== previous + 1) entries++;
      previous = slot;
    }
    return entries;
  }

  private forEachTableEntry(table: number, visit: (target: number) => void): void {
    const { firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes } = this.data;
    const internal = this.codes.edgeInternal;
    let previous = -2;
    let pending = -1; // the entry's first slot, visited unless the next slot is its value
    for (let e = firstEdgeIndexes[table], end = firstEdgeIndexes[table + 1]; e < end; e++) {
      if (edgeTypes[e] !== internal) continue;
      const slot = this.slot(edgeNamesOrIndexes[e]);
      if (slot < 0 || this.isHole(edgeToNodes[e])) continue;
      if (slot === previous + 1) {
        visit(edgeToNodes[e]);
        pending = -1;
      } else {
        if (pending >= 0) visit(pending);
        pending = edgeToNodes[e];
      }
      previous = slot;
    }
    if (pending >= 0) visit(pending);
  }

  /** Newer V8 (Node 22+) writes deleted table slots and array holes as edges to `system / Hole`; older V8 writes no edge. */
  private isHole(ordinal: number): boolean {
    return this.data.nodeTypes[ordinal] === this.hiddenType && this.kind(this.data.nodeNames[ordinal]) === Name.Hole;
  }

  private slot(nameIndex: number): number {
    const slots = (this.slotNumbers ??= new Int32Array(this.data.strings.length).fill(-2));
    let slot = slots[nameIndex];
    if (slot === -2) {
      const name = this.data.strings.get(nameIndex);
      slot = /^\d{1,9}$/.test(name) ? Number(name) : -1;
      slots[nameIndex] = slot;
    }
    return slot;
  }

  private kind(nameIndex: number): Name {
    let kind: Name = this.nameKinds[nameIndex];
    if (kind === Name.Unknown) {
      kind = nameKind(this.data.strings.get(nameIndex));
      this.nameKinds[nameIndex] = kind;
    }
    return kind;
  }
}

function nameKind(name: string): Name {
  switch (name) {
    case 'table':
      return Name.Table;
    case 'properties':
      return Name.Properties;
    case 'elements':
      return Name.Elements;
    case '(object properties)':
      return Name.ObjectProperties;
    case 'Array':
      return Name.Array;
    case 'WeakMap':
    case 'WeakSet':
      return Name.Weak;
    case 'system / Hole':
      return Name.Hole;
    default:
      return Name.Other;
  }
}
