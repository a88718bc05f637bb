import { SnapshotFormatError } from './snapshotFormatError';
import { DEFAULT_TRACE_FUNCTION_INFO_FIELDS, DEFAULT_TRACE_NODE_FIELDS } from './allocationTraceSections';

/** What the parser needs from `snapshot.meta`, resolved to field offsets. */
export interface Layout {
  nodeCount: number;
  edgeCount: number;
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  nodeFieldCount: number;
  nodeTypeOffset: number;
  nodeNameOffset: number;
  nodeIdOffset: number;
  nodeSelfSizeOffset: number;
  nodeEdgeCountOffset: number;
  /** -1 when the snapshot has no `detachedness` field. */
  nodeDetachednessOffset: number;
  /**
   * `trace_node_id`; -1 when V8 recorded no allocation stacks
   * (`trace_function_count` 0: every trace_node_id is 0, and no column is kept).
   */
  nodeTraceNodeIdOffset: number;
  traceFunctionInfoFields: string[];
  traceNodeFields: string[];
  edgeFieldCount: number;
  edgeTypeOffset: number;
  edgeNameOffset: number;
  edgeToNodeOffset: number;
  locationFieldCount: number;
  locationObjectOffset: number;
  locationScriptOffset: number;
  locationLineOffset: number;
  locationColumnOffset: number;
}

/** Resolves `snapshot.meta` to field offsets, or says which part is missing. */
export function readLayout(header: unknown, offset: number): Layout {
  const bad = (what: string): SnapshotFormatError =>
    new SnapshotFormatError(`"snapshot" at byte ${offset} has no valid ${what}; is this a V8 heap snapshot?`, offset, what);
  const snapshot = asRecord(header);
  const meta = asRecord(snapshot?.meta);
  if (!snapshot || !meta) throw bad('meta');
  const count = (name: string): number => {
    const value = snapshot[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) throw bad(name);
    return value;
  };
  const names = (value: unknown, what: string): string[] => {
    if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) throw bad(what);
    return value as string[];
  };
  const nodeFields = names(meta.node_fields, 'meta.node_fields');
  const edgeFields = names(meta.edge_fields, 'meta.edge_fields');
  const locationFields = meta.location_fields === undefined ? ['object_index', 'script_id', 'line', 'column'] : names(meta.location_fields, 'meta.location_fields');
  const types = (value: unknown, what: string): string[] => names(Array.isArray(value) ? value[0] : undefined, what);
  const nodeTypeNames = types(meta.node_types, 'meta.node_types');
  const edgeTypeNames = types(meta.edge_types, 'meta.edge_types');
  if (nodeTypeNames.length > 256 || edgeTypeNames.length > 256) throw bad('meta.node_types / meta.edge_types (at most 256 each)');
  const field = (fields: string[], name: string, what: string): number => {
    const at = fields.indexOf(name);
    if (at < 0) throw bad(`"${name}" in ${what}`);
    return at;
  };
  const traceFunctionCount = typeof snapshot.trace_function_count === 'number' ? snapshot.trace_function_count : 0;
  const nodeCount = count('node_count');
  const edgeCount = count('edge_count');
  if (nodeCount * nodeFields.length > 2 ** 53) throw bad('node_count');
  return {
    nodeCount,
    edgeCount,
    nodeTypeNames,
    edgeTypeNames,
    nodeFieldCount: nodeFields.length,
    nodeTypeOffset: field(nodeFields, 'type', 'meta.node_fields'),
    nodeNameOffset: field(nodeFields, 'name', 'meta.node_fields'),
    nodeIdOffset: field(nodeFields, 'id', 'meta.node_fields'),
    nodeSelfSizeOffset: field(nodeFields, 'self_size', 'meta.node_fields'),
    nodeEdgeCountOffset: field(nodeFields, 'edge_count', 'meta.node_fields'),
    nodeDetachednessOffset: nodeFields.indexOf('detachedness'),
    nodeTraceNodeIdOffset: traceFunctionCount > 0 ? nodeFields.indexOf('trace_node_id') : -1,
    traceFunctionInfoFields: meta.trace_function_info_fields === undefined ? DEFAULT_TRACE_FUNCTION_INFO_FIELDS : names(meta.trace_function_info_fields, 'meta.trace_function_info_fields'),
    traceNodeFields: meta.trace_node_fields === undefined ? DEFAULT_TRACE_NODE_FIELDS : names(meta.trace_node_fields, 'meta.trace_node_fields'),
    edgeFieldCount: edgeFields.length,
    edgeTypeOffset: field(edgeFields, 'type', 'meta.edge_fields'),
    edgeNameOffset: field(edgeFields, 'name_or_index', 'meta.edge_fields'),
    edgeToNodeOffset: field(edgeFields, 'to_node', 'meta.edge_fields'),
    locationFieldCount: locationFields.length,
    locationObjectOffset: field(locationFields, 'object_index', 'meta.location_fields'),
    locationScriptOffset: field(locationFields, 'script_id', 'meta.location_fields'),
    locationLineOffset: field(locationFields, 'line', 'meta.location_fields'),
    locationColumnOffset: field(locationFields, 'column', 'meta.location_fields'),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
