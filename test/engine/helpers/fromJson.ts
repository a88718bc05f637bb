/**
 * Test-side reference: turns a `JSON.parse`d snapshot into HeapSnapshotData,
 * independently of the streaming parser, and builds tiny graphs in code
 * (DevTools' snapshot-builder style) for exact assertions.
 */
import type { EphemeronNames, HeapSnapshotData, StringTable } from '../../../src/engine/snapshotData';

export interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
      location_fields?: string[];
    };
    node_count: number;
    edge_count: number;
  };
  nodes: number[];
  edges: number[];
  locations?: number[];
  strings: string[];
}

/** The ids of every WeakMap entry name (decoded, by the pattern DevTools uses), as the parser notes them. */
const EPHEMERON_NAME = /^\d+ \/ part of key \(.*? @(\d+)\) -> value \(.*? @(\d+)\) pair in WeakMap \(table @(\d+)\)$/;

class ArrayStringTable implements StringTable {
  readonly ephemeronNames: EphemeronNames;
  constructor(private readonly items: readonly string[]) {
    const found = items.flatMap((item, index) => {
      const match = EPHEMERON_NAME.exec(item);
      return match ? [[index, Number(match[1]), Number(match[2]), Number(match[3])]] : [];
    });
    const column = (k: number): Uint32Array => Uint32Array.from(found, (entry) => entry[k]);
    this.ephemeronNames = { nameIndexes: column(0), keyIds: column(1), valueIds: column(2), tableIds: column(3) };
  }
  get length(): number {
    return this.items.length;
  }
  get(index: number): string {
    return this.items[index] ?? '';
  }
}

export function fromJson(raw: RawSnapshot): HeapSnapshotData {
  const meta = raw.snapshot.meta;
  const nodeFieldCount = meta.node_fields.length;
  const edgeFieldCount = meta.edge_fields.length;
  const field = (fields: string[], name: string): number => fields.indexOf(name);
  const nType = field(meta.node_fields, 'type');
  const nName = field(meta.node_fields, 'name');
  const nId = field(meta.node_fields, 'id');
  const nSize = field(meta.node_fields, 'self_size');
  const nEdgeCount = field(meta.node_fields, 'edge_count');
  const nDetached = field(meta.node_fields, 'detachedness');
  const eType = field(meta.edge_fields, 'type');
  const eName = field(meta.edge_fields, 'name_or_index');
  const eTo = field(meta.edge_fields, 'to_node');

  const nodeCount = raw.nodes.length / nodeFieldCount;
  const edgeCount = raw.edges.length / edgeFieldCount;
  const nodeTypes = new Uint8Array(nodeCount);
  const nodeNames = new Uint32Array(nodeCount);
  const nodeIds = new Uint32Array(nodeCount);
  const nodeSelfSizes = new Float64Array(nodeCount);
  const firstEdgeIndexes = new Uint32Array(nodeCount + 1);
  const detachedOrdinals: number[] = [];
  const detachedStates: number[] = [];
  let edgeIndex = 0;
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    const base = ordinal * nodeFieldCount;
    nodeTypes[ordinal] = raw.nodes[base + nType];
    nodeNames[ordinal] = raw.nodes[base + nName];
    nodeIds[ordinal] = raw.nodes[base + nId];
    nodeSelfSizes[ordinal] = raw.nodes[base + nSize];
    if (nDetached >= 0 && raw.nodes[base + nDetached] !== 0) {
      detachedOrdinals.push(ordinal);
      detachedStates.push(raw.nodes[base + nDetached]);
    }
    firstEdgeIndexes[ordinal] = edgeIndex;
    edgeIndex += raw.nodes[base + nEdgeCount];
  }
  firstEdgeIndexes[nodeCount] = edgeIndex;

  const edgeTypes = new Uint8Array(edgeCount);
  const edgeNamesOrIndexes = new Uint32Array(edgeCount);
  const edgeToNodes = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const base = e * edgeFieldCount;
    edgeTypes[e] = raw.edges[base + eType];
    edgeNamesOrIndexes[e] = raw.edges[base + eName];
    edgeToNodes[e] = raw.edges[base + eTo] / nodeFieldCount;
  }

  const locationFields = meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
  const locationFieldCount = locationFields.length;
  const rawLocations = raw.locations ?? [];
  const count = rawLocations.length / locationFieldCount;
  const locations = {
    count,
    nodeOrdinals: new Uint32Array(count),
    scriptIds: new Uint32Array(count),
    lines: new Uint32Array(count),
    columns: new Uint32Array(count),
  };
  for (let i = 0; i < count; i++) {
    const base = i * locationFieldCount;
    locations.nodeOrdinals[i] = rawLocations[base + locationFields.indexOf('object_index')] / nodeFieldCount;
    locations.scriptIds[i] = rawLocations[base + locationFields.indexOf('script_id')];
    locations.lines[i] = rawLocations[base + locationFields.indexOf('line')];
    locations.columns[i] = rawLocations[base + locationFields.indexOf('column')];
  }

  return {
    nodeCount,
    edgeCount,
    nodeTypeNames: meta.node_types[0],
    edgeTypeNames: meta.edge_types[0],
    nodeTypes,
    nodeNames,
    nodeIds,
    nodeSelfSizes,
    firstEdgeIndexes,
    nodeDetachedness: { ordinals: Uint32Array.from(detachedOrdinals), states: Uint8Array.from(detachedStates) },
    edgeTypes,
    edgeNamesOrIndexes,
    edgeToNodes,
    locations,
    strings: new ArrayStringTable(raw.strings),
  };
}

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

interface BuiltNode {
  type: string;
  name: string;
  id: number;
  selfSize: number;
  /** 0 unknown, 1 attached, 2 detached. */
  detachedness: number;
  edges: { type: string; name: string | number; to: string }[];
}

/**
 * Builds a tiny snapshot in code. Node 0 is the synthetic root; refer to
 * nodes by a key of your choice. Ids are assigned 1, 3, 5, … like V8 does.
 *
 *     const b = new SnapshotBuilder();
 *     b.node('a', 'object', 'A').edge('root', 'property', 'a', 'a');
 */
export class SnapshotBuilder {
  private readonly nodes = new Map<string, BuiltNode>();
  private nextId = 1;

  constructor() {
    this.node('root', 'synthetic', '');
  }

  node(key: string, type: string, name: string, selfSize = 16, detachedness = 0): this {
    this.nodes.set(key, { type, name, id: this.nextId, selfSize, detachedness, edges: [] });
    this.nextId += 2;
    return this;
  }

  edge(from: string, type: string, nameOrIndex: string | number, to: string): this {
    const holder = this.nodes.get(from);
    if (!holder) throw new Error(`no node ${from}`);
    holder.edges.push({ type, name: nameOrIndex, to });
    return this;
  }

  idOf(key: string): number {
    const n = this.nodes.get(key);
    if (!n) throw new Error(`no node ${key}`);
    return n.id;
  }

  build(): HeapSnapshotData {
    return fromJson(this.raw());
  }

  /** The snapshot as V8 writes it, JSON.parse'd. */
  raw(): RawSnapshot {
    const strings: string[] = [''];
    const stringIndex = (s: string): number => {
      const i = strings.indexOf(s);
      if (i >= 0) return i;
      strings.push(s);
      return strings.length - 1;
    };
    const keys = [...this.nodes.keys()];
    const ordinalOf = new Map(keys.map((k, i) => [k, i]));
    const raw: RawSnapshot = {
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
          node_types: [NODE_TYPES],
          edge_fields: ['type', 'name_or_index', 'to_node'],
          edge_types: [EDGE_TYPES],
          location_fields: ['object_index', 'script_id', 'line', 'column'],
        },
        node_count: keys.length,
        edge_count: 0,
      },
      nodes: [],
      edges: [],
      strings,
    };
    for (const key of keys) {
      const n = this.nodes.get(key)!;
      raw.nodes.push(NODE_TYPES.indexOf(n.type), stringIndex(n.name), n.id, n.selfSize, n.edges.length, 0, n.detachedness);
      for (const e of n.edges) {
        const to = ordinalOf.get(e.to);
        if (to === undefined) throw new Error(`no node ${e.to}`);
        const name = e.type === 'element' || e.type === 'hidden' ? Number(e.name) : stringIndex(String(e.name));
        raw.edges.push(EDGE_TYPES.indexOf(e.type), name, to * 7);
      }
    }
    raw.snapshot.edge_count = raw.edges.length / 3;
    return raw;
  }
}
