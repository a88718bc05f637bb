/**
 * Layout for large walks, where dagre's crossing minimisation takes seconds:
 * a spanning tree of the walk (each retainer under the object through which
 * the walk reached it) laid out as a tidy tree with d3-hierarchy (Reingold &
 * Tilford, "Tidier Drawings of Trees", 1981; linear-time per Buchheim et al.
 * 2002), flipped so the target is at the bottom and roots at the top (a
 * references walk keeps the target on top). Edges not in the tree (shared
 * retainers, cycles) are drawn between the boxes.
 */
import { hierarchy, tree } from 'd3-hierarchy';
import type { Layout, PlacedEdge, PlacedNode, Point, SizedNode } from './layoutTypes';
import type { ViewGraph } from './model';
import { nodeKey } from './nodeKeys';

const NODE_GAP = 16;
const ROW_GAP = 56;
const MARGIN = 24;

interface TreeDatum {
  key: string;
  children: TreeDatum[];
}

export function tidyTreeLayout(graph: ViewGraph, sized: Map<string, SizedNode>, labelWidth: (label: string) => number): Layout {
  // Spanning tree breadth-first from the target: along holder edges, or held ones in a references walk.
  const down = graph.direction === 'references';
  const holdersOf = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.cycle) continue;
    const [near, far] = down ? [edge.from, edge.to] : [edge.to, edge.from];
    const list = holdersOf.get(near);
    if (list) list.push(far);
    else holdersOf.set(near, [far]);
  }
  const targetKey = nodeKey(graph.target);
  const datum = new Map<string, TreeDatum>([[targetKey, { key: targetKey, children: [] }]]);
  const queue = [targetKey];
  for (let i = 0; i < queue.length; i++) {
    const parent = datum.get(queue[i]) as TreeDatum;
    for (const holder of holdersOf.get(queue[i]) ?? []) {
      if (datum.has(holder)) continue;
      const child = { key: holder, children: [] };
      datum.set(holder, child);
      parent.children.push(child);
      queue.push(holder);
    }
  }
  // Anything the tree did not reach (should not happen: the view keeps only what leads to the target) hangs off the target.
  for (const key of sized.keys()) {
    if (datum.has(key)) continue;
    const orphan = { key, children: [] };
    datum.set(key, orphan);
    (datum.get(targetKey) as TreeDatum).children.push(orphan);
  }

  // The story's branch (else the shortest path's) goes in the middle of its siblings, so it rises straight above the target.
  const story = graph.nodes.filter((n) => n.kind === 'object' && n.story).map((n) => n.key);
  const onPath = new Set(story.length > 0 ? story : graph.nodes.filter((n) => n.kind === 'object' && n.onPath).map((n) => n.key));
  for (const node of datum.values()) {
    const i = node.children.findIndex((c) => onPath.has(c.key));
    if (i < 0 || node.children.length < 3) continue;
    const [pathChild] = node.children.splice(i, 1);
    node.children.splice(Math.floor(node.children.length / 2), 0, pathChild);
  }

  const rowHeight = Math.max(...[...sized.values()].map((n) => n.height)) + ROW_GAP;
  const root = hierarchy(datum.get(targetKey) as TreeDatum);
  const widthOf = (key: string) => sized.get(key)?.width ?? 0;
  tree<TreeDatum>()
    .nodeSize([1, rowHeight])
    .separation((a, b) => (widthOf(a.data.key) + widthOf(b.data.key)) / 2 + NODE_GAP * (a.parent === b.parent ? 1 : 2))(root);

  let minX = Infinity;
  let maxX = -Infinity;
  let maxDepth = 0;
  root.each((n) => {
    const half = widthOf(n.data.key) / 2;
    minX = Math.min(minX, (n.x ?? 0) - half);
    maxX = Math.max(maxX, (n.x ?? 0) + half);
    maxDepth = Math.max(maxDepth, n.depth);
  });
  const nodes: PlacedNode[] = [];
  const byKey = new Map<string, PlacedNode>();
  root.each((n) => {
    const base = sized.get(n.data.key);
    if (!base) return;
    const row = down ? n.depth : maxDepth - n.depth;
    const placed = { ...base, x: (n.x ?? 0) - minX + MARGIN, y: row * rowHeight + rowHeight / 2 + MARGIN };
    nodes.push(placed);
    byKey.set(n.data.key, placed);
  });

  const edges: PlacedEdge[] = [];
  for (const edge of graph.edges) {
    const from = byKey.get(edge.from);
    const to = byKey.get(edge.to);
    if (!from || !to) continue;
    const points = from.y < to.y ? downward(from, to) : upward(from, to);
    const mid = points[Math.floor(points.length / 2)];
    edges.push({ view: edge, points, labelX: mid.x, labelY: mid.y, labelWidth: edge.label ? labelWidth(edge.label) : 0 });
  }
  return { nodes, edges, width: maxX - minX + MARGIN * 2, height: (maxDepth + 1) * rowHeight + MARGIN * 2 };
}

/** Holder above held: leave the bottom of one, enter the top of the other. */
function downward(from: PlacedNode, to: PlacedNode): Point[] {
  const start = { x: from.x, y: from.y + from.height / 2 };
  const end = { x: to.x, y: to.y - to.height / 2 };
  const midY = (start.y + end.y) / 2;
  return [start, { x: start.x, y: midY }, { x: (start.x + end.x) / 2, y: midY }, { x: end.x, y: midY }, end];
}

/** A cycle or a same-row edge: out of the holder's side, round into the held object's side. */
function upward(from: PlacedNode, to: PlacedNode): Point[] {
  const start = { x: from.x + from.width / 2, y: from.y };
  const end = { x: to.x + to.width / 2, y: to.y };
  const bulge = Math.max(30, Math.abs(start.y - end.y) * 0.3);
  return [start, { x: Math.max(start.x, end.x) + bulge, y: (start.y + end.y) / 2 }, end];
}
