/**
 * What an object holds, objgraph's `show_refs(max_depth, too_many)`: the
 * mirror of the retainer walk (retainerWalk.ts), breadth-first down the
 * references from the target, at most `fanOut` per node (the rest counted as
 * "+N more"), `depth` levels down, with the same Walk contract so the same
 * view draws it. Map, Set and WeakMap entries are read from the collection
 * (`get("bot3") → Processor`); V8's plumbing (hidden classes, backing
 * stores, code) and the shared structure every object points at (its
 * prototype, a prototype's constructor) are left out unless
 * `includeInternals`, weak references unless `includeWeak`, and both are
 * counted.
 */
import type { Walk, WalkEdge, WalkNode, WalkOptions } from '../protocol/walk';
import type { WalkContext } from './retainerWalk';
import { DrawnEdges } from './drawnEdges';

/** References reach everything sooner or later: past this many nodes the walk stops opening new ones (they show as "+N more"). */
export const REFERENCE_NODE_BUDGET = 150;

const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
/** Edges to shared structure rather than owned data: with the internals, or else drawn last and not walked further. */
const STRUCTURE_EDGES = new Set(['__proto__', 'constructor', 'prototype']);

interface Reference {
  edgeIndex: number;
  /** The held node (a collection entry's value rather than the backing table). */
  held: number;
  label?: string;
  /** Shared structure: shown last, never expanded. */
  structure: boolean;
}

export function walkReferences(ctx: WalkContext, target: number, options: WalkOptions): Walk {
  const { core, views, distances } = ctx;
  const ids = core.data.nodeIds;
  const nodes = new Map<number, WalkNode>();
  const edges: WalkEdge[] = [];
  const truncated: Walk['truncated'] = [];
  const filtered: NonNullable<Walk['filtered']> = [];
  const closed = new Set<number>();
  /** For telling an edge back up (a cycle) from one to a shared object. */
  const drawn = new DrawnEdges();

  nodes.set(target, views.node(target, 0, distances, options.includeWeak));
  const queue = [target];
  for (let head = 0; head < queue.length; head++) {
    const holder = queue[head];
    const level = nodes.get(holder)!.level;
    const raised = options.fanOutOverrides?.[ids[holder]] !== undefined;
    const root = holder === target ? null : views.roots.classify(holder);
    // The global object, GC roots and module scopes hold the world: a walk that reaches one stops there.
    const hub = root !== null && (root.kind === 'gc-root' || root.kind === 'debugger' || root.kind === 'module' || views.roots.isGlobalObject(holder));
    if (!raised && hub) continue;
    const { all, weak, internal } = referencesOf(ctx, holder, options);
    const budgetSpent = nodes.size >= REFERENCE_NODE_BUDGET;
    if (!raised && (level >= options.depth || closed.has(holder) || budgetSpent)) {
      if (all.length > 0) truncated.push({ id: ids[holder], hidden: all.length, by: level >= options.depth ? 'depth' : 'stop' });
      continue;
    }
    const limit = Math.max(0, options.fanOutOverrides?.[ids[holder]] ?? options.fanOut);
    const shown = all.slice(0, limit);
    if (all.length > shown.length) truncated.push({ id: ids[holder], hidden: all.length - shown.length, by: 'fan-out' });
    if (weak > 0 || internal > 0) filtered.push({ id: ids[holder], weak, internal });
    for (const ref of shown) {
      const edge = views.edge(ref.edgeIndex, holder, ref.held, ref.label);
      edges.push(edge);
      const known = nodes.has(ref.held);
      // Pointing back at what holds this, directly or through drawn edges (a job's `.processor`): drawn as the cycle it is.
      if (known && drawn.holdsThrough(ref.held, holder)) edge.cycle = true;
      drawn.add(holder, ref.held);
      if (known) continue;
      nodes.set(ref.held, views.node(ref.held, level + 1, distances, options.includeWeak));
      queue.push(ref.held);
      if (ref.structure) closed.add(ref.held);
    }
  }
  const walk: Walk = { target: ids[target], direction: 'references', options, nodes: [...nodes.values()], edges, truncated, shortestPath: { nodes: [], edges: [] } };
  if (filtered.length > 0) walk.filtered = filtered;
  return walk;
}

/**
 * The references of `holder` as the walk shows them, owned data first
 * (largest retained size first once known, else V8's order: properties in
 * definition order, entries in insertion order), shared structure last; and
 * how many were skipped as weak or as V8 internals.
 */
export function referencesOf(ctx: WalkContext, holder: number, options: Pick<WalkOptions, 'includeWeak' | 'includeInternals'>): { all: Reference[]; weak: number; internal: number } {
  const { core } = ctx;
  const { data, codes, names } = core;
  const found: Reference[] = [];
  const seen = new Set<number>([holder]);
  let weak = 0;
  let internal = 0;
  const consider = (edgeIndex: number, held: number, label?: string): void => {
    if (ctx.ignored.has(edgeIndex) || seen.has(held)) return;
    if (!options.includeWeak && !core.isStrong(edgeIndex)) {
      weak++;
      return;
    }
    if (!options.includeInternals && (names.isPlumbing(held) || names.isInternal(held))) {
      internal++;
      return;
    }
    const structure = data.edgeTypes[edgeIndex] === codes.edgeProperty && STRUCTURE_EDGES.has(core.edgeName(edgeIndex));
    if (structure && !options.includeInternals) {
      internal++;
      return;
    }
    seen.add(held);
    found.push({ edgeIndex, held, label, structure });
  };
  const isCollection = data.nodeTypes[holder] === codes.nodeObject && COLLECTIONS.has(names.rawName(holder));
  for (let e = data.firstEdgeIndexes[holder]; e < data.firstEdgeIndexes[holder + 1]; e++) {
    const type = data.edgeTypes[e];
    if (type === codes.edgeShortcut) continue; // the synthetic root's duplicates of other edges
    const held = data.edgeToNodes[e];
    if (isCollection && type === codes.edgeInternal && core.edgeName(e) === 'table') {
      entriesOf(ctx, held, consider);
      continue;
    }
    consider(e, held);
  }
  const retained = ctx.views.retainedSizes;
  const order = found.map((ref, i) => ({ ref, i }));
  order.sort((a, b) => Number(a.ref.structure) - Number(b.ref.structure) || (retained ? retained[b.ref.held] - retained[a.ref.held] : 0) || a.i - b.i);
  return { all: order.map(({ ref }) => ref), weak, internal };
}

/**
 * The entries of a Map, Set or WeakMap's backing table, labelled from the
 * collection: values as `get(key)`, Set members as `has(member)`, object keys
 * as `key …` (a string or number key is already named in its value's label).
 */
function entriesOf(ctx: WalkContext, table: number, consider: (edgeIndex: number, held: number, label?: string) => void): void {
  const { core, views } = ctx;
  const { data, codes } = core;
  for (let e = data.firstEdgeIndexes[table]; e < data.firstEdgeIndexes[table + 1]; e++) {
    const held = data.edgeToNodes[e];
    const entry = data.edgeTypes[e] === codes.edgeInternal ? views.edgeLabels.collectionEntry(e, table) : null;
    if (!entry) {
      consider(e, held);
      continue;
    }
    if (entry.ephemeron === 'map' || entry.kind === 'get' || entry.kind === 'has') consider(e, held, entry.label);
    else if (entry.kind === 'key' && core.names.preview(held) === undefined) consider(e, held, entry.label);
  }
}
