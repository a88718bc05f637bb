import type { SizeArray } from './snapshotData';
import type { Layout } from './parserLayout';
import type { DetachednessCollector } from './detachedness';

/*
 * The hot part of the parser: JSON arrays of numbers (`nodes`, `edges`,
 * `locations`) scanned into a scratch array (by numberScanner.ts), then moved
 * record by record into typed columns. Plain functions over typed arrays,
 * shaped for V8 (see each function's note on why).
 */

// Arrays of numbers and of strings.
export const A_OPEN = 0; // before '['
export const A_FIRST = 1; // after '[': a value or ']'
export const A_IN = 2; // inside a number / string
export const A_AFTER = 3; // after a value: ',' or ']'
export const A_NEXT = 4; // after ',': a value
export const A_ESCAPE = 5; // strings only: after a backslash

// The scanner's registers, as the parser keeps them between slices.
export const R_STATE = 0;
export const R_START = 1;
export const R_COUNT = 2;
export const R_CLOSED = 3;
export const R_SIZE = 4;

/**
 * Names, ids and edge names are stored in Uint32Arrays: a number from here on
 * would wrap silently, so the record is refused. (Self sizes are refused too
 * while their column is 32-bit, and the parser then widens it.)
 */
export const UINT32_LIMIT = 2 ** 32;

export interface NodeColumns {
  types: Uint8Array;
  names: Uint32Array;
  ids: Uint32Array;
  /** A Uint32Array until a size needs more (the parser then widens it: demultiplexNodes refuses such a record). */
  selfSizes: SizeArray;
  /** nodeCount + 1 entries; entry n + 1 is filled when node n is read. */
  firstEdgeIndexes: Uint32Array;
  /** The nodes whose detachedness is not 0. */
  detachedness: DetachednessCollector;
  /** Absent when V8 recorded no allocation stacks. */
  traceNodeIds?: Uint32Array;
  /** [0]: how many strings the names read so far need (see StringsNamed). */
  stringsNamed: StringsNamed;
}

/**
 * A one-number register the demultiplexers raise to 1 + the highest string
 * index they wrote as a name (not the plain numbers `element` and `hidden`
 * edges have; 0 before any), so the names are checked against the strings,
 * which come last, without another pass over every node and edge. Never
 * shared between threads: each parser keeps its own.
 */
export type StringsNamed = Float64Array;

const NO_TRACE_NODE_IDS = new Uint32Array(0);

export interface EdgeColumns {
  types: Uint8Array;
  namesOrIndexes: Uint32Array;
  /** nodeOrdinals. */
  toNodes: Uint32Array;
  /** [0]: how many strings the names of edges other than `element` and `hidden` need. */
  stringsNamed: StringsNamed;
}

/*
 * The demultiplexers move whole records from the scratch array into columns.
 * They are plain functions that end in a bare `return`: V8 optimizes a big
 * first call by on-stack replacement, before the code after the loop ever
 * ran, and that code must not need type feedback. They return the next
 * ordinal / edgeIndex, or -1 - k when the record starting at scratch[k] is
 * invalid (the parser then says why).
 */
export function demultiplexNodes(s: Float64Array, n: number, layout: Layout, columns: NodeColumns, ordinal: number): number {
  const fieldCount = layout.nodeFieldCount;
  const typeAt = layout.nodeTypeOffset;
  const nameAt = layout.nodeNameOffset;
  const idAt = layout.nodeIdOffset;
  const sizeAt = layout.nodeSelfSizeOffset;
  const edgeCountAt = layout.nodeEdgeCountOffset;
  const detachedAt = layout.nodeDetachednessOffset;
  const traceAt = layout.nodeTraceNodeIdOffset;
  const traceNodeIds = columns.traceNodeIds ?? NO_TRACE_NODE_IDS;
  const typeCount = layout.nodeTypeNames.length;
  const nodeCount = layout.nodeCount;
  const edgeLimit = layout.edgeCount;
  const { types, names, ids, selfSizes, firstEdgeIndexes, detachedness, stringsNamed } = columns;
  const sizeLimit = selfSizes.BYTES_PER_ELEMENT === 4 ? UINT32_LIMIT : Infinity;
  let edgeSum = firstEdgeIndexes[ordinal];
  let named = stringsNamed[0];
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const type = s[k + typeAt];
    const name = s[k + nameAt];
    const id = s[k + idAt];
    const size = s[k + sizeAt];
    edgeSum += s[k + edgeCountAt];
    if (ordinal >= nodeCount || type >= typeCount || name >= UINT32_LIMIT || id >= UINT32_LIMIT || size >= sizeLimit || edgeSum > edgeLimit) return -1 - k;
    types[ordinal] = type;
    names[ordinal] = name;
    // Stored as it rises (rarely), so no code after the loop needs type feedback.
    if (name >= named) stringsNamed[0] = named = name + 1;
    ids[ordinal] = id;
    selfSizes[ordinal] = size;
    firstEdgeIndexes[ordinal + 1] = edgeSum;
    if (detachedAt >= 0 && s[k + detachedAt] !== 0) detachedness.add(ordinal, s[k + detachedAt]);
    if (traceAt >= 0) traceNodeIds[ordinal] = s[k + traceAt];
    ordinal++;
  }
  return ordinal;
}

/** to_node is a node index (ordinal × node field count); stored as the ordinal. */
export function demultiplexEdges(s: Float64Array, n: number, layout: Layout, columns: EdgeColumns, edgeIndex: number): number {
  const fieldCount = layout.edgeFieldCount;
  const typeAt = layout.edgeTypeOffset;
  const nameAt = layout.edgeNameOffset;
  const toNodeAt = layout.edgeToNodeOffset;
  const typeCount = layout.edgeTypeNames.length;
  const edgeCount = layout.edgeCount;
  const nodeFieldCount = layout.nodeFieldCount;
  const nodeIndexLimit = layout.nodeCount * nodeFieldCount;
  const { types, namesOrIndexes, toNodes, stringsNamed } = columns;
  const elementType = layout.edgeTypeNames.indexOf('element');
  const hiddenType = layout.edgeTypeNames.indexOf('hidden');
  let named = stringsNamed[0];
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const type = s[k + typeAt];
    const nameOrIndex = s[k + nameAt];
    const toNodeIndex = s[k + toNodeAt];
    const toNodeOrdinal = toNodeIndex / nodeFieldCount;
    if (edgeIndex >= edgeCount || type >= typeCount || nameOrIndex >= UINT32_LIMIT || toNodeIndex >= nodeIndexLimit || toNodeOrdinal !== Math.floor(toNodeOrdinal)) return -1 - k;
    types[edgeIndex] = type;
    namesOrIndexes[edgeIndex] = nameOrIndex;
    toNodes[edgeIndex] = toNodeOrdinal;
    if (nameOrIndex >= named && type !== elementType && type !== hiddenType) stringsNamed[0] = named = nameOrIndex + 1;
    edgeIndex++;
  }
  return edgeIndex;
}

/** Locations as flat (nodeOrdinal, scriptId, line, column) quadruples; object_index becomes the ordinal. */
export function demultiplexLocations(s: Float64Array, n: number, layout: Layout, values: Uint32Array, count: number): number {
  const fieldCount = layout.locationFieldCount;
  const objectAt = layout.locationObjectOffset;
  const scriptAt = layout.locationScriptOffset;
  const lineAt = layout.locationLineOffset;
  const columnAt = layout.locationColumnOffset;
  const nodeFieldCount = layout.nodeFieldCount;
  const nodeIndexLimit = layout.nodeCount * nodeFieldCount;
  let at = count * 4;
  let next = count;
  for (let k = 0; k + fieldCount <= n; k += fieldCount) {
    const objectIndex = s[k + objectAt];
    const ordinal = objectIndex / nodeFieldCount;
    if (objectIndex >= nodeIndexLimit || ordinal !== Math.floor(ordinal)) return -1 - k;
    values[at++] = ordinal;
    values[at++] = s[k + scriptAt];
    values[at++] = s[k + lineAt];
    values[at++] = s[k + columnAt];
    next++;
  }
  return next;
}
