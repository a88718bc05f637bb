/**
 * Layered layout with dagre (Sugiyama-style: Gansner et al., "A Technique for
 * Drawing Directed Graphs", 1993): holders above what they hold, so roots end
 * up at the top and the target at the bottom. Cycle edges are ranked
 * reversed, so they are routed like the rest and drawn pointing back up.
 * Large walks use the tidy tree in treeLayout.ts instead.
 */
import dagre from '@dagrejs/dagre';
import type { Layout, PlacedEdge, PlacedNode, SizedNode } from './layoutTypes';
import type { ViewGraph } from './model';
import { nodeText, type NodeText } from './nodeText';
import { badgeWidth, type TextMeasurer } from './textMeasure';
import { tidyTreeLayout } from './treeLayout';

export const LINE = { badge: 14, title: 18, subtitle: 15, stats: 15 };
const PAD_X = 12;
const PAD_Y = 8;
const MIN_WIDTH = 110;
const LABEL_HEIGHT = 16;

export function nodeSize(text: NodeText, measure: TextMeasurer): { width: number; height: number } {
  const widths = [text.prominent ? measure.width(text.title, 14, 700) : measure.width(text.title, 13, 600), measure.width(text.subtitle, 11), measure.width(text.stats, 11), badgeWidth(text.badge, measure)];
  let height = PAD_Y * 2 + LINE.title + LINE.stats;
  if (text.badge) height += LINE.badge;
  if (text.subtitle) height += LINE.subtitle;
  return { width: Math.max(MIN_WIDTH, Math.ceil(Math.max(...widths)) + PAD_X * 2), height };
}

/** Past this many nodes dagre takes seconds (measured: docs/webview-performance.md); the tidy tree takes milliseconds. */
export const DAGRE_NODE_LIMIT = 150;

export function layoutGraph(graph: ViewGraph, measure: TextMeasurer): Layout {
  if (graph.nodes.length <= DAGRE_NODE_LIMIT) return dagreLayout(graph, measure);
  const sized = new Map<string, SizedNode>();
  for (const view of graph.nodes) {
    const text = nodeText(view);
    sized.set(view.key, { view, text, ...nodeSize(text, measure), badgeWidth: badgeWidth(text.badge, measure) });
  }
  return tidyTreeLayout(graph, sized, (label) => Math.ceil(measure.width(label, 11)) + 8);
}

function dagreLayout(graph: ViewGraph, measure: TextMeasurer): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 48, edgesep: 12, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));

  const texts = new Map<string, NodeText>();
  for (const view of graph.nodes) {
    const text = nodeText(view);
    texts.set(view.key, text);
    g.setNode(view.key, nodeSize(text, measure));
  }
  const labelWidths = new Map<string, number>();
  const story = new Set(graph.nodes.filter((n) => n.kind === 'object' && n.story).map((n) => n.key));
  for (const edge of graph.edges) {
    const width = edge.label ? Math.ceil(measure.width(edge.label, 11)) + 8 : 0;
    labelWidths.set(edge.key, width);
    // Heavy edges are kept short and straight: the story (target to its nearest named root) most, then the shortest path.
    const weight = story.has(edge.from) && story.has(edge.to) ? 8 : edge.onPath ? 4 : 1;
    const label = { width, height: edge.label ? LABEL_HEIGHT : 0, labelpos: 'c', weight, minlen: 1 };
    // A cycle edge points back up; ranking it reversed keeps holders above what they hold.
    if (edge.cycle) g.setEdge(edge.to, edge.from, label, edge.key);
    else g.setEdge(edge.from, edge.to, label, edge.key);
  }
  // Crossing minimisation decides the order in each row; mirrored if need be,
  // the static maps and globals a reader hunts for come first (left), as read.
  const first = new Set(graph.nodes.filter((n) => n.kind === 'object' && (n.story || n.role === 'static-map' || n.role === 'global')).map((n) => n.key));
  dagre.layout(g, {
    customOrder: (layoutGraph, order) => {
      order(layoutGraph, {});
      leftFirst(layoutGraph, first);
    },
  });

  const nodes: PlacedNode[] = [];
  for (const view of graph.nodes) {
    const n = g.node(view.key);
    const text = texts.get(view.key) as NodeText;
    const placed = { view, text, x: n.x, y: n.y, width: n.width, height: n.height, badgeWidth: badgeWidth(text.badge, measure) };
    nodes.push(placed);
  }
  const edges: PlacedEdge[] = [];
  for (const edge of graph.edges) {
    const e = (edge.cycle ? g.edge(edge.to, edge.from, edge.key) : g.edge(edge.from, edge.to, edge.key)) as dagre.GraphEdge & { x: number; y: number };
    const points = e.points.map((p) => ({ x: p.x, y: p.y }));
    if (edge.cycle) points.reverse();
    edges.push({ view: edge, points, labelX: e.x, labelY: e.y, labelWidth: labelWidths.get(edge.key) ?? 0 });
  }
  const size = g.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}


interface Ordered {
  rank?: number;
  order?: number;
}

/** Mirrors every row if the keys in `first` ended up right of centre (mirroring keeps the crossings). */
function leftFirst(g: dagre.graphlib.Graph, first: ReadonlySet<string>): void {
  const ranks = new Map<number, number>();
  for (const v of g.nodes()) {
    const { rank } = g.node(v) as Ordered;
    if (rank !== undefined) ranks.set(rank, (ranks.get(rank) ?? 0) + 1);
  }
  let balance = 0;
  for (const v of first) {
    const node = g.node(v) as Ordered | undefined;
    if (node?.rank === undefined || node.order === undefined) continue;
    const size = ranks.get(node.rank) ?? 1;
    balance += node.order - (size - 1) / 2;
  }
  if (balance <= 0) return;
  for (const v of g.nodes()) {
    const node = g.node(v) as Ordered;
    if (node.rank !== undefined && node.order !== undefined) node.order = (ranks.get(node.rank) ?? 1) - 1 - node.order;
  }
}
