/**
 * The memory chart, drawn as plain SVG (no HTML from data: class names and
 * labels only ever become text nodes): the heap's used bytes as a line over
 * time (older readings as a min/max band), its total as a thin line, every
 * snapshot as a marker with its name, paused spans shaded, and each pinned
 * class's instance count as a line on its own scale (right axis). Shared by
 * the Growth view and the Memory view.
 */
import type { MemorySeries } from '../../src/protocol/memoryChart';
import { clear, h } from '../dom';
import { formatBytes, formatCount, truncate } from '../format';
import { chartGeometry, PAD, statusText } from './chartGeometry';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Below this a filled chart scrolls rather than squeezing its axes together. */
const MIN_FILL_HEIGHT = 80;
/** The section's bottom margin and the body's padding under a filled chart. */
const FILL_MARGIN = 16;

/** The chart and its one-line legend, redrawn whole at each reading (a few hundred points). */
export class MemoryChart {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLElement;
  private readonly status: HTMLElement;
  private series: MemorySeries | null = null;

  private height: number;

  /**
   * `height` in pixels, or 'fill': as tall as the page leaves room for (the
   * Memory view, whose height the user sets by dragging its pane).
   */
  constructor(private readonly size: number | 'fill' = 140) {
    this.height = size === 'fill' ? MIN_FILL_HEIGHT : size;
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'memory-chart');
    this.svg.setAttribute('role', 'img');
    this.legend = h('div', { class: 'memory-legend' });
    this.status = h('div', { class: 'memory-status', role: 'status' });
    this.element = h('section', { class: 'memory', 'aria-label': 'Memory over time' }, this.legend, this.svg, this.status);
    new ResizeObserver(() => this.draw()).observe(this.element);
    if (size === 'fill') window.addEventListener('resize', () => this.draw());
  }

  show(series: MemorySeries | null): void {
    this.series = series;
    this.draw();
  }

  private draw(): void {
    const series = this.series;
    clear(this.svg);
    clear(this.legend);
    this.element.dataset.state = series?.state ?? 'none';
    this.element.dataset.readings = String(series ? series.recent.length + series.older.length : 0);
    if (!series) {
      this.status.textContent = '';
      return;
    }
    const last = series.recent.at(-1);
    const items: (Node | string)[] = [h('span', { class: 'key used' }, last ? `Heap used ${formatBytes(last.used)}` : 'Heap used —'), h('span', { class: 'key total' }, last ? `of ${formatBytes(last.total)}` : '')];
    for (const [i, line] of series.pinned.entries()) {
      const count = line.points.at(-1)?.count;
      items.push(h('span', { class: `key pinned-${i % 4}`, 'data-class': line.className, title: line.error ?? undefined }, `${truncate(line.className, 40)}: ${line.error ? 'count failed' : count === undefined ? 'counting…' : formatCount(count)}`));
    }
    this.legend.append(...items);
    this.status.textContent = statusText(series);
    // Legend and status laid out first: a filled chart takes the height they leave.
    if (this.size === 'fill') this.height = Math.max(MIN_FILL_HEIGHT, Math.floor(window.innerHeight - this.element.getBoundingClientRect().top - this.legend.offsetHeight - this.status.offsetHeight - FILL_MARGIN));
    const width = Math.max(200, this.element.clientWidth || 400);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(this.height));
    this.svg.setAttribute('viewBox', `0 0 ${width} ${this.height}`);
    const g = chartGeometry(series, width, this.height);
    this.svg.setAttribute('aria-label', last ? `Heap of ${series.label}: ${formatBytes(last.used)} used of ${formatBytes(last.total)}` : `Heap of ${series.label}: no reading yet`);
    for (const span of g.paused) this.add('rect', { class: 'paused-span', x: span.x, y: PAD.top, width: span.width, height: this.height - PAD.top - PAD.bottom }, 'paused in the debugger');
    if (g.band) this.add('polygon', { class: 'used-band', points: g.band });
    if (g.total) this.add('polyline', { class: 'total', points: g.total });
    if (g.used) this.add('polyline', { class: 'used', points: g.used });
    g.pinned.forEach((line, i) => {
      if (line.points) this.add('polyline', { class: `pinned pinned-${i % 4}`, points: line.points, 'data-class': line.className }, `${line.className} instances`);
    });
    for (const marker of g.markers) {
      this.add('line', { class: 'snapshot-marker', x1: marker.x, x2: marker.x, y1: PAD.top, y2: this.height - PAD.bottom }, marker.label);
      this.text({ class: 'snapshot-label', x: marker.x + 2, y: PAD.top + 9 }, truncate(marker.label, 24));
    }
    this.text({ class: 'axis', x: 2, y: PAD.top + 9 }, formatBytes(g.maxBytes));
    this.text({ class: 'axis', x: 2, y: this.height - PAD.bottom }, '0');
    if (g.pinned.length > 0) this.text({ class: 'axis right', x: width - PAD.right + 4, y: PAD.top + 9 }, formatCount(g.maxCount));
    this.text({ class: 'axis', x: PAD.left, y: this.height - 4 }, clock(g.from));
    this.text({ class: 'axis end', x: width - PAD.right, y: this.height - 4 }, clock(g.to));

  }

  private add(tag: string, attrs: Record<string, string | number>, title?: string): void {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
    if (title) {
      const tip = document.createElementNS(SVG_NS, 'title');
      tip.textContent = title;
      el.append(tip);
    }
    this.svg.append(el);
  }

  private text(attrs: Record<string, string | number>, text: string): void {
    const el = document.createElementNS(SVG_NS, 'text');
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
    el.textContent = text;
    this.svg.append(el);
  }
}

function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
