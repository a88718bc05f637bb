/**
 * The parsed snapshot, column by column, indexed by nodeOrdinal / edgeIndex.
 *
 * The parser turns V8's flat `nodes` / `edges` arrays (whose field order comes
 * from `snapshot.meta`) into these columns, keeping only what the analysis
 * needs, so a 14 M-node heap fits in well under a gigabyte.
 *
 * Vocabulary (kept strictly apart):
 *  - nodeOrdinal: 0..nodeCount-1. Node 0 is the synthetic root.
 *  - edgeIndex:   0..edgeCount-1, in V8's order (a node's edges are contiguous).
 *  - id:          the snapshot object id DevTools shows as `@12345`.
 */
export interface HeapSnapshotData {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** `meta.node_types[0]`: index → name ("hidden", "array", "string", "object", …). */
  readonly nodeTypeNames: readonly string[];
  /** `meta.edge_types[0]`: index → name ("context", "element", "property", …). */
  readonly edgeTypeNames: readonly string[];

  // Per node, indexed by nodeOrdinal.
  readonly nodeTypes: Uint8Array;
  /** String-table index of the node's name. */
  readonly nodeNames: Uint32Array;
  readonly nodeIds: Uint32Array;
  /** Bytes; a Uint32Array unless some node's size needs more than 32 bits (4 bytes a node saved). */
  readonly nodeSelfSizes: SizeArray;
  /** nodeCount + 1 entries: node n owns edges [firstEdgeIndexes[n], firstEdgeIndexes[n+1]). */
  readonly firstEdgeIndexes: Uint32Array;
  /**
   * The nodes whose detachedness is not 0 (1 attached, 2 detached, as the
   * embedder reports it: DOM nodes in browsers; on Node 20 weakly held native
   * objects say detached, see detachedness.ts; Node 24 writes 0 everywhere):
   * a few in a Node heap, so a list rather than a byte a node.
   */
  readonly nodeDetachedness: DetachednessList;

  // Per edge, indexed by edgeIndex.
  readonly edgeTypes: Uint8Array;
  /** String-table index, or a plain number for `element` and `hidden` edges. */
  readonly edgeNamesOrIndexes: Uint32Array;
  /** Target as a nodeOrdinal (V8 stores a node index; the parser divides it). */
  readonly edgeToNodes: Uint32Array;

  /** Source positions of functions (`locations` section); empty when absent. */
  readonly locations: SnapshotLocations;
  readonly strings: StringTable;
  /**
   * Allocation stacks, when V8 recorded them while the snapshot's objects
   * were allocated (tracking with `trackAllocations`); absent otherwise.
   */
  readonly allocationTraces?: AllocationTraceData;
}

/**
 * V8's allocation tracker as a snapshot records it: a tree of call stacks
 * (root at the top, the allocating function at the leaves) and, per node, the
 * tree node it was allocated under.
 */
export interface AllocationTraceData {
  /** nodeOrdinal → `trace_node_id` (an id in `tree.ids`); 0 for objects without a stack (allocated before tracking began, or dropped by V8). */
  readonly nodeTraceIds: Uint32Array;
  readonly functions: AllocationFunctions;
  readonly tree: AllocationTree;
}

/** `trace_function_infos`, one row per function. */
export interface AllocationFunctions {
  readonly count: number;
  /** String-table indexes. */
  readonly names: Uint32Array;
  readonly scriptNames: Uint32Array;
  readonly scriptIds: Uint32Array;
  /** Where the function starts, 1-based as V8 writes them; 0 when unknown. */
  readonly lines: Uint32Array;
  readonly columns: Uint32Array;
}

/** `trace_tree` in pre-order: a row's parent comes before it. */
export interface AllocationTree {
  readonly count: number;
  /** The id objects' `trace_node_id` names. */
  readonly ids: Uint32Array;
  /** Row in AllocationFunctions. */
  readonly functionIndexes: Uint32Array;
  /** Row of the caller's node; -1 for the top node. */
  readonly parents: Int32Array;
  /** Objects allocated under this node while tracking ran (freed ones included), and their bytes. */
  readonly counts: Float64Array;
  readonly sizes: Float64Array;
}

/** Sizes in bytes, exact either way: 32-bit while every one fits (the usual case), else 64-bit floats. */
export type SizeArray = Uint32Array | Float64Array;

export interface SnapshotLocations {
  readonly count: number;
  readonly nodeOrdinals: Uint32Array;
  readonly scriptIds: Uint32Array;
  /** 0-based, as V8 writes them. */
  readonly lines: Uint32Array;
  readonly columns: Uint32Array;
}

/** The snapshot's `strings` array, kept compactly and decoded on demand. */
export interface StringTable {
  readonly length: number;
  get(index: number): string;
  /** The names of WeakMap entries' edges among the strings, noted as they were read (ephemeronNames.ts). */
  readonly ephemeronNames: EphemeronNames;
}

/** Per WeakMap entry name, by ascending string index: the ids it gives. */
export interface EphemeronNames {
  readonly nameIndexes: Uint32Array;
  readonly keyIds: Uint32Array;
  readonly valueIds: Uint32Array;
  readonly tableIds: Uint32Array;
}

export interface ParseProgress {
  /** Bytes consumed so far. */
  readonly bytes: number;
  /** Which section the parser is in: "meta", "nodes", "edges", "locations", "strings", … */
  readonly section: string;
}

/** Nodes with a detachedness other than 0, by ascending nodeOrdinal, and that state. */
export interface DetachednessList {
  readonly ordinals: Uint32Array;
  readonly states: Uint8Array;
}
