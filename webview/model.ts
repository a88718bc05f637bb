/**
 * Turns a Walk into the graph the view draws: applies the client-side filters
 * (debugger-only retainers, V8 internals), adds "+N more" nodes for cut
 * retainers, marks the shortest path and cycles, and collapses very large
 * walks so the page never freezes.
 */
import type { Walk, WalkEdge, WalkNode } from '../src/protocol/walk';
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
}

export interface MoreViewNode {
  kind: 'more';
  key: string;
  /** The node whose retainers were cut. */
  forId: number;
  /** Left out by the engine's fan-out limit: needs a re-walk. */
  hiddenByWalk: number;
  /** Left out by this view (filters or large-graph collapse): expanded in place. */
  hiddenByView: number;
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
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Objects left out by the large-graph collapse (0 when nothing was collapsed). */
  collapsedCount: number;
}

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
  if (settings.hideDebugger) {
    for (const node of walk.nodes) if (node.rootKind === 'debugger' && node.id !== walk.target) visible.delete(node.id);
    work = work.filter((e) => visible.has(e.from) && visible.has(e.to));
  }
  if (!settings.showInternals) work = spliceInternals(walk, visible, work);

  // Keep only what still leads to the target, in breadth-first order from it.
  const retainersOf = groupBy(work.filter((e) => !e.cycle), (e) => e.to);
  const order = bfsUp(walk.target, retainersOf, visible);
  const pathIds = new Set(walk.shortestPath.nodes);

  let kept: Set<number>;
  let collapsedCount = 0;
  if (order.length > COLLAPSE_THRESHOLD) {
    kept = collapse(walk.target, order, retainersOf, pathIds, expanded);
    collapsedCount = order.length - kept.size;
  } else {
    kept = new Set(order);
  }

  const pathEdgeIds = new Set(walk.shortestPath.edges.map(edgeIdentity));
  const nodes: ViewNode[] = [];
  for (const id of order) {
    if (!kept.has(id)) continue;
    const node = byId.get(id);
    if (!node) continue;
    nodes.push({ kind: 'object', key: nodeKey(id), node, role: roleOf(node, walk.target), onPath: pathIds.has(id) });
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
      const dropped = new Set((retainersOf.get(id) ?? []).filter((e) => !kept.has(e.from)).map((e) => e.from));
      if (dropped.size > 0) hiddenByView.set(id, dropped.size);
    }
  }
  for (const id of new Set([...hiddenByWalk.keys(), ...hiddenByView.keys()])) {
    if (!kept.has(id)) continue;
    const more: MoreViewNode = { kind: 'more', key: moreKey(id), forId: id, hiddenByWalk: hiddenByWalk.get(id) ?? 0, hiddenByView: hiddenByView.get(id) ?? 0 };
    if (more.hiddenByWalk + more.hiddenByView === 0) continue;
    nodes.push(more);
    edges.push({ key: `${more.key}>${nodeKey(id)}`, from: more.key, to: nodeKey(id), label: '', onPath: false, cycle: false, weak: false, edges: [] });
  }

  return { target: walk.target, nodes, edges, collapsedCount };
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

/** Breadth-first from the target towards the roots over visible nodes. */
function bfsUp(target: number, retainersOf: Map<number, WorkEdge[]>, visible: Set<number>): number[] {
  const order = [target];
  const reached = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const edge of retainersOf.get(order[i]) ?? []) {
      if (reached.has(edge.from) || !visible.has(edge.from)) continue;
      reached.add(edge.from);
      order.push(edge.from);
    }
  }
  return order;
}

/**
 * Keeps the shortest path, every retainer of an expanded node, and then the
 * nodes nearest the target until the budget is spent. BFS order guarantees
 * every kept node still connects to the target through kept nodes.
 */
function collapse(target: number, order: number[], retainersOf: Map<number, WorkEdge[]>, pathIds: Set<number>, expanded: ReadonlySet<number>): Set<number> {
  const kept = new Set<number>([target, ...pathIds]);
  const budget = COLLAPSED_BUDGET + kept.size;
  for (const id of order) {
    if (!kept.has(id) && kept.size >= budget) continue;
    kept.add(id);
    const retainers = retainersOf.get(id) ?? [];
    if (expanded.has(id)) for (const e of retainers) kept.add(e.from);
  }
  // Remove nodes that cannot reach the target through kept nodes (budget cut mid-level).
  const reach = bfsUp(target, retainersOf, kept);
  return new Set(reach);
}
