/** What survives a webview reload (`vscode.setState`): the walk and how the user was looking at it. */
import type { Walk } from '../src/protocol/walk';
import type { ViewSettings } from '../src/protocol/webview';
import type { SavedHistory } from './history';
import type { SavedTransform } from './render';

export interface PersistedState {
  walk: Walk;
  title: string;
  settings: ViewSettings;
  /** Key of the selected view node (nodeKeys.ts), if any. */
  selection: string | null;
  /** Whether the details pane was open. */
  detailsOpen: boolean;
  transform: SavedTransform | null;
  /** Nodes whose view-collapsed retainers the user expanded. */
  expanded: number[];
  /** Back and forward, around `walk`. */
  history?: SavedHistory;
  /** Workspace folders, for source files read relative to them. */
  folders?: string[];
}

export const DEFAULT_SETTINGS: ViewSettings = { hideDebugger: true, showInternals: false };

/** Saved state comes back from a previous page version; check its shape before trusting it. */
export function isPersistedState(value: unknown): value is PersistedState {
  if (typeof value !== 'object' || value === null) return false;
  const walk = (value as { walk?: unknown }).walk;
  return typeof walk === 'object' && walk !== null && Array.isArray((walk as { nodes?: unknown }).nodes);
}
