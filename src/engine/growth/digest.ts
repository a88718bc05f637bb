/**
 * What growth keeps of an older snapshot once its graph is dropped: per-class
 * figures, the collections with their entry counts, and for the first
 * snapshot every stable object id with its class (for `deleted` and for
 * telling one process from another). Typed arrays of a few bytes per node,
 * so a series of gigabyte snapshots needs the memory of one graph.
 *
 * A snapshot without retained sizes needs no graph at all: its parsed data
 * is digested as it is, without the indexes a walk needs.
 */
import type { ClassSummary } from '../../protocol/walk';
import type { HeapGraph, ClassIndex } from '../heapGraph';
import type { HeapSnapshotData, SizeArray } from '../snapshotData';
import { typeCodes, type TypeCodes } from '../edgeTypes';
import { NodeNames } from '../nodeNames';
import { classRowsLike, groupClasses, type ClassRows } from '../classGroups';
import { detachedNativeNodes } from '../detachedness';
import { computeShallowSizes } from '../shallowSizes';
import { ordinalsById } from '../idIndex';
import { Collections } from '../collections';
import { doubled } from '../growingArrays';
import { AscendingIds } from './objectIds';
import { keptBuffer } from './keptBuffers';

export interface ClassFigures {
  count: number;
  selfSize: number;
  retainedSize: number | null;
}

/** Collections with at least one entry, ascending id. */
export interface CollectionTable {
  ids: Uint32Array;
  entries: Uint32Array;
  /** Retained size per collection, when the snapshot had them. */
  retainedSizes: Float64Array | null;
}

/** Every stable id of a snapshot, ascending, with its class. */
export interface ObjectTable {
  ids: AscendingIds;
  /** Index into `classNames`, by the ids' order. */
  classRows: ClassRows;
  classNames: string[];
}

export interface SnapshotDigest {
  file: string;
  nodeCount: number;
  totalSize: number;
  maxObjectId: number;
  hasRetainedSizes: boolean;
  /** Taken while V8 recorded allocation stacks. */
  allocationStacks: boolean;
  classes: Map<string, ClassFigures>;
  collections: CollectionTable;
  objects: ObjectTable | null;
}

interface DigestInput {
  data: HeapSnapshotData;
  codes: TypeCodes;
  /** nodeOrdinals by ascending id: asked for only when `objects` are kept (a sort of every node). */
  order: () => Uint32Array;
  rows: readonly ClassSummary[];
  /** Needed for `objects`. */
  classOf: ClassRows | null;
  /** Per nodeOrdinal, when computed. */
  retainedSizes: SizeArray | null;
  /** The collection table, when computed elsewhere. */
  collections?: CollectionTable;
}

/** What a data digest can have another thread compute meanwhile (see digestDataWith). */
export interface DigestHelp {
  /** computeShallowSizes() of the snapshot. */
  shallowSizes: Promise<SizeArray>;
  /** collectionTableOf() of the snapshot. */
  collections: Promise<CollectionTable>;
}

/** The digest of a graph, with the retained sizes it has; `objects` for the first snapshot. `classIndex` when already at hand. */
export function digestGraph(graph: HeapGraph, file: string, { withObjects, classIndex }: { withObjects: boolean; classIndex?: ClassIndex }): SnapshotDigest {
  const { walk, dominators } = graph.analysisContext();
  const index = classIndex ?? (withObjects ? graph.classIndex() : null);
  // classes() carries the per-class retained sizes once computed; classIndex() the rows of classOf.
  let rows: readonly ClassSummary[];
  if (!index) {
    rows = graph.classes();
  } else if (dominators) {
    const retained = new Map(graph.classes().map((row) => [row.name, row.retainedSize]));
    rows = index.rows.map((row) => ({ ...row, retainedSize: retained.get(row.name) }));
  } else {
    rows = index.rows;
  }
  const retainedSizes = dominators?.retainedSizes ?? null;
  const found = graph.adoptedCollectionTable;
  const collections = found ? withRetainedSizes(found, graph, retainedSizes) : undefined;
  return digest(
    { data: graph.data, codes: walk.core.codes, order: () => graph.ordinalsById(), rows, classOf: index?.classOf ?? null, retainedSizes, collections },
    file,
    withObjects,
  );
}

/** A table found without retained sizes, with the graph's (a lookup per collection: they are few). */
function withRetainedSizes(table: CollectionTable, graph: HeapGraph, retainedSizes: SizeArray | null): CollectionTable {
  if (!retainedSizes) return table;
  const sizes = new Float64Array(table.ids.length);
  for (let i = 0; i < sizes.length; i++) sizes[i] = retainedSizes[graph.ordinalOf(table.ids[i])];
  return { ...table, retainedSizes: sizes };
}

/** The digest of a parsed snapshot whose graph is not built (no retained sizes). */
export function digestData(data: HeapSnapshotData, file: string, { withObjects }: { withObjects: boolean }): SnapshotDigest {
  const codes = typeCodes(data);
  // What HeapGraph.classes() would group: DevTools' shallow sizes, detached natives named apart.
  const names = new NodeNames(data, codes, detachedNativeNodes(data));
  const { rows, classOf } = groupClasses(data, names, computeShallowSizes(data, codes), withObjects);
  return digest({ data, codes, order: () => ordinalsById(data.nodeIds), rows, classOf, retainedSizes: null }, file, withObjects);
}

/**
 * digestData, with the shallow sizes and the collection table computed by
 * another thread (`help`) while this one orders the ids, groups the nodes
 * and keeps the objects.
 */
export async function digestDataWith(data: HeapSnapshotData, file: string, { withObjects }: { withObjects: boolean }, help: DigestHelp): Promise<SnapshotDigest> {
  const codes = typeCodes(data);
  const names = new NodeNames(data, codes, detachedNativeNodes(data));
  const order = withObjects ? ordinalsById(data.nodeIds) : null;
  const { rows, classOf } = groupClasses(data, names, await help.shallowSizes, withObjects);
  const digested = digestAllButCollections({ data, codes, order: () => order ?? ordinalsById(data.nodeIds), rows, classOf, retainedSizes: null }, file, withObjects);
  return { ...digested, collections: await help.collections };
}

function digest(input: DigestInput, file: string, withObjects: boolean): SnapshotDigest {
  return { ...digestAllButCollections(input, file, withObjects), collections: input.collections ?? collectionTableOf(input.data, input.codes, input.retainedSizes) };
}

function digestAllButCollections(input: DigestInput, file: string, withObjects: boolean): Omit<SnapshotDigest, 'collections'> {
  const { data, rows } = input;
  const { nodeCount, nodeSelfSizes, nodeIds } = data;
  let totalSize = 0;
  let maxObjectId = 0;
  let stable = 0;
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    totalSize += nodeSelfSizes[ordinal];
    const id = nodeIds[ordinal];
    if ((id & 1) === 1) {
      stable++;
      if (id > maxObjectId) maxObjectId = id;
    }
  }
  const hasRetainedSizes = input.retainedSizes !== null;
  const classes = new Map<string, ClassFigures>();
  for (const row of rows) classes.set(row.name, { count: row.count, selfSize: row.selfSize, retainedSize: hasRetainedSizes ? (row.retainedSize ?? 0) : null });
  return {
    file,
    nodeCount: data.nodeCount,
    totalSize,
    maxObjectId,
    hasRetainedSizes,
    allocationStacks: data.allocationTraces !== undefined,
    classes,
    objects: withObjects ? objectTable(input, stable, maxObjectId) : null,
  };
}

/**
 * Collections with entries, in id order (so lookups bisect and tables merge):
 * read in ordinal order, which follows the edges in memory, then the few
 * found are sorted by id.
 */
export function collectionTableOf(data: HeapSnapshotData, codes: TypeCodes, retainedSizes: SizeArray | null): CollectionTable {
  const collections = new Collections(data, codes);
  const { nodeCount, nodeTypes, nodeIds } = data;
  const objectType = codes.nodeObject;
  // Each collection's entries are counted once, here (a Map's count walks its whole table).
  let found: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  let ids: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  let entries: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  let count = 0;
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    if (nodeTypes[ordinal] !== objectType || (nodeIds[ordinal] & 1) === 0) continue;
    const held = collections.shape(ordinal)?.entries ?? 0;
    if (held === 0) continue;
    if (count === ids.length) {
      ids = doubled(ids);
      entries = doubled(entries);
      if (retainedSizes) found = doubled(found);
    }
    if (retainedSizes) found[count] = ordinal;
    ids[count] = nodeIds[ordinal];
    entries[count++] = held;
  }
  const byId = ordinalsById(ids.subarray(0, count));
  const table: CollectionTable = { ids: new Uint32Array(count), entries: new Uint32Array(count), retainedSizes: retainedSizes ? new Float64Array(count) : null };
  for (let i = 0; i < count; i++) {
    const at = byId[i];
    table.ids[i] = ids[at];
    table.entries[i] = entries[at];
    if (retainedSizes) table.retainedSizes![i] = retainedSizes[found[at]];
  }
  return table;
}

function objectTable({ data, order, rows, classOf }: DigestInput, stable: number, maxId: number): ObjectTable {
  if (!classOf) throw new Error('the objects of a snapshot need its classOf');
  const { nodeIds } = data;
  const byId = order();
  const ids = AscendingIds.writer(stable, maxId);
  // As wide as classOf, which holds the root's row (rows.length) too.
  const classRows = classRowsLike(classOf, stable, keptBuffer(stable * classOf.BYTES_PER_ELEMENT));
  let at = 0;
  for (let i = 0; i < byId.length; i++) {
    const ordinal = byId[i];
    const id = nodeIds[ordinal];
    if ((id & 1) === 0) continue; // not a stable id (objectIds.ts)
    ids.push(id);
    classRows[at++] = classOf[ordinal];
  }
  return { ids: ids.done(), classRows, classNames: [...rows.map((row) => row.name), '(root)'] };
}
