/**
 * The memory chart: a live target's V8 heap over time (Runtime.getHeapUsage,
 * about once a second), its snapshots marked, the spans the debugger held it
 * paused, and the instance counts of the classes pinned in a growth
 * recording. Plain data the host keeps and posts whole to the pages that draw
 * it (the Growth view, the Memory view beside the debugger). Labels are heap
 * strings (class names): shown as text only.
 */

/** One reading: epoch ms, bytes. */
export interface HeapPoint {
  at: number;
  used: number;
  total: number;
}

/** Older readings folded into one span: the lowest and highest `used`, the highest `total`. */
export interface HeapBucket {
  from: number;
  to: number;
  usedMin: number;
  usedMax: number;
  total: number;
}

/** A heap snapshot of the target, at the moment it began. */
export interface SnapshotMarker {
  at: number;
  /** `snapshot 2`, `snapshot for Show Retainers`. */
  label: string;
}

/** A span the debugger held the program paused (`to` null: paused now). */
export interface PausedSpan {
  from: number;
  to: number | null;
}

/** A class pinned in the Growth view: its live instance count over time. */
export interface PinnedCounts {
  className: string;
  points: { at: number; count: number }[];
  /** Why the last count failed, if it did (shown by its line). */
  error?: string;
}

export interface MemorySeries {
  /** `127.0.0.1:9229`, `debug session "Launch app"`. */
  label: string;
  /** Buckets before `recent`, oldest first. */
  older: HeapBucket[];
  /** Every reading of the last minutes, oldest first. */
  recent: HeapPoint[];
  markers: SnapshotMarker[];
  paused: PausedSpan[];
  pinned: PinnedCounts[];
  /** Polling: `running`, `paused` (the debugger holds the program), `stopped` (the target ended, or the chart was closed). */
  state: 'running' | 'paused' | 'stopped';
  /** Why it stopped, in the user's words. */
  message?: string;
}

/** The Memory view's calls (a notification: the answer is the `series` event). */
export interface MemoryViewApi {
  ready(): void;
}

export type MemoryViewEvent =
  /** The whole series, posted at every reading (small: the old part is folded into buckets). */
  | { type: 'series'; series: MemorySeries | null; hint?: string };
