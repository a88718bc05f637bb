/**
 * The VS Code webview API boundary, shared by every webview: typed calls to
 * the extension host over rpc.ts, its events, and state persistence.
 * `acquireVsCodeApi` may be called once per page, so this module owns it.
 */
import { isToClient, RpcClient, type ToClient, type ToServer } from '../src/protocol/rpc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** One page's host: `Api` it calls, events `E` it receives, state `S` it keeps across reloads. */
export interface Host<Api, E, S> {
  /** Calls to the host; each resolves with its own reply or rejects with the host's words. */
  readonly rpc: RpcClient<Api, E>;
  /** Starts delivering host events to `listener`. */
  listen(listener: (event: E) => void): void;
  loadState(): S | undefined;
  saveState(state: S): void;
}

/** `isState` checks a saved state's shape: it comes back from a previous page version. */
export function connectHost<Api, E, S>(isState: (value: unknown) => value is S): Host<Api, E, S> {
  const api = acquireVsCodeApi();
  let listener: ((event: E) => void) | undefined;
  const rpc = new RpcClient<Api, E>((message: ToServer<Api>) => api.postMessage(message), { onEvent: (event) => listener?.(event) });
  return {
    rpc,
    listen: (onEvent) => {
      listener = onEvent;
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (isToClient(event.data)) rpc.receive(event.data as ToClient<E>);
      });
    },
    loadState: () => {
      const saved = api.getState();
      return isState(saved) ? saved : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}
