/**
 * Draws a laid-out graph as SVG with d3: keyed joins so re-walks move nodes
 * instead of redrawing them, zoom and pan with d3-zoom. Every heap string is
 * set with `.text()`, never as markup.
 */
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { line, curveBasis } from 'd3-shape';
import 'd3-transition';
import { LINE } from './layout';
import type { Layout, PlacedEdge, PlacedNode } from './layoutTypes';
import { isMoreKey } from './nodeKeys';
import { MIN_READABLE_SCALE } from './readable';
import { depthShade } from './roles';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Transitions cost more than they help past this many nodes. */
const ANIMATE_LIMIT = 300;
const DURATION = 250;
/** Below this scale text is unreadable; hiding it keeps big graphs fast to paint and pan. */
const ZOOMED_OUT = 0.4;
/** Room kept free around what is framed, in px. */
const FRAME_MARGIN = 16;

export interface SavedTransform {
  x: number;
  y: number;
  k: number;
}

export interface GraphViewEvents {
  /** A node box was clicked. */
  activate(key: string, event: MouseEvent): void;
  /** Zoom or pan ended. */
  transformed(transform: SavedTransform): void;
  /** The view got its first size (a graph drawn before that is framed again). */
  resized(): void;
}

const edgePath = line<{ x: number; y: number }>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveBasis);

export class GraphView {
  readonly svg: SVGSVGElement;
  private readonly viewport: Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoomBehavior: ZoomBehavior<SVGSVGElement, unknown>;
  private layout: Layout | null = null;
  private placedByKey = new Map<string, PlacedNode>();
  private selectedKey: string | null = null;
  /** The SVG's size, kept by a ResizeObserver so fitting never forces a synchronous layout. */
  private size = { width: 0, height: 0 };

  constructor(container: HTMLElement, private readonly events: GraphViewEvents) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('graph');
    this.svg.setAttribute('role', 'img');
    container.append(this.svg);
    const svg = select(this.svg);
    const defs = svg.append('defs');
    for (const kind of ['plain', 'path', 'cycle', 'more']) {
      defs
        .append('marker')
        .attr('id', `arrow-${kind}`)
        .attr('class', `arrow arrow-${kind}`)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerWidth', 7)
        .attr('markerHeight', 7)
        .attr('markerUnits', 'userSpaceOnUse')
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('d', 'M0,0 L10,5 L0,10 z');
    }
    this.viewport = svg.append('g').attr('class', 'viewport');
    this.viewport.append('g').attr('class', 'edges');
    this.viewport.append('g').attr('class', 'edge-labels');
    this.viewport.append('g').attr('class', 'nodes');
    this.zoomBehavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.03, 4])
      // d3-zoom's default extent reads the SVG's size, forcing a synchronous layout of every node on each zoom.
      .extent(() => {
        const { width, height } = this.viewSize();
        return [
          [0, 0],
          [width, height],
        ];
      })
      .on('zoom', (event: { transform: ZoomTransform }) => {
        this.viewport.attr('transform', event.transform.toString());
        this.svg.classList.toggle('zoomed-out', event.transform.k < ZOOMED_OUT);
      })
      .on('end', (event: { transform: ZoomTransform }) => this.events.transformed({ x: event.transform.x, y: event.transform.y, k: event.transform.k }));
    svg.call(this.zoomBehavior).on('dblclick.zoom', null);
    new ResizeObserver(([entry]) => {
      const first = this.size.width === 0;
      this.size = { width: entry.contentRect.width, height: entry.contentRect.height };
      if (first && this.layout) this.events.resized();
    }).observe(this.svg);
  }

  private viewSize(): { width: number; height: number } {
    if (this.size.width === 0) {
      const { width, height } = this.svg.getBoundingClientRect();
      this.size = { width, height };
    }
    return this.size;
  }

  render(layout: Layout): void {
    this.layout = layout;
    this.placedByKey = new Map(layout.nodes.map((n) => [n.view.key, n]));
    const animate = layout.nodes.length <= ANIMATE_LIMIT && this.viewport.select('.node').size() > 0;
    this.renderEdges(layout.edges, animate);
    this.renderLabels(layout.edges, animate);
    this.renderNodes(layout.nodes, animate);
    this.markSelection();
  }

  private renderEdges(edges: PlacedEdge[], animate: boolean): void {
    const join = this.viewport
      .select<SVGGElement>('g.edges')
      .selectAll<SVGPathElement, PlacedEdge>('path.edge')
      .data(edges, (e) => e.view.key)
      .join((enter) => enter.append('path').attr('opacity', animate ? 0 : 1));
    join
      .attr('class', (e) => edgeClass(e, this.placedByKey))
      .attr('data-from', (e) => e.view.from)
      .attr('data-to', (e) => e.view.to)
      .attr('marker-end', (e) => `url(#arrow-${e.view.cycle ? 'cycle' : e.view.onPath ? 'path' : isMoreKey(e.view.from) ? 'more' : 'plain'})`);
    const d = (e: PlacedEdge) => edgePath(e.points) ?? '';
    if (animate) join.transition().duration(DURATION).attr('d', d).attr('opacity', 1);
    else join.attr('d', d);
  }

  private renderLabels(edges: PlacedEdge[], animate: boolean): void {
    const labelled = edges.filter((e) => e.view.label !== '');
    const join = this.viewport
      .select<SVGGElement>('g.edge-labels')
      .selectAll<SVGGElement, PlacedEdge>('g.edge-label')
      .data(labelled, (e) => e.view.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect').attr('rx', 3);
        g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
        return g;
      });
    join.attr('class', (e) => {
      const holder = this.placedByKey.get(e.view.from)?.view;
      const recessive = holder?.kind === 'object' && holder.recessive;
      return `edge-label${e.view.onPath ? ' on-path' : ''}${e.view.cycle ? ' cycle' : ''}${recessive ? ' recessive' : ''}`;
    });
    join
      .select('rect')
      .attr('x', (e) => -e.labelWidth / 2)
      .attr('y', -8)
      .attr('width', (e) => e.labelWidth)
      .attr('height', 16);
    join.select('text').text((e) => e.view.label);
    const place = (e: PlacedEdge) => `translate(${e.labelX},${e.labelY})`;
    if (animate) join.transition().duration(DURATION).attr('transform', place);
    else join.attr('transform', place);
  }

  private renderNodes(nodes: PlacedNode[], animate: boolean): void {
    const join = this.viewport
      .select<SVGGElement>('g.nodes')
      .selectAll<SVGGElement, PlacedNode>('g.node')
      .data(nodes, (n) => n.view.key)
      .join(
        (enter) => {
          const g = enter.append('g').attr('opacity', animate ? 0 : 1);
          g.append('rect').attr('class', 'box').attr('rx', 6);
          g.append('rect').attr('class', 'badge-bg').attr('rx', 3);
          g.append('text').attr('class', 'badge');
          g.append('text').attr('class', 'title');
          g.append('text').attr('class', 'subtitle');
          g.append('text').attr('class', 'stats');
          g.append('title');
          g.on('click', (event: MouseEvent, n) => this.events.activate(n.view.key, event));
          return g;
        },
        (update) => update,
        (exit) => exit.remove(),
      );
    join
      .attr('class', (n) => nodeClass(n))
      .attr('data-key', (n) => n.view.key)
      .attr('data-id', (n) => (n.view.kind === 'object' ? n.view.node.id : null))
      .attr('data-role', (n) => (n.view.kind === 'object' ? n.view.role : 'more'));
    join.select('rect.box').attr('width', (n) => n.width).attr('height', (n) => n.height);
    join.each(function (n) {
      const g = select(this);
      let y = 8;
      const badge = n.text.badge;
      g.select('rect.badge-bg').attr('display', badge ? null : 'none');
      g.select('text.badge').text(badge).attr('display', badge ? null : 'none');
      if (badge) {
        g.select('rect.badge-bg').attr('x', 8).attr('y', y).attr('height', 12).attr('width', n.badgeWidth);
        g.select('text.badge').attr('x', 12).attr('y', y + 9.5);
        y += LINE.badge;
      }
      g.select('text.title').text(n.text.title).attr('x', 12).attr('y', y + 13);
      y += LINE.title;
      g.select('text.subtitle').text(n.text.subtitle).attr('x', 12).attr('y', y + 11).attr('display', n.text.subtitle ? null : 'none');
      if (n.text.subtitle) y += LINE.subtitle;
      g.select('text.stats').text(n.text.stats).attr('x', 12).attr('y', y + 11);
      g.select('title').text(tooltip(n));
    });
    const place = (n: PlacedNode) => `translate(${n.x - n.width / 2},${n.y - n.height / 2})`;
    if (animate) join.transition().duration(DURATION).attr('transform', place).attr('opacity', 1);
    else join.attr('transform', place);
  }

  select(key: string | null): void {
    this.selectedKey = key;
    this.markSelection();
  }

  private markSelection(): void {
    const key = this.selectedKey;
    this.viewport.selectAll<SVGGElement, PlacedNode>('g.node').classed('selected', (n) => n.view.key === key);
    this.viewport.selectAll<SVGPathElement, PlacedEdge>('path.edge').classed('touches-selected', (e) => key !== null && (e.view.from === key || e.view.to === key));
  }

  placed(key: string): PlacedNode | undefined {
    return this.placedByKey.get(key);
  }

  /** Scales and centres the whole graph in the view (never zooming in past 1:1), however small that makes it. */
  fitAll(animate = false): void {
    if (!this.layout) return;
    const { width, height } = this.viewSize();
    if (width === 0 || height === 0) return;
    const k = Math.min(1, (width - 20) / this.layout.width, (height - 20) / this.layout.height);
    const x = (width - this.layout.width * k) / 2;
    const y = Math.max(10, (height - this.layout.height * k) / 2);
    this.applyTransform(zoomIdentity.translate(x, y).scale(k), animate);
  }

  /** Pans so the node is in the middle, keeping the zoom unless it is too small to read. */
  center(key: string): void {
    const node = this.placedByKey.get(key);
    if (!node) return;
    const { width, height } = this.viewSize();
    const k = Math.max(this.currentTransform().k, 0.8);
    this.applyTransform(zoomIdentity.translate(width / 2 - node.x * k, height / 2 - node.y * k).scale(k), true);
  }

  /** Keeps the node on screen: pans only if it is (partly) outside the view. */
  reveal(key: string): void {
    const node = this.placedByKey.get(key);
    if (!node) return;
    const t = this.currentTransform();
    const { width, height } = this.viewSize();
    const left = t.applyX(node.x - node.width / 2);
    const right = t.applyX(node.x + node.width / 2);
    const top = t.applyY(node.y - node.height / 2);
    const bottom = t.applyY(node.y + node.height / 2);
    if (left < 0 || top < 0 || right > width || bottom > height) this.center(key);
  }

  /** Zooms around the selected node when there is one, else around the centre. */
  zoomBy(factor: number): void {
    const node = this.selectedKey ? this.placedByKey.get(this.selectedKey) : undefined;
    const t = this.currentTransform();
    const { width, height } = this.viewSize();
    const anchor: [number, number] = node ? [t.applyX(node.x), t.applyY(node.y)] : [width / 2, height / 2];
    select(this.svg).call(this.zoomBehavior.scaleBy, factor, anchor);
  }

  /**
   * The first view of a walk, and "Fit": the whole graph when it fits at a
   * readable scale; else the focus (the target and its nearest named root)
   * as large as fits, never below MIN_READABLE_SCALE; and when even the
   * focus does not fit readably, the target's end of it at that scale, the
   * rest a pan away (a wide fan-in fitted to the window would be a strip of
   * unlabelled boxes).
   */
  frame(focusKeys: readonly string[], targetKey: string, targetOnTop: boolean, animate = false): void {
    if (!this.layout) return;
    const { width, height } = this.viewSize();
    if (width === 0 || height === 0) return;
    const fitScale = Math.min(1, (width - 2 * FRAME_MARGIN) / this.layout.width, (height - 2 * FRAME_MARGIN) / this.layout.height);
    const focus = focusKeys.map((k) => this.placedByKey.get(k)).filter((n): n is PlacedNode => n !== undefined);
    const target = this.placedByKey.get(targetKey);
    if (fitScale >= MIN_READABLE_SCALE || !target) {
      this.fitAll(animate);
      return;
    }
    const box = bounds(focus.length > 0 ? focus : [target]);
    // As much of the graph as stays readable, the focus whole if it fits.
    const focusScale = Math.min(1, (width - 2 * FRAME_MARGIN) / (box.right - box.left), (height - 2 * FRAME_MARGIN) / (box.bottom - box.top));
    const k = Math.max(MIN_READABLE_SCALE, Math.min(focusScale, Math.max(fitScale, MIN_READABLE_SCALE)));
    // Centre the focus, but leave no empty band where the graph could be; and
    // whatever that gives, keep the target in view (the far end is a drag away).
    const spread = (centre: number, view: number, size: number): number => (size * k > view - 2 * FRAME_MARGIN ? clamp(centre, view - FRAME_MARGIN - size * k, FRAME_MARGIN) : centre);
    const left = target.x - target.width / 2;
    const right = target.x + target.width / 2;
    const top = target.y - target.height / 2;
    const bottom = target.y + target.height / 2;
    const x = clamp(spread(width / 2 - ((box.left + box.right) / 2) * k, width, this.layout.width), FRAME_MARGIN - left * k, width - FRAME_MARGIN - right * k);
    // What an object holds reads from the top down: it starts at the top edge.
    const centredY = targetOnTop ? FRAME_MARGIN - top * k : height / 2 - ((box.top + box.bottom) / 2) * k;
    const y = clamp(spread(centredY, height, this.layout.height), FRAME_MARGIN - top * k, height - FRAME_MARGIN - bottom * k);
    this.applyTransform(zoomIdentity.translate(x, y).scale(k), animate);
  }

  currentTransform(): ZoomTransform {
    const svg = this.svg as SVGSVGElement & { __zoom?: ZoomTransform };
    return svg.__zoom ?? zoomIdentity;
  }

  restoreTransform(t: SavedTransform): void {
    this.applyTransform(zoomIdentity.translate(t.x, t.y).scale(t.k), false);
  }

  private applyTransform(transform: ZoomTransform, animate: boolean): void {
    const svg = select(this.svg);
    if (animate) svg.transition().duration(DURATION).call(this.zoomBehavior.transform, transform);
    else svg.call(this.zoomBehavior.transform, transform);
  }
}

function nodeClass(n: PlacedNode): string {
  if (n.view.kind === 'more') return 'node more';
  const classes = ['node', `role-${n.view.role}`];
  if (n.view.role === 'plain') classes.push(`depth-${depthShade(n.view.node.level)}`);
  if (n.view.onPath) classes.push('on-path');
  if (n.view.story) classes.push('story');
  if (n.view.recessive) classes.push('recessive');
  return classes.join(' ');
}

function bounds(nodes: PlacedNode[]): { left: number; right: number; top: number; bottom: number } {
  return {
    left: Math.min(...nodes.map((n) => n.x - n.width / 2)),
    right: Math.max(...nodes.map((n) => n.x + n.width / 2)),
    top: Math.min(...nodes.map((n) => n.y - n.height / 2)),
    bottom: Math.max(...nodes.map((n) => n.y + n.height / 2)),
  };
}

/** `value` kept between `low` and `high`, in either order; when the range is empty, the second bound wins. */
function clamp(value: number, low: number, high: number): number {
  if (low > high) return high;
  return Math.max(low, Math.min(high, value));
}

function edgeClass(e: PlacedEdge, placed: ReadonlyMap<string, PlacedNode>): string {
  const classes = ['edge'];
  if (e.view.onPath) classes.push('on-path');
  const from = placed.get(e.view.from)?.view;
  const to = placed.get(e.view.to)?.view;
  if (from?.kind === 'object' && to?.kind === 'object') {
    if (from.story && to.story) classes.push('story');
    if (from.recessive) classes.push('recessive');
  }
  if (e.view.cycle) classes.push('cycle');
  if (e.view.weak) classes.push('weak');
  // Half of a WeakMap entry: the value lives only while both the map and the key do.
  if (e.view.edges.some((edge) => edge.ephemeron !== undefined)) classes.push('weakmap-entry');
  if (isMoreKey(e.view.from)) classes.push('to-more');
  return classes.join(' ');
}

function tooltip(n: PlacedNode): string {
  if (n.view.kind === 'more') return n.text.subtitle;
  const node = n.view.node;
  return [node.label || node.name, `${node.type} ${node.name}`, n.text.stats, node.preview ?? ''].filter(Boolean).join('\n');
}
