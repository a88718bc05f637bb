/**
 * The Growth view's contract with the extension host, on the same typed RPC
 * as the retainer graph view (rpc.ts): the webview calls `GrowthViewApi`
 * (replies matched to calls; failures come back in the host's words) and the
 * host sends `GrowthViewEvent`s. Handshake: the webview notifies `ready`, the
 * host answers with the `init` event. Every heap string in these types is
 * shown as text, never as HTML.
 */
import type { GrowthReport, MergedPaths } from './growth';
import type { MemorySeries } from './memoryChart';
import type { ToClient, ToServer } from './rpc';

/** Where the compared snapshots come from, and what the user can still do with them. */
export interface GrowthSource {
  /** How the view names it: `127.0.0.1:9229`, `debug session "Launch app"`, `3 files`. */
  label: string;
  /** A recording of a live target, still able to take more snapshots. */
  recording: boolean;
  /** Snapshots taken or loaded so far (the report may lag by one while a snapshot loads). */
  snapshots: number;
  /** Can the snapshots be saved as `.heapsnapshot` files (kept on disk for that)? */
  canSave: boolean;
}

/** Whose merged paths: the objects allocated since the first snapshot, or every instance. */
export type PathsScope = 'new' | 'all';

export interface GrowthViewApi {
  /** The webview's script is running and listening (a notification: the answer is the `init` event). */
  ready(): void;
  /** Merged shortest paths of a class's objects in the last snapshot; split by allocation site when asked and the snapshot has stacks. */
  mergedPaths(className: string, scope: PathsScope, options?: { byAllocationSite?: boolean }): Promise<MergedPaths>;
  /**
   * Pin (or unpin) a class during a recording: its live instance count is
   * drawn on the memory chart every few seconds (Runtime.queryObjects).
   */
  pin(className: string, pinned: boolean): Promise<void>;
  /**
   * Watch Until Collected on every object of one merged-path group (the
   * group at `groupIndex` of `mergedPaths(className, scope, options)`), in
   * the Watches view. Resolves with what the first check found.
   */
  watchGroup(className: string, scope: PathsScope, groupIndex: number, label: string, options?: { byAllocationSite?: boolean }): Promise<{ alive: number; collected: number }>;
  /** Open the single-object retainer graph of one object of the last snapshot (an example id of a group). */
  showObject(id: number): Promise<void>;
  /** Take one more snapshot of the recording (the view updates with the `report` event). */
  takeNext(): Promise<void>;
  /** Stop recording: the target is left as found; the report stays on screen. */
  stop(): Promise<void>;
  /** Save the snapshots as `.heapsnapshot` files in a folder the user picks. */
  save(): Promise<void>;
}

export type GrowthViewEvent =
  /**
   * First event after `ready`. `report` is null for a single snapshot (no
   * growth to show); `focus` opens the merged paths of one class at once
   * (the class picker's "All N instances — merged paths").
   */
  | { type: 'init'; title: string; source: GrowthSource; report: GrowthReport | null; focus?: { className: string; scope: PathsScope }; memory?: MemorySeries | null }
  /** The recorded target's memory chart (a live recording only), at every reading. */
  | { type: 'memory'; series: MemorySeries }
  /** A new report (another snapshot arrived, or the recording stopped). */
  | { type: 'report'; source: GrowthSource; report: GrowthReport }
  /** The source changed without a new report (recording stopped, snapshot being taken). */
  | { type: 'source'; source: GrowthSource }
  /** The host is working (taking or loading a snapshot); shown until the next report or message, or until the recording stops. */
  | { type: 'busy'; message: string }
  /** Something failed outside a call; shown in the view as text. */
  | { type: 'error'; message: string };

/** What the Growth view posts. */
export type ToGrowthHost = ToServer<GrowthViewApi>;
/** What the host posts to the Growth view. */
export type ToGrowthView = ToClient<GrowthViewEvent>;
