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

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = { left: 52, right: 40, top: 8, bottom: 18 };

export interface ChartGeometry {
  used: string;
  /** The older readings' min/max band, as a closed polygon (empty when none). */
  band: string;
  total: string;
  markers: { x: number; label: string }[];
  paused: { x: number; width: number }[];
  pinned: { className: string; points: string; last: number | null; error?: string }[];
  /** Left axis: bytes at the top; right axis: the highest count. */
  maxBytes: number;
  maxCount: number;
  from: number;
  to: number;
}

/** Where everything goes in a width × height chart; pure, so tests check it without a page. */
export function chartGeometry(series: MemorySeries, width: number, height: number, now = Date.now()): ChartGeometry {
  const times = [...series.older.map((b) => b.from), ...series.recent.map((p) => p.at)];
  const from = times.length > 0 ? Math.min(...times) : now - 60_000;
  const lastReading = series.recent.at(-1)?.at ?? series.older.at(-1)?.to ?? now;
  const to = Math.max(series.state === 'running' ? now : lastReading, from + 10_000);
  const maxBytes = Math.max(1, ...series.older.map((b) => b.total), ...series.recent.map((p) => p.total));
  const counts = series.pinned.flatMap((line) => line.points.map((p) => p.count));
  const maxCount = Math.max(1, ...counts);
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = Math.max(10, height - PAD.top - PAD.bottom);
  const x = (at: number) => PAD.left + ((at - from) / (to - from)) * plotW;
  const yBytes = (bytes: number) => PAD.top + plotH - (bytes / (maxBytes * 1.05)) * plotH;
  const yCount = (count: number) => PAD.top + plotH - (count / (maxCount * 1.1)) * plotH;
  const pt = (px: number, py: number) => `${px.toFixed(1)},${py.toFixed(1)}`;

  const usedPoints = [...series.older.map((b) => pt(x(b.to), yBytes((b.usedMin + b.usedMax) / 2))), ...series.recent.map((p) => pt(x(p.at), yBytes(p.used)))];
  const band = series.older.length === 0 ? '' : [...series.older.map((b) => pt(x(b.from), yBytes(b.usedMax))), ...[...series.older].reverse().map((b) => pt(x(b.to), yBytes(b.usedMin)))].join(' ');
  const total = [...series.older.map((b) => pt(x(b.to), yBytes(b.total))), ...series.recent.map((p) => pt(x(p.at), yBytes(p.total)))].join(' ');
  return {
    used: usedPoints.join(' '),
    band,
    total,
    markers: series.markers.filter((m) => m.at >= from && m.at <= to).map((m) => ({ x: x(m.at), label: m.label })),
    paused: series.paused.map((span) => {
      const start = x(Math.max(span.from, from));
      return { x: start, width: Math.max(1, x(span.to ?? to) - start) };
    }),
    pinned: series.pinned.map((line) => ({
      className: line.className,
      points: line.points.map((p) => pt(x(p.at), yCount(p.count))).join(' '),
      last: line.points.at(-1)?.count ?? null,
      ...(line.error ? { error: line.error } : {}),
    })),
    maxBytes,
    maxCount,
    from,
    to,
  };
}

/** The chart and its one-line legend, redrawn whole at each reading (a few hundred points). */
export class MemoryChart {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLElement;
  private readonly status: HTMLElement;
  private series: MemorySeries | null = null;

  constructor(private readonly height = 140) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'memory-chart');
    this.svg.setAttribute('role', 'img');
    this.legend = h('div', { class: 'memory-legend' });
    this.status = h('div', { class: 'memory-status', role: 'status' });
    this.element = h('section', { class: 'memory', 'aria-label': 'Memory over time' }, this.legend, this.svg, this.status);
    new ResizeObserver(() => this.draw()).observe(this.element);
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
    const width = Math.max(200, this.element.clientWidth || 400);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(this.height));
    this.svg.setAttribute('viewBox', `0 0 ${width} ${this.height}`);
    const g = chartGeometry(series, width, this.height);
    const last = series.recent.at(-1);
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

    const items: (Node | string)[] = [h('span', { class: 'key used' }, last ? `Heap used ${formatBytes(last.used)}` : 'Heap used —'), h('span', { class: 'key total' }, last ? `of ${formatBytes(last.total)}` : '')];
    g.pinned.forEach((line, i) => items.push(h('span', { class: `key pinned-${i % 4}`, 'data-class': line.className, title: line.error ?? undefined }, `${truncate(line.className, 40)}: ${line.error ? 'count failed' : line.last === null ? 'counting…' : formatCount(line.last)}`)));
    this.legend.append(...items);
    this.status.textContent = statusText(series);
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

export function statusText(series: MemorySeries): string {
  if (series.state === 'paused') return `Paused in the debugger: no readings until ${series.label} runs again.`;
  if (series.state === 'stopped') return series.message ? `Stopped. ${series.message}` : 'Stopped.';
  return `${series.label}: Runtime.getHeapUsage every second; nothing is evaluated in the program.`;
}

function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
