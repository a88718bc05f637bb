/**
 * DevTools' summary grouping: objects (and natives) by constructor name,
 * every other node by type (`(string)`, `(closure)`, `(array)`, …), native
 * nodes DevTools calls detached by their "Detached …" name; a node whose
 * shallow size is 0 (a store its owner's size includes) is no instance.
 * Shared by the heap graph's class list and by growth, which groups snapshots
 * whose graph it never builds.
 */
import type { ClassSummary } from '../protocol/walk';
import type { HeapSnapshotData, SizeArray } from './snapshotData';
import type { NodeNames } from './nodeNames';
import { isDetached } from './detachedness';

/** nodeOrdinal → class row: 8 bits a node while there are fewer than 255 classes (most heaps), 16 below 65,535, else 32. */
export type ClassRows = Uint8Array | Uint16Array | Uint32Array;

/** An empty ClassRows of `length` as wide as `like` (on `buffer` when given). */
export function classRowsLike(like: ClassRows, length: number, buffer = new ArrayBuffer(length * like.BYTES_PER_ELEMENT)): ClassRows {
  if (like instanceof Uint8Array) return new Uint8Array(buffer, 0, length);
  return like instanceof Uint16Array ? new Uint16Array(buffer, 0, length) : new Uint32Array(buffer, 0, length);
}

/**
 * One row per class name, in the order of their first nodes; with `classOf` (nodeOrdinal
 * → row; `rows.length` for the root and for nodes that are no instance) when asked.
 */
export function groupClasses(data: HeapSnapshotData, names: NodeNames, sizes: SizeArray, withClassOf: boolean): { rows: ClassSummary[]; classOf: ClassRows | null } {
  const { nodeCount, nodeTypes, nodeNames } = data;
  // Objects group by their name's string index, every other node by its
  // type (keys strings.length + type): count in flat arrays, decode each
  // distinct name once at the end.
  const stringCount = data.strings.length;
  let keyCount = stringCount + data.nodeTypeNames.length;
  // Native nodes DevTools calls "Detached …" (detachedness.ts) are classes of their own: a key per name after the type keys.
  const detached = names.detachedNodes;
  const detachedKeys = new Map<number, number>();
  for (let ordinal = 0; detached !== null && ordinal < nodeCount; ordinal++) {
    if (isDetached(detached, ordinal) && !detachedKeys.has(nodeNames[ordinal])) detachedKeys.set(nodeNames[ordinal], keyCount++);
  }
  // Each key seen gets a slot, in first-seen order; the figures are per slot
  // (a few thousand), so only the key → slot table is as long as the strings.
  const slotOfKey = new Int32Array(keyCount).fill(-1);
  let slots = new SlotFigures(1024);
  const isNamed = namedTypes(data);
  const keyOf = (ordinal: number): number => {
    if (detached !== null && isDetached(detached, ordinal)) return detachedKeys.get(nodeNames[ordinal])!;
    const type = nodeTypes[ordinal];
    return isNamed[type] === 1 ? nodeNames[ordinal] : stringCount + type;
  };
  // As in DevTools' summary, a node whose shallow size is 0 (a store its
  // owner's size includes) is not an instance of its own.
  // With classOf, each node's slot is kept in it for now: rows replace slots once known.
  let slotOf: ClassRows | null = withClassOf ? new Uint8Array(nodeCount) : null;
  let noSlot = NO_SLOT_8;
  let slotCount = 0;
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    if (sizes[ordinal] === 0) {
      if (slotOf !== null) slotOf[ordinal] = noSlot;
      continue;
    }
    const key = keyOf(ordinal);
    let slot = slotOfKey[key];
    if (slot < 0) {
      if (slotOf !== null && slotCount === noSlot) {
        slotOf = widened(slotOf, ordinal, noSlot);
        noSlot = noSlotIn(slotOf);
      }
      if (slotCount === slots.first.length) slots = slots.grown();
      slot = slotOfKey[key] = slotCount++;
      slots.first[slot] = ordinal;
    }
    slots.count[slot]++;
    slots.size[slot] += sizes[ordinal];
    if (slotOf !== null) slotOf[ordinal] = slot;
  }
  // Several keys can share a class name (string, concatenated and sliced
  // strings are all "(string)"): rows are per name, `rowOfSlot` maps slots to rows.
  const rows: ClassSummary[] = [];
  const rowOfName = new Map<string, number>();
  const rowOfSlot = new Uint32Array(slotCount);
  for (let slot = 0; slot < slotCount; slot++) {
    const name = names.className(slots.first[slot]);
    let row = rowOfName.get(name);
    if (row === undefined) {
      row = rows.push({ name, count: 0, selfSize: 0 }) - 1;
      rowOfName.set(name, row);
    }
    rows[row].count += slots.count[slot];
    rows[row].selfSize += slots.size[slot];
    rowOfSlot[slot] = row;
  }
  if (slotOf === null) return { rows, classOf: null };
  const classOf = slotOf;
  classOf[0] = rows.length;
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    const slot = classOf[ordinal];
    classOf[ordinal] = slot === noSlot ? rows.length : rowOfSlot[slot];
  }
  return { rows, classOf };
}

const NO_SLOT_8 = 0xff;

/** The largest value `slotOf` holds: it marks a node with no slot. */
function noSlotIn(slotOf: ClassRows): number {
  return 2 ** (slotOf.BYTES_PER_ELEMENT * 8) - 1;
}

/** The slots of the nodes before `end` one size wider, once the narrower has no value left for a new slot. */
function widened(slotOf: ClassRows, end: number, noSlot: number): ClassRows {
  const wide = slotOf instanceof Uint8Array ? new Uint16Array(slotOf.length) : new Uint32Array(slotOf.length);
  const wideNoSlot = noSlotIn(wide);
  for (let ordinal = 1; ordinal < end; ordinal++) wide[ordinal] = slotOf[ordinal] === noSlot ? wideNoSlot : slotOf[ordinal];
  return wide;
}

/** Count, size and first node per slot of groupClasses. */
class SlotFigures {
  readonly count: Uint32Array;
  readonly size: Float64Array;
  readonly first: Uint32Array;

  constructor(length: number) {
    this.count = new Uint32Array(length);
    this.size = new Float64Array(length);
    this.first = new Uint32Array(length);
  }

  grown(): SlotFigures {
    const bigger = new SlotFigures(this.first.length * 2);
    bigger.count.set(this.count);
    bigger.size.set(this.size);
    bigger.first.set(this.first);
    return bigger;
  }
}

/** nodeOrdinals of the instances `className` groups (shallow size above 0), in ordinal order: one pass, each name decided once. */
export function ordinalsOfClass(data: HeapSnapshotData, names: NodeNames, sizes: SizeArray, className: string): number[] {
  const { nodeCount, nodeTypes, nodeNames } = data;
  const isNamed = namedTypes(data);
  // 0 = not decided yet, 1 = this class, 2 = another class.
  const nameMatches = new Uint8Array(data.strings.length);
  const typeMatches = new Uint8Array(data.nodeTypeNames.length);
  const found: number[] = [];
  const detached = names.detachedNodes;
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    if (sizes[ordinal] === 0) continue;
    if (detached !== null && isDetached(detached, ordinal)) {
      if (names.className(ordinal) === className) found.push(ordinal);
      continue;
    }
    const type = nodeTypes[ordinal];
    const cache = isNamed[type] === 1 ? nameMatches : typeMatches;
    const key = isNamed[type] === 1 ? nodeNames[ordinal] : type;
    let match = cache[key];
    if (match === 0) {
      match = names.className(ordinal) === className ? 1 : 2;
      cache[key] = match;
    }
    if (match === 1) found.push(ordinal);
  }
  return found;
}

/** Node types whose class name is their own name (objects, natives), as a type → 1 table. */
export function namedTypes(data: HeapSnapshotData): Uint8Array {
  const flags = new Uint8Array(data.nodeTypeNames.length);
  for (const name of ['object', 'native']) {
    const type = data.nodeTypeNames.indexOf(name);
    if (type >= 0) flags[type] = 1;
  }
  return flags;
}
