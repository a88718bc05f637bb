/**
 * The VS Code webview API boundary: typed posting and state persistence.
 * `acquireVsCodeApi` may be called once per page, so this module owns it.
 */
import type { WebviewToHost } from '../src/protocol/webview';
import type { PersistedState } from './state';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewToHost): void;
  loadState(): PersistedState | undefined;
  saveState(state: PersistedState): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => {
      const saved = api.getState();
      return isPersistedState(saved) ? saved : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}

/** Saved state comes back from a previous page version; check its shape before trusting it. */
function isPersistedState(value: unknown): value is PersistedState {
  if (typeof value !== 'object' || value === null) return false;
  const walk = (value as { walk?: unknown }).walk;
  return typeof walk === 'object' && walk !== null && Array.isArray((walk as { nodes?: unknown }).nodes);
}
