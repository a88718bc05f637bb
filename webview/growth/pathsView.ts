/**
 * Draws the merged paths as an indented tree from the roots down (MAT's
 * merged-paths tree, drawn): one row per node, each step labelled as code
 * reads it (`─get(*)→ Job`), the trunk and each branch as wide as the objects
 * that go through them, counts and retained sizes in columns on the right. An
 * indented tree stays legible in a half-width panel and with many groups,
 * where a top-down layout would shrink its labels. Drawn with d3 as SVG;
 * every heap string goes through `.text()`.
 */
import { select } from 'd3-selection';
import { formatBytes, formatCount, formatId, truncate } from '../format';
import { roleInfo } from '../roles';
import { badgeWidth, TextMeasurer } from '../textMeasure';
import { branchWidth, type BranchRow, type PathRow, type PathRows } from './pathRows';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ROW = 30;
const BOX = 22;
const INDENT = 22;
const PAD_X = 10;
const HEAD = 22;
const TITLE_SIZE = 12;
const SUB_SIZE = 11;
const EDGE_SIZE = 11;
const COUNT_WIDTH = 76;
const RETAINED_WIDTH = 84;
const TITLE_MAX = 56;
/** Shortest a title is cut to so the counts stay in view; the full text is in the row's hover text. */
const TITLE_MIN = 12;
const STEP_MAX = 32;
/** Between the widest box and the counts. */
const STATS_GAP = 24;

export interface PathsViewEvents {
  /** A click or Enter on a row: open a branch's example object, or show more groups. */
  activate(row: PathRow): void;
  /** The keyboard or a click moved the selection (for the announcer). */
  selected(row: PathRow): void;
}

interface Placed {
  row: PathRow;
  index: number;
  y: number;
  /** Where the step label starts, and the box. */
  contentX: number;
  edgeWidth: number;
  boxX: number;
  boxWidth: number;
  badge: string;
  badgeWidth: number;
  title: string;
  subtitle: string;
  /** The step label as drawn (long ones cut; the hover text has it whole). */
  step: string;
}

/** The x of the trunk under a row of depth `depth` (its branches leave from there). */
const trunkX = (depth: number) => PAD_X + depth * INDENT + 8;
const contentX = (depth: number) => (depth === 0 ? PAD_X : trunkX(depth - 1) + 16);

export class PathsView {
  /** The scrolling, focusable container. */
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly measure = new TextMeasurer();
  /** Steps are drawn in the editor's (monospace) font. */
  private readonly measureCode = new TextMeasurer(codeFont);
  private model: PathRows | null = null;
  private placed: Placed[] = [];
  private withRetained = false;
  private selectedKey: string | null = null;
  private width = 0;

  constructor(private readonly events: PathsViewEvents) {
    this.element = document.createElement('div');
    this.element.className = 'paths-scroll';
    this.element.tabIndex = 0;
    this.element.setAttribute('aria-label', 'Merged paths from the roots. Arrow keys move between branches, Enter opens one object of the branch in the retainer graph.');
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('paths-graph');
    // Its texts stay readable by screen readers; the announcer reads the row the keys reach.
    this.svg.setAttribute('role', 'group');
    this.element.append(this.svg);
    const svg = select(this.svg);
    svg
      .append('defs')
      .append('marker')
      .attr('id', 'paths-arrow')
      .attr('class', 'arrow')
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 6)
      .attr('markerHeight', 6)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('orient', 'auto')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z');
    svg.append('g').attr('class', 'columns');
    svg.append('g').attr('class', 'trunks');
    svg.append('g').attr('class', 'rows');
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => {
      if (this.model && this.element.clientWidth !== this.width) this.draw();
    }).observe(this.element);
  }

  render(model: PathRows, { retained }: { retained: boolean }): void {
    this.model = model;
    this.withRetained = retained;
    if (this.selectedKey !== null && !model.rows.some((r) => r.key === this.selectedKey)) this.selectedKey = null;
    this.draw();
  }

  get selected(): PathRow | undefined {
    return this.placed.find((p) => p.row.key === this.selectedKey)?.row;
  }

  select(key: string | null, reveal = true): void {
    this.selectedKey = key;
    select(this.svg)
      .selectAll<SVGGElement, Placed>('g.path-row')
      .classed('selected', (p) => p.row.key === key);
    const placed = this.placed.find((p) => p.row.key === key);
    if (placed && reveal) this.reveal(placed);
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    this.width = this.element.clientWidth;
    const statsWidth = COUNT_WIDTH + (this.withRetained ? RETAINED_WIDTH : 0);
    // Boxes give way (subtitle first, then the title's end) so the counts stay in a narrow panel.
    const maxRight = this.width - statsWidth - PAD_X - STATS_GAP;
    this.placed = model.rows.map((row, index) => this.place(row, index, maxRight));
    const contentRight = Math.max(0, ...this.placed.map((p) => p.boxX + p.boxWidth));
    // The counts sit just right of the widest box, not across a wide panel from it.
    const statsX = contentRight + STATS_GAP;
    const width = Math.ceil(statsX + statsWidth + PAD_X);
    const height = HEAD + this.placed.length * ROW + 8;
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.drawColumns(statsX, width);
    this.drawTrunks(model);
    this.drawRows(model, statsX, width);
    this.select(this.selectedKey, false);
  }

  private place(row: PathRow, index: number, maxRight: number): Placed {
    const y = HEAD + index * ROW;
    const x = contentX(row.depth);
    if (row.kind === 'more') {
      const title = `+${formatCount(row.groups)} more group${row.groups === 1 ? '' : 's'} · ${formatCount(row.count)} object${row.count === 1 ? '' : 's'}`;
      return { row, index, y, contentX: x, edgeWidth: 0, boxX: x, boxWidth: this.measure.width(title, TITLE_SIZE) + 16, badge: '', badgeWidth: 0, title, subtitle: '', step: '' };
    }
    const step = row.edge ? truncate(row.edge, STEP_MAX) : '';
    const edgeWidth = step ? Math.ceil(this.measureCode.width(step, EDGE_SIZE)) : 0;
    const boxX = step ? x + edgeWidth + 20 : x;
    const badge = row.node.rootKind ? roleInfo(row.role).badge : '';
    const bw = badgeWidth(badge, this.measure);
    const weight = row.role === 'static-map' ? 700 : 600;
    const fixed = 8 + (bw ? bw + 6 : 0) + 10;
    let title = truncate(row.node.label, TITLE_MAX);
    let subtitle = subtitleOf(row);
    const widthOf = () => Math.ceil(fixed + this.measure.width(title, TITLE_SIZE, weight) + (subtitle ? this.measure.width(subtitle, SUB_SIZE) + 8 : 0));
    if (boxX + widthOf() > maxRight) subtitle = '';
    for (let chars = title.length - 1; boxX + widthOf() > maxRight && chars >= TITLE_MIN; chars--) title = truncate(row.node.label, chars);
    return { row, index, y, contentX: x, edgeWidth, boxX, boxWidth: widthOf(), badge, badgeWidth: bw, title, subtitle, step };
  }

  private drawColumns(statsX: number, width: number): void {
    const heads = [
      { text: 'From the roots', x: PAD_X, anchor: 'start' },
      { text: 'objects', x: statsX + COUNT_WIDTH - 4, anchor: 'end' },
      ...(this.withRetained ? [{ text: 'retained', x: statsX + COUNT_WIDTH + RETAINED_WIDTH - 4, anchor: 'end' }] : []),
    ];
    select(this.svg)
      .select('g.columns')
      .selectAll('text')
      .data(heads)
      .join('text')
      .attr('x', (d) => d.x)
      .attr('y', 15)
      .attr('text-anchor', (d) => d.anchor)
      .text((d) => d.text);
    select(this.svg).select('g.columns').selectAll('line').data([0]).join('line').attr('x1', 0).attr('x2', width).attr('y1', HEAD - 2).attr('y2', HEAD - 2);
  }

  /**
   * Each node's trunk runs down from its box past its branches, as wide as
   * the objects still to leave it; each branch leaves it as wide as its own.
   * The last branch is the rest of the trunk: one bent line.
   */
  private drawTrunks(model: PathRows): void {
    const byKey = new Map(this.placed.map((p) => [p.row.key, p]));
    const segments: { key: string; kind: 'trunk' | 'branch'; child: number; d: string; width: number; more: boolean }[] = [];
    const childrenOf = new Map<string, Placed[]>();
    for (const p of this.placed) {
      if (p.row.parent === null) continue;
      const list = childrenOf.get(p.row.parent) ?? [];
      list.push(p);
      childrenOf.set(p.row.parent, list);
    }
    for (const [parentKey, children] of childrenOf) {
      const parent = byKey.get(parentKey);
      if (!parent) continue;
      const x = trunkX(parent.row.depth);
      let remaining = children.reduce((sum, c) => sum + c.row.count, 0);
      let fromY = parent.y + ROW / 2 + BOX / 2;
      children.forEach((child, i) => {
        const midY = child.y + ROW / 2;
        const more = child.row.kind === 'more';
        const width = branchWidth(child.row.count, model.reachable);
        const end = child.contentX - 3;
        if (i === children.length - 1) {
          segments.push({ key: `b${child.row.key}`, kind: 'branch', child: child.index, d: `M${x},${fromY}V${midY}H${end}`, width, more });
          return;
        }
        segments.push({ key: `t${child.row.key}`, kind: 'trunk', child: child.index, d: `M${x},${fromY}V${midY}`, width: branchWidth(remaining, model.reachable), more: false });
        segments.push({ key: `b${child.row.key}`, kind: 'branch', child: child.index, d: `M${x},${midY}H${end}`, width, more });
        remaining -= child.row.count;
        fromY = midY;
      });
    }
    select(this.svg)
      .select('g.trunks')
      .selectAll<SVGPathElement, (typeof segments)[number]>('path')
      .data(segments, (s) => s.key)
      .join('path')
      .attr('class', (s) => `${s.kind}${s.more ? ' to-more' : ''}`)
      .attr('data-child', (s) => s.child)
      .attr('d', (s) => s.d)
      .attr('stroke-width', (s) => s.width.toFixed(1));
  }

  private drawRows(model: PathRows, statsX: number, width: number): void {
    const rows = select(this.svg)
      .select('g.rows')
      .selectAll<SVGGElement, Placed>('g.path-row')
      .data(this.placed, (p) => p.row.key)
      .join(
        (enter) => {
          const g = enter.append('g');
          g.append('rect').attr('class', 'row-bg');
          g.append('text').attr('class', 'step');
          g.append('line').attr('class', 'step-arrow').attr('marker-end', 'url(#paths-arrow)');
          const node = g.append('g').attr('class', 'node');
          node.append('rect').attr('class', 'stack').attr('rx', 4);
          node.append('rect').attr('class', 'box').attr('rx', 4);
          node.append('rect').attr('class', 'badge-bg').attr('rx', 3);
          node.append('text').attr('class', 'badge');
          node.append('text').attr('class', 'title');
          node.append('text').attr('class', 'subtitle');
          g.append('text').attr('class', 'count').attr('text-anchor', 'end');
          g.append('text').attr('class', 'retained').attr('text-anchor', 'end');
          g.append('title');
          g.on('click', (_event: MouseEvent, p) => {
            this.select(p.row.key, false);
            this.events.selected(p.row);
            this.events.activate(p.row);
          });
          return g;
        },
        (update) => update,
        (exit) => exit.remove(),
      );
    rows
      .attr('class', (p) => `path-row ${p.row.kind}`)
      .attr('data-index', (p) => p.index)
      .attr('data-depth', (p) => p.row.depth)
      .attr('data-example', (p) => (p.row.kind === 'branch' && p.row.exampleId !== null ? p.row.exampleId : null))
      .attr('transform', (p) => `translate(0,${p.y})`);
    rows.select('rect.row-bg').attr('x', 0).attr('y', 0).attr('width', width).attr('height', ROW);
    const mid = ROW / 2;
    rows
      .select('text.step')
      .attr('x', (p) => p.contentX)
      .attr('y', mid)
      .attr('dy', '0.35em')
      .text((p) => p.step);
    rows
      .select('line.step-arrow')
      .attr('display', (p) => (p.step ? null : 'none'))
      .attr('x1', (p) => p.contentX + p.edgeWidth + 4)
      .attr('x2', (p) => p.boxX - 2)
      .attr('y1', mid)
      .attr('y2', mid);
    rows.each(function (p) {
      const node = select(this).select<SVGGElement>('g.node');
      node.attr('class', nodeClass(p.row));
      const top = (ROW - BOX) / 2;
      const repeated = p.row.kind === 'branch' && p.row.node.repeated === true;
      node.select('rect.stack').attr('display', repeated ? null : 'none').attr('x', p.boxX + 3).attr('y', top - 3).attr('width', p.boxWidth).attr('height', BOX);
      node.select('rect.box').attr('x', p.boxX).attr('y', top).attr('width', p.boxWidth).attr('height', BOX);
      let x = p.boxX + 8;
      node.select('rect.badge-bg').attr('display', p.badge ? null : 'none').attr('x', x).attr('y', mid - 6).attr('width', p.badgeWidth).attr('height', 12);
      node.select('text.badge').attr('display', p.badge ? null : 'none').attr('x', x + 4).attr('y', mid + 3.5).text(p.badge);
      if (p.badge) x += p.badgeWidth + 6;
      node.select('text.title').attr('x', x).attr('y', mid).attr('dy', '0.35em').text(p.title);
      node
        .select('text.subtitle')
        .attr('x', p.boxX + p.boxWidth - 10)
        .attr('text-anchor', 'end')
        .attr('y', mid)
        .attr('dy', '0.35em')
        .text(p.subtitle);
    });
    rows
      .select('text.count')
      .attr('x', statsX + COUNT_WIDTH - 4)
      .attr('y', mid)
      .attr('dy', '0.35em')
      .text((p) => (p.row.kind === 'branch' ? `×${formatCount(p.row.count)}` : ''));
    rows
      .select('text.retained')
      .attr('x', statsX + COUNT_WIDTH + RETAINED_WIDTH - 4)
      .attr('y', mid)
      .attr('dy', '0.35em')
      .text((p) => (this.withRetained && p.row.kind === 'branch' && p.row.retainedSize !== null ? formatBytes(p.row.retainedSize) : ''));
    rows.select('title').text((p) => tooltip(p.row, model.reachable));
  }

  private reveal(placed: Placed): void {
    const top = placed.y;
    const bottom = placed.y + ROW;
    const view = this.element;
    if (top - HEAD < view.scrollTop) view.scrollTop = Math.max(0, top - HEAD);
    else if (bottom > view.scrollTop + view.clientHeight) view.scrollTop = bottom - view.clientHeight;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.placed.length === 0) return;
    const at = this.placed.findIndex((p) => p.row.key === this.selectedKey);
    const current = this.placed[at];
    let to: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        to = at < 0 ? 0 : Math.min(this.placed.length - 1, at + 1);
        break;
      case 'ArrowUp':
        to = at < 0 ? 0 : Math.max(0, at - 1);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = this.placed.length - 1;
        break;
      case 'ArrowLeft':
        // To the holder.
        to = current ? this.placed.findIndex((p) => p.row.key === current.row.parent) : 0;
        break;
      case 'ArrowRight':
        // To its first branch.
        to = current ? this.placed.findIndex((p) => p.row.parent === current.row.key) : 0;
        break;
      case 'Enter':
      case ' ':
        if (current) {
          event.preventDefault();
          this.events.activate(current.row);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    if (to === undefined || to < 0) return;
    this.select(this.placed[to].row.key);
    this.events.selected(this.placed[to].row);
  }
}

function codeFont(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
}

function nodeClass(row: PathRow): string {
  if (row.kind === 'more') return 'node more';
  const classes = ['node', `role-${row.role}`];
  if (row.role === 'plain') classes.push('depth-3');
  if (row.node.repeated) classes.push('repeated');
  // Objects of the class end here though the node is drawn as a root (the class is a Map, an Array).
  if (row.objects > 0 && row.role !== 'target') classes.push('ends');
  return classes.join(' ');
}

/** The class name beside a root's code name (`Map`), `repeated` for a list or tree step, and objects that end on a pass-through node. */
function subtitleOf(row: BranchRow): string {
  const parts: string[] = [];
  const { node } = row;
  // A scope's or the global object's label says it all (`module scope of lib/jobs.js`, `globalThis`).
  const labelSaysAll = node.name.startsWith('system / ') || node.label === 'globalThis';
  if (node.label !== node.name && !labelSaysAll) parts.push(truncate(node.name, 32));
  if (node.repeated) parts.push('repeated');
  if (row.objects > 0 && row.objects < row.count) parts.push(`${formatCount(row.objects)} end here`);
  return parts.join(' · ');
}

/** Describes a row in words (hover text; the announcer reads the same). */
export function describeRow(row: PathRow, reachable: number): string {
  if (row.kind === 'more') return `${formatCount(row.groups)} more groups on ${formatCount(row.branches)} branches, ${formatCount(row.count)} objects. Enter shows ten more.`;
  const share = reachable > 0 ? ` (${Math.round((row.count / reachable) * 100)} % of them)` : '';
  const parts = [`${row.edge ? `${row.edge} → ` : ''}${row.node.label}: ${formatCount(row.count)} objects${share}`];
  if (row.retainedSize !== null) parts.push(`${formatBytes(row.retainedSize)} retained`);
  if (row.exampleId !== null) parts.push(`Enter opens ${formatId(row.exampleId)}${row.groupLabel ? ` (via ${row.groupLabel})` : ''}`);
  return parts.join(', ');
}

function tooltip(row: PathRow, reachable: number): string {
  if (row.kind === 'more') return `${formatCount(row.branches)} more branches here (${formatCount(row.groups)} groups, ${formatCount(row.count)} objects). Click to show ten more.`;
  const lines = [row.groupLabel || row.node.label, `${row.node.label}${row.node.label !== row.node.name ? ` (${row.node.name})` : ''}`, `${formatCount(row.count)} of ${formatCount(reachable)} objects · self ${formatBytes(row.selfSize)}${row.retainedSize !== null ? ` · retained ${formatBytes(row.retainedSize)}` : ''}`];
  if (row.exampleId !== null) lines.push(`Click: the retainer graph of ${formatId(row.exampleId)}`);
  return lines.join('\n');
}
