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

/**
 * One row per class name, in first-seen order; with `classOf` (nodeOrdinal
 * → row; `rows.length` for the root and for nodes that are no instance) when asked.
 */
export function groupClasses(data: HeapSnapshotData, names: NodeNames, sizes: SizeArray, withClassOf: boolean): { rows: ClassSummary[]; classOf: Uint32Array | null } {
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
    if (detached[ordinal] === 1 && !detachedKeys.has(nodeNames[ordinal])) detachedKeys.set(nodeNames[ordinal], keyCount++);
  }
  const count = new Uint32Array(keyCount);
  const size = new Float64Array(keyCount);
  const first = new Int32Array(keyCount).fill(-1);
  const isNamed = namedTypes(data);
  const keyOf = (ordinal: number): number => {
    if (detached !== null && detached[ordinal] === 1) return detachedKeys.get(nodeNames[ordinal])!;
    const type = nodeTypes[ordinal];
    return isNamed[type] === 1 ? nodeNames[ordinal] : stringCount + type;
  };
  // As in DevTools' summary, a node whose shallow size is 0 (a store its
  // owner's size includes) is not an instance of its own.
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    if (sizes[ordinal] === 0) continue;
    const key = keyOf(ordinal);
    count[key]++;
    size[key] += sizes[ordinal];
    if (first[key] < 0) first[key] = ordinal;
  }
  // Several keys can share a class name (string, concatenated and sliced
  // strings are all "(string)"): rows are per name, `rowOfKey` maps keys to rows.
  const rows: ClassSummary[] = [];
  const rowOfName = new Map<string, number>();
  const rowOfKey = new Uint32Array(keyCount);
  first.forEach((ordinal, key) => {
    if (ordinal < 0) return;
    const name = names.className(ordinal);
    let row = rowOfName.get(name);
    if (row === undefined) {
      row = rows.push({ name, count: 0, selfSize: 0 }) - 1;
      rowOfName.set(name, row);
    }
    rows[row].count += count[key];
    rows[row].selfSize += size[key];
    rowOfKey[key] = row;
  });
  if (!withClassOf) return { rows, classOf: null };
  const classOf = new Uint32Array(nodeCount);
  classOf[0] = rows.length;
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) classOf[ordinal] = sizes[ordinal] === 0 ? rows.length : rowOfKey[keyOf(ordinal)];
  return { rows, classOf };
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
    if (detached !== null && detached[ordinal] === 1) {
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
