/**
 * The readings of one memory chart, kept small enough to post whole every
 * second for hours: the last RECENT_MS at full resolution, older readings
 * folded into min/max buckets (as DevTools' performance monitor keeps a
 * window and profilers' timelines fold what scrolled out), and the buckets
 * merged pairwise, doubling their width, when there are too many. An hour
 * at one reading a second is 600 points and at most MAX_BUCKETS buckets.
 * No vscode: plain-Node tests drive it.
 */
import type { HeapBucket, HeapPoint, MemorySeries, PausedSpan, PinnedCounts, SnapshotMarker } from '../../protocol/memoryChart';

export const RECENT_MS = 10 * 60_000;
export const BUCKET_MS = 30_000;
export const MAX_BUCKETS = 240;
const MAX_MARKERS = 500;
const MAX_COUNTS = 1000;

export class HeapSeries {
  private readonly older: HeapBucket[] = [];
  private readonly recent: HeapPoint[] = [];
  private readonly markers: SnapshotMarker[] = [];
  private readonly paused: PausedSpan[] = [];
  private readonly pinned = new Map<string, PinnedCounts>();
  private bucketMs = BUCKET_MS;

  add(point: HeapPoint): void {
    this.recent.push(point);
    const cutoff = point.at - RECENT_MS;
    while (this.recent.length > 0 && this.recent[0].at < cutoff) this.fold(this.recent.shift()!);
    if (this.older.length > MAX_BUCKETS) this.halve();
  }

  mark(label: string, at: number): void {
    this.markers.push({ at, label });
    if (this.markers.length > MAX_MARKERS) this.markers.shift();
  }

  pause(at: number): void {
    if (this.isPaused) return;
    this.paused.push({ from: at, to: null });
  }

  resume(at: number): void {
    const last = this.paused.at(-1);
    if (last && last.to === null) last.to = at;
  }

  get isPaused(): boolean {
    return this.paused.at(-1)?.to === null;
  }

  get readings(): number {
    return this.recent.length + this.older.length;
  }

  pin(className: string): void {
    if (!this.pinned.has(className)) this.pinned.set(className, { className, points: [] });
  }

  unpin(className: string): void {
    this.pinned.delete(className);
  }

  get pinnedClasses(): string[] {
    return [...this.pinned.keys()];
  }

  count(className: string, at: number, count: number): void {
    const line = this.pinned.get(className);
    if (!line) return;
    line.points.push({ at, count });
    delete line.error;
    // Counts come every few seconds: thinning the older half keeps the line's shape.
    if (line.points.length > MAX_COUNTS) line.points = line.points.filter((_, i) => i % 2 === 0 || i >= MAX_COUNTS / 2);
  }

  countFailed(className: string, message: string): void {
    const line = this.pinned.get(className);
    if (line) line.error = message;
  }

  /** A copy to post: the page may keep it. */
  toJSON(label: string, state: MemorySeries['state'], message?: string): MemorySeries {
    return {
      label,
      older: this.older.map((bucket) => ({ ...bucket })),
      recent: this.recent.map((point) => ({ ...point })),
      markers: this.markers.map((marker) => ({ ...marker })),
      paused: this.paused.map((span) => ({ ...span })),
      pinned: [...this.pinned.values()].map((line) => ({ ...line, points: line.points.map((point) => ({ ...point })) })),
      state,
      ...(message ? { message } : {}),
    };
  }

  private fold(point: HeapPoint): void {
    const last = this.older.at(-1);
    if (last && point.at < last.from + this.bucketMs) {
      last.to = point.at;
      last.usedMin = Math.min(last.usedMin, point.used);
      last.usedMax = Math.max(last.usedMax, point.used);
      last.total = Math.max(last.total, point.total);
      return;
    }
    this.older.push({ from: point.at, to: point.at, usedMin: point.used, usedMax: point.used, total: point.total });
  }

  /** Too many buckets: merge neighbours, and fold later readings into buckets twice as wide. */
  private halve(): void {
    const merged: HeapBucket[] = [];
    for (let i = 0; i < this.older.length; i += 2) {
      const a = this.older[i];
      const b = this.older[i + 1];
      merged.push(b ? { from: a.from, to: b.to, usedMin: Math.min(a.usedMin, b.usedMin), usedMax: Math.max(a.usedMax, b.usedMax), total: Math.max(a.total, b.total) } : a);
    }
    this.older.splice(0, this.older.length, ...merged);
    this.bucketMs *= 2;
  }
}
