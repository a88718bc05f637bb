/**
 * The VS Code webview API boundary: typed calls to the extension host over
 * rpc.ts, its events, and state persistence. `acquireVsCodeApi` may be called
 * once per page, so this module owns it.
 */
import { isToClient, RpcClient } from '../src/protocol/rpc';
import type { ToHost, ToWebview, WebviewApi, WebviewEvent } from '../src/protocol/webview';
import type { PersistedState } from './state';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  /** Calls to the host; each resolves with its own reply or rejects with the host's words. */
  readonly rpc: RpcClient<WebviewApi, WebviewEvent>;
  /** Starts delivering host events to `listener`. */
  listen(listener: (event: WebviewEvent) => void): void;
  loadState(): PersistedState | undefined;
  saveState(state: PersistedState): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  let listener: ((event: WebviewEvent) => void) | undefined;
  const rpc = new RpcClient<WebviewApi, WebviewEvent>((message: ToHost) => api.postMessage(message), { onEvent: (event) => listener?.(event) });
  return {
    rpc,
    listen: (onEvent) => {
      listener = onEvent;
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (isToClient(event.data)) rpc.receive(event.data as ToWebview);
      });
    },
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
