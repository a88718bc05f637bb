/**
 * A small typed RPC over a message channel, derived from one API interface:
 * the engine worker (worker_threads) and the webview (postMessage) both cross
 * their boundary with it. Model: vscode-js-profile-visualizer `heapsnapshot/rpc.ts`.
 * No node or DOM imports: the webview bundle uses it too.
 *
 * Every call resolves or rejects: results are `{ ok }` or `{ error }`, replies
 * are matched to their calls by sequence number, and when the other side goes
 * away (`dispose(reason)`) everything pending rejects. Fire-and-forget
 * notifications (snapshot chunks) carry no sequence number; a notification
 * that fails is reported at once, so the client can stop feeding a stream the
 * server has already rejected.
 */

/** Keys of `Api` whose values are functions. */
export type MethodOf<Api> = { [K in keyof Api]: Api[K] extends (...args: never[]) => unknown ? K : never }[keyof Api];

type Fn<Api, K extends keyof Api> = Api[K] extends (...args: infer A) => infer R ? { args: A; result: Awaited<R> } : never;

export type ArgsOf<Api, K extends keyof Api> = Fn<Api, K>['args'];
export type ResultOf<Api, K extends keyof Api> = Fn<Api, K>['result'];

/** A request that expects an answer. */
export interface Call<Api, K extends MethodOf<Api> = MethodOf<Api>> {
  kind: 'call';
  seq: number;
  method: K;
  args: ArgsOf<Api, K>;
}

/** A request that expects none (high-volume, ordered: snapshot chunks). */
export interface Notification<Api, K extends MethodOf<Api> = MethodOf<Api>> {
  kind: 'notify';
  method: K;
  args: ArgsOf<Api, K>;
}

/** An error as it crosses the boundary: `name` keeps typed errors recognizable. */
export interface WireError {
  name: string;
  message: string;
}

export type Reply = { kind: 'reply'; seq: number; ok: unknown } | { kind: 'reply'; seq: number; error: WireError };

/** A notification the server could not handle (later ones of the same stream may be ignored). */
export interface NotificationFailure {
  kind: 'notifyFailed';
  method: string;
  error: WireError;
}

/** Something the server tells the client unasked (progress, a new walk to draw). */
export interface EventMessage<E> {
  kind: 'event';
  event: E;
}

export type ToServer<Api> = Call<Api> | Notification<Api>;
export type ToClient<E> = Reply | NotificationFailure | EventMessage<E>;

/** An error raised on the other side of the boundary, with its original name. */
export class RemoteError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = remoteName;
  }
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/**
 * Shape checks for messages from a side that may also carry other traffic (a
 * webview's window receives more than our replies); the payload types are the
 * protocol's promise, not checked here.
 */
export function isToClient(value: unknown): value is ToClient<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { kind?: unknown; seq?: unknown; method?: unknown };
  if (message.kind === 'reply') return typeof message.seq === 'number';
  if (message.kind === 'notifyFailed') return typeof message.method === 'string';
  return message.kind === 'event';
}

export function isToServer(value: unknown): value is ToServer<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { kind?: unknown; seq?: unknown; method?: unknown; args?: unknown };
  if (typeof message.method !== 'string' || !Array.isArray(message.args)) return false;
  return message.kind === 'notify' || (message.kind === 'call' && typeof message.seq === 'number');
}

export interface RpcClientHandlers<Api, E> {
  /** Events the server sends unasked. */
  onEvent?(event: E): void;
  /** A notification failed on the server: `method` names it. */
  onNotificationFailed?(method: MethodOf<Api>, error: RemoteError): void;
}

/** The client side: typed `call` and `notify`, and rejection of all pending calls on dispose. */
export class RpcClient<Api, E> {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private closedWith: Error | undefined;

  constructor(
    private readonly post: (message: ToServer<Api>) => void,
    private readonly handlers: RpcClientHandlers<Api, E> = {},
  ) {}

  call<K extends MethodOf<Api>>(method: K, ...args: ArgsOf<Api, K>): Promise<ResultOf<Api, K>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const seq = ++this.seq;
    return new Promise<ResultOf<Api, K>>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'call', seq, method, args });
    });
  }

  notify<K extends MethodOf<Api>>(method: K, ...args: ArgsOf<Api, K>): void {
    if (this.closedWith) return;
    this.post({ kind: 'notify', method, args });
  }

  /** Feed every message from the server here. */
  receive(message: ToClient<E>): void {
    switch (message.kind) {
      case 'event':
        this.handlers.onEvent?.(message.event);
        return;
      case 'notifyFailed':
        this.handlers.onNotificationFailed?.(message.method as MethodOf<Api>, new RemoteError(message.error.name, message.error.message));
        return;
      case 'reply': {
        const waiter = this.pending.get(message.seq);
        if (!waiter) return;
        this.pending.delete(message.seq);
        if ('error' in message) waiter.reject(new RemoteError(message.error.name, message.error.message));
        else waiter.resolve(message.ok);
        return;
      }
      default: {
        const unknown: never = message;
        void unknown;
      }
    }
  }

  /** The server is gone: reject everything pending and every later call with `reason`. */
  dispose(reason: Error): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const waiter of this.pending.values()) waiter.reject(reason);
    this.pending.clear();
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }
}

/**
 * The server side: dispatches calls and notifications to `api`. Returns the
 * function to feed each incoming message to; replies go out through `post`,
 * with the buffers `transferOf` names for a method's result moved, not copied.
 */
export function serveRpc<Api extends object, E>(
  api: Api,
  post: (message: ToClient<E>, transfer?: ArrayBuffer[]) => void,
  transferOf?: (method: MethodOf<Api>, result: unknown) => ArrayBuffer[],
): (message: ToServer<Api>) => Promise<void> {
  const invoke = (method: MethodOf<Api>, args: unknown[]): unknown => {
    // Object's own methods (constructor, toString…) are not part of any API.
    const fn = method in Object.prototype ? undefined : (api[method] as unknown);
    if (typeof fn !== 'function') throw new Error(`Unknown method ${String(method)}.`);
    return (fn as (...a: unknown[]) => unknown).apply(api, args);
  };
  return async (message) => {
    if (message.kind === 'notify') {
      try {
        await invoke(message.method, message.args as unknown[]);
      } catch (error) {
        post({ kind: 'notifyFailed', method: String(message.method), error: toWireError(error) });
      }
      return;
    }
    try {
      const ok = await invoke(message.method, message.args as unknown[]);
      post({ kind: 'reply', seq: message.seq, ok }, transferOf?.(message.method, ok));
    } catch (error) {
      post({ kind: 'reply', seq: message.seq, error: toWireError(error) });
    }
  };
}
