/**
 * What a Growth view shows and can do: a live recording, a comparison of
 * snapshot files, or the merged paths of one snapshot's class. The view
 * (growthPanel.ts) serves GrowthViewApi from it and passes its changes on as
 * events.
 */
import type * as vscode from 'vscode';
import type { GrowthReport } from '../../protocol/growth';
import type { MemorySeries } from '../../protocol/memoryChart';
import type { GrowthSource, GrowthViewEvent } from '../../protocol/growthView';
import type { SnapshotKey } from '../snapshots/snapshotKeys';
import type { KeptSnapshot } from '../snapshots/snapshotStore';

/** A change the view shows as it happens. */
export type GrowthChange = Extract<GrowthViewEvent, { type: 'report' | 'source' | 'busy' | 'error' | 'memory' }>;

export interface GrowthModel {
  /** The kept snapshot behind it; one view per key. */
  readonly key: SnapshotKey;
  /** The view's title: `Growth — 127.0.0.1:9229`. */
  readonly title: string;
  readonly source: GrowthSource;
  /** Null while there is one snapshot. */
  readonly report: GrowthReport | null;
  readonly onDidChange: vscode.Event<GrowthChange>;
  /** The latest snapshot, for merged paths and single-object graphs; throws in the user's words when it is gone. */
  latest(): KeptSnapshot;
  takeNext(): Promise<void>;
  stop(): Promise<void>;
  save(): Promise<void>;
  /** Its view opened or closed: what only the view needed goes once it closes. */
  viewOpened(): void;
  viewClosed(): void;
  /** A live recording's memory chart (kept after it stopped); null for files. */
  readonly memory?: MemorySeries | null;
  /** Pins a class's live count on the memory chart (while recording). */
  pin?(className: string, pinned: boolean): Promise<void>;
  /** Watches every object of a group of merged paths (while the recording's session is open). */
  watch?(ids: number[], label: string): Promise<{ alive: number; collected: number }>;
}

/** Views keyed by what they show; the title every Growth view has. */
export function growthTitle(label: string): string {
  return `Growth — ${label}`;
}
