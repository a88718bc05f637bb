/**
 * WalkNode / WalkEdge views of snapshot nodes and edges, with labels,
 * previews and source locations filled in.
 */
import type { RootKind, SourceLocation, WalkEdge, WalkNode } from '../protocol/walk';
import type { GraphCore } from './graphCore';
import type { RootClassifier } from './roots';
import type { EdgeLabels } from './edgeLabels';
import type { SizeArray, SnapshotLocations } from './snapshotData';
import { toStarts } from './compressedRows';

export class NodeViews {
  /** Location rows sorted by nodeOrdinal: sortedLocationRows, given or on first use. */
  private locationOrder: Uint32Array | null;
  /** nodeOrdinal → retained size, once `HeapGraph.computeRetainedSizes` ran. */
  retainedSizes: SizeArray | null = null;
  /** nodeOrdinal → shallow size as DevTools shows it; HeapGraph sets it before it asks for views. */
  shallowSizes: SizeArray | null = null;
  private readonly scriptNames = new Map<number, string | null>();

  constructor(
    private readonly core: GraphCore,
    readonly roots: RootClassifier,
    readonly edgeLabels: EdgeLabels,
    locationOrder: Uint32Array | null = null,
  ) {
    this.locationOrder = locationOrder;
  }

  node(ordinal: number, level: number, distances: Uint32Array, includeWeak = false, rootKindOverride?: RootKind): WalkNode {
    const { core } = this;
    const { data, names } = core;
    const root = this.roots.classify(ordinal);
    const view: WalkNode = {
      id: data.nodeIds[ordinal],
      name: names.displayName(ordinal),
      type: names.typeName(ordinal),
      selfSize: this.shallowSizes === null ? data.nodeSelfSizes[ordinal] : this.shallowSizes[ordinal],
      v8SelfSize: data.nodeSelfSizes[ordinal],
      retainedSize: this.retainedSizes === null ? null : this.retainedSizes[ordinal],
      distance: core.distanceOf(ordinal, distances),
      rootKind: rootKindOverride ?? root?.kind ?? null,
      label: root?.label ?? this.defaultLabel(ordinal),
      level,
      retainerCount: includeWeak ? core.retainers.firstRetainerIndexes[ordinal + 1] - core.retainers.firstRetainerIndexes[ordinal] : core.retainerCount(ordinal),
      internal: names.isInternal(ordinal),
    };
    const preview = names.preview(ordinal);
    if (preview !== undefined) view.preview = preview;
    const location = this.location(ordinal);
    if (location) view.location = location;
    // A program's own module or static map is named after the program's file even when Node built the object.
    const named = root !== null && (root.kind === 'module' || root.kind === 'global' || root.kind === 'static-map');
    if (named ? root.label.includes('node:') : this.scriptOf(ordinal, location)?.startsWith('node:')) view.runtime = true;
    return view;
  }

  /** An edge as shown: `holder` is the Map (or WeakMap) itself for collection entries. */
  edge(edgeIndex: number, holder: number, to: number, label?: string): WalkEdge {
    const { core } = this;
    const view: WalkEdge = {
      from: core.data.nodeIds[holder],
      to: core.data.nodeIds[to],
      name: core.edgeName(edgeIndex),
      label: label ?? this.edgeLabels.label(edgeIndex, holder),
      type: core.edgeTypeName(edgeIndex),
    };
    if (core.ephemerons.has(edgeIndex)) view.ephemeron = core.ephemerons.isTableHalf(edgeIndex, core.retainers.holderOf(edgeIndex)) ? 'map' : 'key';
    return view;
  }

  private defaultLabel(ordinal: number): string {
    const { names } = this.core;
    const preview = names.preview(ordinal);
    return preview ?? names.displayName(ordinal);
  }

  /** Source position of a function (snapshot `locations`), with its script's name. */
  location(ordinal: number): SourceLocation | undefined {
    const { locations } = this.core.data;
    if (locations.count === 0) return undefined;
    const order = (this.locationOrder ??= sortedLocationRows(locations));
    let low = 0;
    let high = order.length - 1;
    let i = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = locations.nodeOrdinals[order[mid]];
      if (at === ordinal) {
        i = order[mid];
        break;
      }
      if (at < ordinal) low = mid + 1;
      else high = mid - 1;
    }
    if (i < 0) return undefined;
    const result: SourceLocation = { scriptId: locations.scriptIds[i], line: locations.lines[i], column: locations.columns[i] };
    const url = this.core.data.nodeTypes[ordinal] === this.core.codes.nodeClosure ? this.roots.scopes.scriptNameOf(ordinal) : this.scriptName(result.scriptId);
    if (url) result.url = url;
    return result;
  }

  /**
   * The name of a script by its id. V8 gives an object the location of its
   * constructor but names only functions' scripts (through their shared
   * info): any function compiled from the same script id names it.
   */
  scriptName(scriptId: number): string | null {
    let name = this.scriptNames.get(scriptId);
    if (name !== undefined) return name;
    const closure = this.firstFunctionOf(scriptId);
    name = closure < 0 ? null : this.roots.scopes.scriptNameOf(closure);
    this.scriptNames.set(scriptId, name);
    return name;
  }

  /**
   * The first function (in location order) compiled from `scriptId`, or -1.
   * A scan that stops there: a walk names a few scripts, and a table of every
   * script's function cost the first walk a pass over all locations
   * (millions at 1 GB).
   */
  private firstFunctionOf(scriptId: number): number {
    const { locations, nodeTypes } = this.core.data;
    const { scriptIds, nodeOrdinals, count } = locations;
    const closure = this.core.codes.nodeClosure;
    for (let i = 0; i < count; i++) {
      if (scriptIds[i] === scriptId && nodeTypes[nodeOrdinals[i]] === closure) return nodeOrdinals[i];
    }
    return -1;
  }

  /** The script a node comes from: a function's own, an object's constructor's, a scope's functions'. */
  private scriptOf(ordinal: number, location: SourceLocation | undefined): string | null {
    if (location) return location.url ?? null;
    if (this.core.names.rawName(ordinal) !== 'system / Context') return null;
    for (const closure of this.roots.scopes.closuresOf(ordinal)) {
      const name = this.roots.scopes.scriptNameOf(closure);
      if (name) return name;
    }
    return null;
  }
}

/**
 * The location rows by node ordinal (V8 writes them in heap order, not node
 * order). A pass over every location (~0.15 s at 1 GB on a busy machine):
 * HeapGraph.buildWith sorts them while another thread builds the retainer
 * index, so the first walk does not.
 */
export function sortedLocationRows(locations: SnapshotLocations): Uint32Array {
  return sortedRows(locations.nodeOrdinals, locations.count);
}

/**
 * Row indexes ordered by key: the identity when already sorted, else a
 * stable LSD radix sort over the keys' two 16-bit halves (linear: a
 * comparator sort of a million rows took ~0.2 s, on the first walk). Each
 * pass over the rows is a function of its own (compressedRows.ts says why).
 */
function sortedRows(keys: Uint32Array, count: number): Uint32Array {
  let rows = new Uint32Array(count);
  if (identityIsSorted(keys, rows, count)) return rows;
  let spare = new Uint32Array(count);
  const starts = new Uint32Array(1 << 16);
  for (const shift of [0, 16]) {
    starts.fill(0);
    countDigits(keys, rows, count, shift, starts);
    toStarts(starts);
    scatterByDigit(keys, rows, spare, count, shift, starts);
    [rows, spare] = [spare, rows];
  }
  return rows;
}

/** Fills `rows` with 0, 1, …; are the keys in order already? */
function identityIsSorted(keys: Uint32Array, rows: Uint32Array, count: number): boolean {
  let sorted = true;
  for (let i = 0; i < count; i++) {
    rows[i] = i;
    if (i > 0 && keys[i] < keys[i - 1]) sorted = false;
  }
  return sorted;
}

function countDigits(keys: Uint32Array, rows: Uint32Array, count: number, shift: number, counts: Uint32Array): void {
  for (let i = 0; i < count; i++) counts[(keys[rows[i]] >>> shift) & 0xffff]++;
}

function scatterByDigit(keys: Uint32Array, rows: Uint32Array, into: Uint32Array, count: number, shift: number, starts: Uint32Array): void {
  for (let i = 0; i < count; i++) into[starts[(keys[rows[i]] >>> shift) & 0xffff]++] = rows[i];
}
