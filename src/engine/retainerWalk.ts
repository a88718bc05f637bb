/**
 * The retainer walk, with objgraph's `show_backrefs(max_depth, too_many)`
 * semantics: breadth-first over retainers from the target, at most `fanOut`
 * per node (closest to a root first, the rest counted as "+N more"),
 * stopping at roots; plus objgraph's `find_backref_chain`: the shortest strong
 * path back to a root, always in full.
 */
import type { Walk, WalkEdge, WalkNode, WalkOptions } from '../protocol/walk';
import type { GraphCore } from './graphCore';
import type { NodeViews } from './nodeViews';
import { UNREACHABLE } from './distances';
import type { CollectionEntry } from './edgeLabels';
import { DrawnEdges } from './drawnEdges';

/** Root kinds where a walk stops expanding. */
const STOP_KINDS = new Set(['gc-root', 'global', 'module', 'static-map', 'debugger']);
/** Edges from `(Global handles)` that exist only for an attached DevTools console. */
const DEBUGGER_EDGE = /DevTools console/;

interface Candidate {
  edgeIndex: number;
  /** The holder as shown: the Map itself for entries of its backing table. */
  holder: number;
  label?: string;
  distance: number;
}

export interface WalkContext {
  core: GraphCore;
  views: NodeViews;
  distances: Uint32Array;
  /** Retaining edges to treat as absent. */
  ignored: ReadonlySet<number>;
}

export function walkRetainers(ctx: WalkContext, target: number, options: WalkOptions): Walk {
  const { core, views, distances } = ctx;
  const ids = core.data.nodeIds;
  const nodes = new Map<number, WalkNode>();
  const edges: WalkEdge[] = [];
  const drawn = new DrawnEdges();
  const truncated: Walk['truncated'] = [];
  const filtered: NonNullable<Walk['filtered']> = [];
  const terminal = new Set<number>();
  /** Drawn nodes whose retainers the walk did not follow (depth limit, owner of a static collection). */
  const notExpanded: number[] = [];
  /** Expanded nodes all of whose retainers are drawn, with their holders: for debugger-only marking. */
  const complete = new Map<number, number[]>();

  nodes.set(target, views.node(target, 0, distances, options.includeWeak));
  if (distances[target] === UNREACHABLE) {
    return { target: ids[target], options, nodes: [...nodes.values()], edges, truncated, shortestPath: { nodes: [], edges: [] } };
  }

  const queue: number[] = [target];
  for (let head = 0; head < queue.length; head++) {
    const held = queue[head];
    const level = nodes.get(held)!.level;
    // "+N more" on a node sets its fan-out: that also opens a node the depth or a static collection closed.
    const raised = options.fanOutOverrides?.[ids[held]] !== undefined;
    const root = held === target ? null : views.roots.classify(held);
    const stopHere = root !== null && STOP_KINDS.has(root.kind);
    // Past a static collection or a global's value only the edge that names it is kept;
    // the target itself always shows all of its retainers.
    const ownerOnly = !raised && root !== null && (root.kind === 'static-map' || (root.kind === 'global' && !views.roots.isGlobalObject(held)));
    if (stopHere && !ownerOnly && !raised) continue;
    if (!raised && (level >= options.depth || terminal.has(held))) {
      notExpanded.push(held);
      continue;
    }

    const limit = ownerOnly ? 1 : Math.max(0, options.fanOutOverrides?.[ids[held]] ?? options.fanOut);
    const found = retainerCandidates(ctx, held, options, limit, ownerOnly ? (c) => isOwnerEdge(ctx, c) : undefined);
    const { shown } = found;
    if (!ownerOnly) completeWeakMapEntries(ctx, held, shown);
    // Everything a bigger fan-out would show counts as cut, for a static collection too (its other holders).
    const total = ownerOnly ? retainerCandidates(ctx, held, options, 0).total : found.total;
    if (total > shown.length) truncated.push({ id: ids[held], hidden: total - shown.length, by: ownerOnly ? 'stop' : 'fan-out' });
    if (found.weak > 0 || found.internal > 0) filtered.push({ id: ids[held], weak: found.weak, internal: found.internal });
    if (total <= shown.length && shown.length > 0) complete.set(held, shown.map((c) => c.holder));

    for (const c of shown) {
      const edge = views.edge(c.edgeIndex, c.holder, held, c.label);
      if (nodes.has(c.holder)) {
        if (drawn.holdsThrough(held, c.holder)) edge.cycle = true;
      } else {
        nodes.set(c.holder, views.node(c.holder, level + 1, distances, options.includeWeak));
        queue.push(c.holder);
        if (ownerOnly) terminal.add(c.holder);
      }
      edges.push(edge);
      drawn.add(c.holder, held);
    }
  }

  const { ordinals: pathOrdinals, path: shortestPath, halves: pathHalves } = shortestPathOrdinals(ctx, target);
  // The path may run past `depth`: add its nodes and edges so the walk is self-contained.
  pathOrdinals.forEach((ordinal, i) => {
    if (!nodes.has(ordinal)) nodes.set(ordinal, views.node(ordinal, pathOrdinals.length - 1 - i, distances, options.includeWeak));
  });
  for (const pathEdge of shortestPath.edges) {
    if (!edges.some((e) => e.from === pathEdge.from && e.to === pathEdge.to && e.name === pathEdge.name)) edges.push(pathEdge);
  }
  // A WeakMap entry on the path needs its other half too: the value lives only while both hold.
  for (const { edgeIndex, held } of pathHalves) {
    const partner = partnerHalf(core, held, edgeIndex);
    if (partner < 0) continue;
    const c = candidateFor(ctx, partner, core.retainers.holderOf(partner));
    const edge = views.edge(partner, c.holder, held, c.label);
    if (edges.some((e) => e.from === edge.from && e.to === edge.to && e.name === edge.name)) continue;
    if (!nodes.has(c.holder)) nodes.set(c.holder, views.node(c.holder, nodes.get(held)!.level + 1, distances, options.includeWeak));
    edges.push(edge);
  }
  // Every cut is counted: what the depth or a static collection left unwalked, minus what the path drew anyway.
  const drawnHolders = holdersDrawn(edges);
  for (const held of notExpanded) {
    const { total } = retainerCandidates(ctx, held, options, 0);
    const holdersShown = drawnHolders.get(ids[held])?.size ?? 0;
    if (total > holdersShown) truncated.push({ id: ids[held], hidden: total - holdersShown, by: terminal.has(held) ? 'stop' : 'depth' });
  }
  markDebuggerRoots(nodes, edges, complete, target);
  const walk: Walk = { target: ids[target], options, nodes: [...nodes.values()], edges, truncated, shortestPath };
  if (filtered.length > 0) walk.filtered = filtered;
  return walk;
}

/**
 * The `limit` retaining edges of `held` closest to a root (ties in V8's edge
 * order), one per Map entry, and how many qualify in all. A bounded insertion
 * keeps nodes with a million retainers (prototypes, hidden classes) cheap.
 */
export function retainerCandidates(
  ctx: WalkContext,
  held: number,
  options: Pick<WalkOptions, 'includeWeak' | 'includeInternals'>,
  limit: number,
  accept?: (candidate: Candidate) => boolean,
): { shown: Candidate[]; total: number; weak: number; internal: number } {
  const { core, ignored, distances } = ctx;
  const { firstRetainerIndexes, retainingEdges } = core.retainers;
  const shown: Candidate[] = [];
  // Insertion into a short sorted list for the usual fan-outs; collect and sort for big ones.
  const bounded = limit <= 64;
  const anyIgnored = ignored.size > 0;
  const entries = new Set<string>();
  let total = 0;
  let weak = 0;
  let internal = 0;
  let raw = -1;
  // A node can have a million retainers: each is counted, but only one that is shown becomes an object.
  for (let r = firstRetainerIndexes[held]; r < firstRetainerIndexes[held + 1]; r++) {
    const edgeIndex = retainingEdges[r];
    if (anyIgnored && ignored.has(edgeIndex)) continue;
    if (!options.includeWeak && !core.isStrong(edgeIndex)) {
      weak++;
      continue;
    }
    raw = core.retainers.holderAfter(edgeIndex, raw);
    if (!options.includeInternals && core.names.isPlumbing(raw)) {
      internal++;
      continue;
    }
    const entry = entryOf(ctx, edgeIndex, raw);
    const holder = entry ? entry.owner : raw;
    if (holder === held) continue;
    if (entry) {
      // A Map whose key and value are the same object would show the entry twice.
      const key = `${holder}:${entry.label}`;
      if (entries.has(key)) continue;
      entries.add(key);
    }
    const distance = distances[holder];
    if (accept && !accept({ edgeIndex, holder, label: entry?.label, distance })) continue;
    total++;
    if (bounded && shown.length === limit && (limit === 0 || shown[limit - 1].distance <= distance)) continue;
    const candidate: Candidate = { edgeIndex, holder, label: entry?.label, distance };
    if (!bounded) {
      shown.push(candidate);
      continue;
    }
    let at = shown.length;
    while (at > 0 && shown[at - 1].distance > distance) at--;
    shown.splice(at, 0, candidate);
    if (shown.length > limit) shown.pop();
  }
  if (!bounded) {
    shown.sort((a, b) => a.distance - b.distance); // stable: ties keep V8's order
    shown.length = Math.min(shown.length, limit);
  }
  return { shown, total, weak, internal };
}

/** A retaining edge of `raw` as shown: Map, Set and WeakMap entries from the collection, with their label. */
function candidateFor(ctx: WalkContext, edgeIndex: number, raw: number): Candidate {
  const entry = entryOf(ctx, edgeIndex, raw);
  const holder = entry ? entry.owner : raw;
  return { edgeIndex, holder, label: entry?.label, distance: ctx.distances[holder] };
}

/** The collection entry edgeIndex of `raw` is, if any (EdgeLabels.collectionEntry). */
function entryOf(ctx: WalkContext, edgeIndex: number, raw: number): CollectionEntry | null {
  const { core, views } = ctx;
  const { nodeTypes, edgeTypes } = core.data;
  // Only an internal edge can be an entry: out of an array (a Map/Set/WeakMap table), a hidden node (an ES module's Cell) or a WeakMap entry's key half.
  if (edgeTypes[edgeIndex] !== core.codes.edgeInternal) return null;
  if (nodeTypes[raw] !== core.codes.nodeArray && nodeTypes[raw] !== core.codes.nodeHidden && !core.ephemerons.has(edgeIndex)) return null;
  return views.edgeLabels.collectionEntry(edgeIndex, raw);
}

/** Each shown half of a WeakMap entry brings the other half, past the fan-out if need be: both conditions show. */
function completeWeakMapEntries(ctx: WalkContext, held: number, shown: Candidate[]): void {
  const { core, ignored } = ctx;
  for (const c of [...shown]) {
    if (!core.ephemerons.has(c.edgeIndex)) continue;
    const partner = partnerHalf(core, held, c.edgeIndex);
    if (partner < 0 || ignored.has(partner) || shown.some((s) => s.edgeIndex === partner)) continue;
    const candidate = candidateFor(ctx, partner, core.retainers.holderOf(partner));
    if (candidate.holder !== held) shown.push(candidate);
  }
}

/** The other half of the WeakMap entry whose half `edgeIndex` retains `value`, or -1. */
function partnerHalf(core: GraphCore, value: number, edgeIndex: number): number {
  const { ephemerons, data } = core;
  const pair = ephemerons.pairOf(data.edgeNamesOrIndexes[edgeIndex]);
  for (const r of core.retainersIterable(value)) {
    if (r.edgeIndex !== edgeIndex && ephemerons.has(r.edgeIndex) && ephemerons.pairOf(data.edgeNamesOrIndexes[r.edgeIndex]) === pair) return r.edgeIndex;
  }
  return -1;
}

/**
 * Could the BFS have reached `held` through edgeIndex of `holder` (at
 * distance `wanted`)? Not through an edge DevTools' distance filter skips,
 * nor through half a WeakMap entry whose other holder is farther.
 */
function isDistanceEdge(ctx: WalkContext, edgeIndex: number, holder: number, wanted: number): boolean {
  const { core, distances } = ctx;
  const { data, ephemerons } = core;
  if (core.holderFilter.skips(holder, edgeIndex)) return false;
  if (!ephemerons.has(edgeIndex)) return true;
  const nameIndex = data.edgeNamesOrIndexes[edgeIndex];
  const other = ephemerons.isTableHalf(edgeIndex, holder) ? ephemerons.keyIdOf(nameIndex) : ephemerons.tableIdOf(nameIndex);
  const partner = core.ids.ordinalOf(other);
  return partner >= 0 && distances[partner] <= wanted;
}

/** The edge that names a static collection or global value: class static, module binding, global property. */
function isOwnerEdge(ctx: WalkContext, c: Candidate): boolean {
  const { core, views } = ctx;
  const type = core.data.edgeTypes[c.edgeIndex];
  const { codes } = core;
  if (type === codes.edgeProperty) return views.roots.isGlobalObject(c.holder) || core.data.nodeTypes[c.holder] === codes.nodeClosure;
  if (type === codes.edgeContext) return views.roots.classify(c.holder)?.kind === 'module';
  // An ES module's export, reported from the module.
  return c.label !== undefined && views.roots.classify(c.holder)?.kind === 'module';
}

/** Snapshot id of each drawn node → the ids of its drawn holders (the shortest path's edges included). */
function holdersDrawn(edges: WalkEdge[]): Map<number, Set<number>> {
  const holders = new Map<number, Set<number>>();
  for (const edge of edges) {
    const set = holders.get(edge.to);
    if (set) set.add(edge.from);
    else holders.set(edge.to, new Set([edge.from]));
  }
  return holders;
}

/**
 * objgraph's find_backref_chain over BFS distances: from the target, step to
 * a strong retainer one closer to the root until distance 0. Prefers real
 * objects over V8 plumbing and reports Map entries from the Map.
 */
export function shortestPathTo(ctx: WalkContext, target: number): Walk['shortestPath'] {
  return shortestPathOrdinals(ctx, target).path;
}

interface PathOrdinals {
  ordinals: number[];
  path: Walk['shortestPath'];
  /** The WeakMap entry halves on the path (edge and the value it holds). */
  halves: { edgeIndex: number; held: number }[];
}

function shortestPathOrdinals(ctx: WalkContext, target: number): PathOrdinals {
  const { core, views, distances } = ctx;
  const ids = core.data.nodeIds;
  if (distances[target] === UNREACHABLE) return { ordinals: [], path: { nodes: [], edges: [] }, halves: [] };
  const pathNodes = [target];
  const pathEdges: WalkEdge[] = [];
  const halves: PathOrdinals['halves'] = [];
  for (let current = target, step = shortestPathStep(ctx, current); step !== null; current = step.holder, step = shortestPathStep(ctx, current)) {
    if (core.ephemerons.has(step.edgeIndex)) halves.push({ edgeIndex: step.edgeIndex, held: current });
    pathEdges.push(views.edge(step.edgeIndex, step.holder, current, step.entry?.label));
    pathNodes.push(step.holder);
  }
  pathNodes.reverse();
  pathEdges.reverse();
  // The synthetic root and "(GC roots)" say nothing to a reader: start at the first real root.
  while (pathNodes.length > 1 && isSyntheticStart(ctx, pathNodes[0])) {
    pathNodes.shift();
    pathEdges.shift();
  }
  // objgraph's find_backref_chain ends at the first module it meets: the module or
  // global nearest the target is the root a reader cares about, not the stack slot
  // or handle that happens to hold that module.
  let start = -1;
  for (let i = pathNodes.length - 2; i >= 0 && start < 0; i--) {
    if (startsPath(ctx, pathNodes[i])) start = i;
  }
  // Keep `globalThis → .appCache` rather than starting at the property's value.
  if (start > 0 && keepsHolder(ctx, pathNodes[start], pathNodes[start - 1])) start--;
  if (start > 0) {
    pathNodes.splice(0, start);
    pathEdges.splice(0, start);
  }
  return { ordinals: pathNodes, path: { nodes: pathNodes.map((o) => ids[o]), edges: pathEdges }, halves };
}

/** One step of a shortest path: the retaining edge and its holder as shown (the Map itself for an entry of its table). */
export interface PathStep {
  edgeIndex: number;
  holder: number;
  /** Set when the step is a Map/Set entry reported from the collection (`get("bot3")`). */
  entry?: CollectionEntry;
}

/**
 * The step from `current` toward the roots on its shortest strong path: a
 * strong retainer one closer to the root (through an edge the distances
 * could have used), real objects before V8 plumbing, Map entries from the
 * Map; null at a user root (distance 1), at the synthetic root, or for an
 * unreachable node.
 */
export function shortestPathStep(ctx: WalkContext, current: number): PathStep | null {
  const { core, views, distances, ignored } = ctx;
  // Down to a user root (distance 1, the global object) or, for what only the
  // GC roots reach, to the synthetic root.
  if (current === 0 || distances[current] === 1 || distances[current] === UNREACHABLE) return null;
  const wanted = distances[current] - 1;
  let chosenEdge = -1;
  let chosenHolder = -1;
  const { firstRetainerIndexes, retainingEdges } = core.retainers;
  for (let r = firstRetainerIndexes[current]; r < firstRetainerIndexes[current + 1]; r++) {
    const edgeIndex = retainingEdges[r];
    if (ignored.has(edgeIndex) || !core.isStrong(edgeIndex)) continue;
    const holder = core.retainers.holderOf(edgeIndex);
    if (distances[holder] !== wanted || !isDistanceEdge(ctx, edgeIndex, holder, wanted)) continue;
    if (chosenEdge < 0 || (core.names.isPlumbing(chosenHolder) && !core.names.isPlumbing(holder))) {
      chosenEdge = edgeIndex;
      chosenHolder = holder;
      if (!core.names.isPlumbing(holder)) break;
    }
  }
  if (chosenEdge < 0) return null; // cannot happen with consistent distances; stay total anyway
  const entry = views.edgeLabels.collectionEntry(chosenEdge, chosenHolder);
  // A module's own binding reads better than the path through another module's import of it.
  if (entry && (distances[entry.owner] < wanted || views.roots.classify(entry.owner)?.kind === 'module')) return { edgeIndex: chosenEdge, holder: entry.owner, entry };
  return { edgeIndex: chosenEdge, holder: chosenHolder };
}

/** Path starts that say nothing to a reader: the synthetic root and "(GC roots)". */
export function isSyntheticStart(ctx: WalkContext, ordinal: number): boolean {
  return ordinal === 0 || ctx.core.names.rawName(ordinal) === '(GC roots)';
}

/** A module or global: a shortest path starts at the one nearest its target. */
export function startsPath(ctx: WalkContext, ordinal: number): boolean {
  const kind = ctx.views.roots.classify(ordinal)?.kind;
  return kind === 'module' || kind === 'global';
}

/** A path starting at a global's value keeps the global object above it: `globalThis → .appCache`. */
export function keepsHolder(ctx: WalkContext, start: number, holder: number): boolean {
  return ctx.views.roots.classify(start)?.kind === 'global' && ctx.views.roots.isGlobalObject(holder);
}

/**
 * `(Global handles)` reached only through DevTools console handles retains
 * only because a debugger is attached; so does an object (a paused scope the
 * Variables view materialized, say) whose every retainer, all drawn, is such
 * a root or such an object. Marked 'debugger', they hide with the rest.
 */
function markDebuggerRoots(nodes: Map<number, WalkNode>, edges: WalkEdge[], complete: Map<number, number[]>, target: number): void {
  for (const node of nodes.values()) {
    if (node.rootKind !== 'gc-root') continue;
    const out = edges.filter((e) => e.from === node.id);
    if (out.length > 0 && out.every((e) => DEBUGGER_EDGE.test(e.name))) node.rootKind = 'debugger';
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [held, holders] of complete) {
      const node = nodes.get(held)!;
      if (held === target || node.rootKind !== null) continue;
      if (holders.every((holder) => nodes.get(holder)?.rootKind === 'debugger')) {
        node.rootKind = 'debugger';
        changed = true;
      }
    }
  }
}
