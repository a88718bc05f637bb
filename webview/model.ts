/**
 * Turns a Walk into the graph the view draws: applies the client-side filters
 * (debugger-only retainers, V8 internals), adds "+N more" nodes for cut
 * retainers, marks the shortest path and cycles, picks what the first view
 * frames (the target and its nearest named root), marks Node's and V8's
 * plumbing recessive, and collapses very large walks so the page never
 * freezes. A references walk (what the target holds) is the same graph
 * grown the other way: from the target down.
 */
import type { Walk, WalkDirection, WalkEdge, WalkNode } from '../src/protocol/walk';
import type { ViewSettings } from '../src/protocol/webview';
import { moreKey, nodeKey } from './nodeKeys';
import { roleOf, type Role } from './roles';

/** Past this many nodes the view keeps the shortest path and the levels nearest the target. */
export const COLLAPSE_THRESHOLD = 2000;
/** How many nodes a collapsed view keeps (breadth-first from the target). */
export const COLLAPSED_BUDGET = 800;
/** Internal nodes with more in×out edges than this stay visible rather than multiply edges. */
const MAX_SPLICE_PRODUCT = 64;

export interface ObjectViewNode {
  kind: 'object';
  key: string;
  node: WalkNode;
  role: Role;
  onPath: boolean;
  /** Plumbing rather than the program's own objects (timer lists, V8 internals, what only they hold): drawn faint. */
  recessive: boolean;
  /** On the way from the target to its nearest named root: the story the first view frames. */
  story: boolean;
}

export interface MoreViewNode {
  kind: 'more';
  key: string;
  /** The node whose retainers (references, in a references walk) were cut. */
  forId: number;
  /** Left out by the engine's fan-out limit: needs a re-walk. */
  hiddenByWalk: number;
  /** Left out by this view (filters or large-graph collapse): expanded in place. */
  hiddenByView: number;
  /** Which edges were cut: the node's retainers, or what it holds. */
  direction: WalkDirection;
}

export type ViewNode = ObjectViewNode | MoreViewNode;

export interface ViewEdge {
  key: string;
  /** Holder (drawn above). */
  from: string;
  /** Held (drawn below). */
  to: string;
  label: string;
  onPath: boolean;
  cycle: boolean;
  weak: boolean;
  /** The walk edges this view edge stands for (several when a V8 internal was spliced out). */
  edges: WalkEdge[];
}

export interface ViewGraph {
  target: number;
  /** 'retainers': roots above, the target at the bottom; 'references': the target on top. */
  direction: WalkDirection;
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Objects left out by the large-graph collapse (0 when nothing was collapsed). */
  collapsedCount: number;
  /** V8 internals the view spliced out (the "V8 internals" toggle would draw them). */
  splicedCount: number;
  /** Debugger-only retainers the view hid. */
  debuggerHidden: number;
  /** Keys the first view must show: the target and the way to its nearest named root (static map, global, module). */
  focus: string[];
}

/** Roots a reader hunts for, in the order the view prefers them when several are as near. */
const NAMED_ROOTS: readonly Role[] = ['static-map', 'global', 'module'];

function edgeIdentity(edge: WalkEdge): string {
  return `${edge.from}|${edge.to}|${edge.name}`;
}

interface WorkEdge {
  from: number;
  to: number;
  label: string;
  edges: WalkEdge[];
  cycle: boolean;
  weak: boolean;
}

/**
 * @param expanded node ids whose retainers the user asked to see in full
 *   (clicked "+N more" on a view-collapsed node).
 */
export function buildViewGraph(walk: Walk, settings: ViewSettings, expanded: ReadonlySet<number> = new Set()): ViewGraph {
  const direction: WalkDirection = walk.direction ?? 'retainers';
  const down = direction === 'references';
  const byId = new Map<number, WalkNode>();
  for (const node of walk.nodes) byId.set(node.id, node);

  // Walk edges plus the shortest path's (always complete), without duplicates.
  const seen = new Set<string>();
  let work: WorkEdge[] = [];
  for (const edge of [...walk.edges, ...walk.shortestPath.edges]) {
    const identity = edgeIdentity(edge);
    if (seen.has(identity) || !byId.has(edge.from) || !byId.has(edge.to)) continue;
    seen.add(identity);
    work.push({ from: edge.from, to: edge.to, label: edge.label, edges: [edge], cycle: edge.cycle === true, weak: edge.type === 'weak' });
  }

  const visible = new Set(byId.keys());
  let debuggerHidden = 0;
  if (settings.hideDebugger) {
    for (const node of walk.nodes) {
      if (node.rootKind === 'debugger' && node.id !== walk.target) {
        visible.delete(node.id);
        debuggerHidden++;
      }
    }
    work = work.filter((e) => visible.has(e.from) && visible.has(e.to));
  }
  const before = visible.size;
  if (!settings.showInternals) work = spliceInternals(walk, visible, work);
  const splicedCount = before - visible.size;

  // Keep only what still connects to the target, in breadth-first order from it:
  // up its retainers, or down what it holds.
  const away = down ? groupBy(work.filter((e) => !e.cycle), (e) => e.from) : groupBy(work.filter((e) => !e.cycle), (e) => e.to);
  const next = (e: WorkEdge): number => (down ? e.to : e.from);
  const order = bfsAway(walk.target, away, next, visible);
  const pathIds = new Set(walk.shortestPath.nodes);

  let kept: Set<number>;
  let collapsedCount = 0;
  if (order.length > COLLAPSE_THRESHOLD) {
    kept = collapse(walk.target, order, away, next, pathIds, expanded);
    collapsedCount = order.length - kept.size;
  } else {
    kept = new Set(order);
  }

  const pathEdgeIds = new Set(walk.shortestPath.edges.map(edgeIdentity));
  const story = down ? new Set<number>() : storyPath(walk.target, order, away, kept, byId, pathIds);
  const recessive = recessiveNodes(walk.target, order, away, next, kept, byId, story, down);
  const nodes: ViewNode[] = [];
  for (const id of order) {
    if (!kept.has(id)) continue;
    const node = byId.get(id);
    if (!node) continue;
    nodes.push({ kind: 'object', key: nodeKey(id), node, role: roleOf(node, walk.target), onPath: pathIds.has(id), recessive: recessive.has(id), story: story.has(id) });
  }

  const edges: ViewEdge[] = [];
  for (const e of work) {
    if (!kept.has(e.from) || !kept.has(e.to)) continue;
    edges.push({
      key: `${nodeKey(e.from)}>${nodeKey(e.to)}:${e.edges.map((x) => x.name).join('›')}`,
      from: nodeKey(e.from),
      to: nodeKey(e.to),
      label: e.label,
      onPath: e.edges.every((x) => pathEdgeIds.has(edgeIdentity(x))),
      cycle: e.cycle,
      weak: e.weak,
      edges: e.edges,
    });
  }

  // "+N more": what the engine cut, plus what this view dropped.
  const hiddenByWalk = new Map(walk.truncated.map((t) => [t.id, t.hidden]));
  const hiddenByView = new Map<number, number>();
  if (collapsedCount > 0) {
    for (const id of kept) {
      const dropped = new Set((away.get(id) ?? []).map(next).filter((other) => !kept.has(other)));
      if (dropped.size > 0) hiddenByView.set(id, dropped.size);
    }
  }
  for (const id of new Set([...hiddenByWalk.keys(), ...hiddenByView.keys()])) {
    if (!kept.has(id)) continue;
    const more: MoreViewNode = { kind: 'more', key: moreKey(id), forId: id, hiddenByWalk: hiddenByWalk.get(id) ?? 0, hiddenByView: hiddenByView.get(id) ?? 0, direction };
    if (more.hiddenByWalk + more.hiddenByView === 0) continue;
    nodes.push(more);
    // Where the cut edges would be: above the node for retainers, below it for references.
    const [from, to] = down ? [nodeKey(id), more.key] : [more.key, nodeKey(id)];
    edges.push({ key: `${from}>${to}`, from, to, label: '', onPath: false, cycle: false, weak: false, edges: [] });
  }

  const focus = [walk.target, ...(down ? (away.get(walk.target) ?? []).map(next).filter((id) => kept.has(id)) : story.size > 0 ? [...story] : walk.shortestPath.nodes.filter((id) => kept.has(id)))];
  return { target: walk.target, direction, nodes, edges, collapsedCount, splicedCount, debuggerHidden, focus: [...new Set(focus)].map(nodeKey) };
}

/**
 * The way up from the target to its nearest named root (a static map, a
 * global, a module binding of the program, not of Node itself), preferring
 * static maps and globals when several are as near: what the reader came for.
 */
function storyPath(target: number, order: number[], retainersOf: Map<number, WorkEdge[]>, kept: Set<number>, byId: Map<number, WalkNode>, pathIds: Set<number>): Set<number> {
  const parent = new Map<number, number>();
  const depth = new Map<number, number>([[target, 0]]);
  for (const id of order) {
    if (!kept.has(id)) continue;
    for (const edge of retainersOf.get(id) ?? []) {
      if (!kept.has(edge.from) || depth.has(edge.from)) continue;
      depth.set(edge.from, (depth.get(id) ?? 0) + 1);
      parent.set(edge.from, id);
    }
  }
  let best: number | undefined;
  let bestRank = Infinity;
  for (const [id, d] of depth) {
    const node = byId.get(id);
    if (!node || id === target || node.runtime) continue;
    const kind = NAMED_ROOTS.indexOf(roleOf(node, target));
    if (kind < 0) continue;
    // Nearest first; at the same distance a static map or a global beats a module,
    // then one on the shortest path, then the one closer to a GC root.
    const rank = (d * NAMED_ROOTS.length + kind) * 2 + (pathIds.has(id) ? 0 : 1) + (node.distance ?? 0) / 1e9;
    if (rank < bestRank) {
      best = id;
      bestRank = rank;
    }
  }
  const path = new Set<number>();
  for (let at = best; at !== undefined; at = parent.get(at)) path.add(at);
  return path;
}

/**
 * Node's and V8's plumbing, and what only plumbing holds (an array inside a
 * priority queue): faint, so the program's own chain stands out.
 */
function recessiveNodes(target: number, order: number[], away: Map<number, WorkEdge[]>, next: (e: WorkEdge) => number, kept: Set<number>, byId: Map<number, WalkNode>, story: Set<number>, down: boolean): Set<number> {
  const result = new Set<number>();
  const holders = new Map<number, number[]>();
  for (const id of order) {
    for (const edge of away.get(id) ?? []) {
      const other = next(edge);
      if (!kept.has(other)) continue;
      const [holder, held] = down ? [id, other] : [other, id];
      const list = holders.get(held);
      if (list) list.push(holder);
      else holders.set(held, [holder]);
    }
  }
  // Holders first: far from the target for retainers, near it for references.
  const fromHolders = down ? order : [...order].reverse();
  for (const id of fromHolders) {
    const node = byId.get(id);
    if (!node || id === target || story.has(id) || !kept.has(id)) continue;
    const own = holders.get(id) ?? [];
    const plumbing = node.internal || node.runtime === true;
    // Only objects of unknown origin (no constructor of the program's) inherit it: a callback the program wrote stays in view.
    const onlyPlumbingHolds = !down && node.rootKind === null && !node.location && own.length > 0 && own.every((holder) => result.has(holder));
    if (plumbing || onlyPlumbingHolds) result.add(id);
  }
  return result;
}

/** Replaces each hidden V8 internal by direct edges from its holders to what it holds. */
function spliceInternals(walk: Walk, visible: Set<number>, work: WorkEdge[]): WorkEdge[] {
  const pathIds = new Set(walk.shortestPath.nodes);
  for (const node of walk.nodes) {
    if (!node.internal || node.id === walk.target || !visible.has(node.id)) continue;
    const incoming = work.filter((e) => e.to === node.id);
    const outgoing = work.filter((e) => e.from === node.id);
    if (incoming.length * outgoing.length > MAX_SPLICE_PRODUCT) continue;
    // A root that is internal has no holder to splice into; dropping it would cut the path.
    if (incoming.length === 0 && pathIds.has(node.id)) continue;
    visible.delete(node.id);
    const rest = work.filter((e) => e.to !== node.id && e.from !== node.id);
    for (const inEdge of incoming) {
      for (const outEdge of outgoing) {
        if (inEdge.from === outEdge.to) continue;
        rest.push({
          from: inEdge.from,
          to: outEdge.to,
          label: `${inEdge.label} › ${outEdge.label}`,
          edges: [...inEdge.edges, ...outEdge.edges],
          cycle: inEdge.cycle || outEdge.cycle,
          weak: inEdge.weak || outEdge.weak,
        });
      }
    }
    work = rest;
  }
  return work;
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Breadth-first from the target (towards the roots, or down what it holds) over visible nodes. */
function bfsAway(target: number, away: Map<number, WorkEdge[]>, next: (e: WorkEdge) => number, visible: Set<number>): number[] {
  const order = [target];
  const reached = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const edge of away.get(order[i]) ?? []) {
      const other = next(edge);
      if (reached.has(other) || !visible.has(other)) continue;
      reached.add(other);
      order.push(other);
    }
  }
  return order;
}

/**
 * Keeps the shortest path, every neighbour of an expanded node, and then the
 * nodes nearest the target until the budget is spent. BFS order guarantees
 * every kept node still connects to the target through kept nodes.
 */
function collapse(target: number, order: number[], away: Map<number, WorkEdge[]>, next: (e: WorkEdge) => number, pathIds: Set<number>, expanded: ReadonlySet<number>): Set<number> {
  const kept = new Set<number>([target, ...pathIds]);
  const budget = COLLAPSED_BUDGET + kept.size;
  for (const id of order) {
    if (!kept.has(id) && kept.size >= budget) continue;
    kept.add(id);
    if (expanded.has(id)) for (const e of away.get(id) ?? []) kept.add(next(e));
  }
  // Remove nodes that cannot reach the target through kept nodes (budget cut mid-level).
  return new Set(bfsAway(target, away, next, kept));
}
