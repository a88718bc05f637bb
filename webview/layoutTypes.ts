/** A laid-out view graph: what both layouts (dagre, tidy tree) produce and the renderer draws. */
import type { ViewEdge, ViewNode } from './model';
import type { NodeText } from './nodeText';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  view: ViewNode;
  text: NodeText;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Width of the role badge's pill, 0 without a badge. */
  badgeWidth: number;
}

/** A node measured but not yet placed: what a layout is handed. */
export type SizedNode = Omit<PlacedNode, 'x' | 'y'>;

export interface PlacedEdge {
  view: ViewEdge;
  points: Point[];
  /** Label centre. */
  labelX: number;
  labelY: number;
  labelWidth: number;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}
