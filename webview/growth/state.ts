/** What survives the Growth view being hidden and shown again (`vscode.setState`): the report and how the user was looking at it. */
import type { GrowthReport, MergedPaths } from '../../src/protocol/growth';
import type { GrowthSource, PathsScope } from '../../src/protocol/growthView';
import type { Sort } from './dataTable';

export interface GrowthState {
  title: string;
  source: GrowthSource | null;
  /** Null for a single snapshot (only merged paths to show). */
  report: GrowthReport | null;
  /** The class whose merged paths are open. */
  open: { className: string; scope: PathsScope } | null;
  /** Its merged paths, when small enough to keep (else asked for again). */
  paths: MergedPaths | null;
  /** Branches the user asked to see per tree node (pathRows.ts). */
  shown: Record<string, number>;
  sort: Sort;
  filter: string;
  /** Share of the height the merged paths take under the report. */
  pathsShare: number;
  allSuspects: boolean;
  /** Classes pinned on the memory chart (a live recording). */
  pinned?: string[];
  /** Merged paths split by allocation site. */
  bySite?: boolean;
}

/** Past this many groups the paths are not kept in the saved state (it is serialized on every change); they are asked for again. */
export const KEPT_GROUPS = 500;

export function initialState(title: string): GrowthState {
  return {
    title,
    source: null,
    report: null,
    open: null,
    paths: null,
    shown: {},
    // The engine's own order: the growth of self size, largest first.
    sort: { column: 'sizeDelta', descending: true },
    filter: '',
    pathsShare: 0.55,
    allSuspects: false,
  };
}

/** Saved state comes back from a previous page version; check its shape before trusting it. */
export function isGrowthState(value: unknown): value is GrowthState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<GrowthState>;
  return typeof state.title === 'string' && typeof state.sort === 'object' && state.sort !== null && typeof state.shown === 'object' && 'report' in state && 'open' in state;
}
