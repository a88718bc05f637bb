/**
 * Where the memory chart draws everything (webview/live/memoryChart.ts):
 * pure, no DOM, so tests check it in plain Node.
 */
import type { MemorySeries } from '../../src/protocol/memoryChart';

export const PAD = { left: 52, right: 40, top: 8, bottom: 18 };

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

export function statusText(series: MemorySeries): string {
  if (series.state === 'paused') return `Paused in the debugger: no readings until ${series.label} runs again.`;
  if (series.state === 'stopped') return series.message ? `Stopped. ${series.message}` : 'Stopped.';
  return `${series.label}: Runtime.getHeapUsage every second; nothing is evaluated in the program.`;
}

