// rpc.ts, the one way across the worker and webview boundaries, over a real
// message channel (structured clone, asynchronous delivery): replies matched
// to calls, errors that keep their names, failed notifications reported at
// once, and nothing left pending when the other side goes away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { isToClient, isToServer, RemoteError, RpcClient, serveRpc, type ToClient, type ToServer } from '../../src/protocol/rpc';

interface TestApi {
  echo(value: string): Promise<string>;
  fail(message: string): Promise<never>;
  /** Resolves only when `release(name)` is called. */
  wait(name: string): Promise<string>;
  feed(chunk: string): void;
}

/** A broken implementation hangs rather than fails (a reply that never comes): end it. */
const SAFETY = { timeout: 10_000 };

class NamedError extends Error {
  override name = 'NamedError';
}

/** A server of TestApi on one end of a MessageChannel and a client on the other. */
function connect() {
  const { port1, port2 } = new MessageChannel();
  const waiting = new Map<string, () => void>();
  const fed: string[] = [];
  const api: TestApi = {
    echo: async (value) => value,
    fail: async (message) => {
      throw new NamedError(message);
    },
    wait: (name) => new Promise((resolve) => waiting.set(name, () => resolve(name))),
    feed: (chunk) => {
      if (chunk === 'bad') throw new NamedError(`cannot parse ${chunk}`);
      fed.push(chunk);
    },
  };
  const serve = serveRpc<TestApi, { type: 'tick' }>(api, (message) => port2.postMessage(message));
  port2.on('message', (message: ToServer<TestApi>) => void serve(message));
  const failures: { method: string; error: RemoteError }[] = [];
  const events: unknown[] = [];
  const client = new RpcClient<TestApi, { type: 'tick' }>((message) => port1.postMessage(message), {
    onEvent: (event) => events.push(event),
    onNotificationFailed: (method, error) => failures.push({ method, error }),
  });
  port1.on('message', (message: ToClient<{ type: 'tick' }>) => client.receive(message));
  const eventually = async <T>(probe: () => T | undefined): Promise<T> => {
    // Each round trip through the channel lets the other side handle what was sent before it.
    for (let trip = 0; trip < 20; trip++) {
      const value = probe();
      if (value !== undefined) return value;
      await client.call('echo', 'sync');
    }
    throw new Error('not reported within 20 round trips');
  };
  return {
    client,
    fed,
    failures,
    events,
    eventually,
    release: (name: string) => waiting.get(name)?.(),
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

test('replies answered out of order each resolve their own call', SAFETY, async () => {
  const rpc = connect();
  try {
    const first = rpc.client.call('wait', 'first');
    const second = rpc.client.call('wait', 'second');
    await rpc.client.call('echo', 'both calls arrived');
    rpc.release('second');
    assert.equal(await second, 'second');
    rpc.release('first');
    assert.equal(await first, 'first');
  } finally {
    rpc.close();
  }
});

test('a call that throws rejects with a RemoteError that keeps the error\'s name; later calls work', SAFETY, async () => {
  const rpc = connect();
  try {
    await assert.rejects(rpc.client.call('fail', 'no such object'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'NamedError' && error.message === 'no such object');
    assert.equal(await rpc.client.call('echo', 'still here'), 'still here');
  } finally {
    rpc.close();
  }
});

test('a failed notification is reported at once, naming its method; the stream and calls go on', SAFETY, async () => {
  const rpc = connect();
  try {
    rpc.client.notify('feed', 'a');
    rpc.client.notify('feed', 'bad');
    const [failure] = await rpc.eventually(() => (rpc.failures.length > 0 ? rpc.failures : undefined));
    assert.equal(failure.method, 'feed');
    assert.ok(failure.error instanceof RemoteError && failure.error.remoteName === 'NamedError' && failure.error.message === 'cannot parse bad');
    rpc.client.notify('feed', 'b');
    assert.equal(await rpc.client.call('echo', 'next call is not failed by it'), 'next call is not failed by it');
    assert.deepEqual(rpc.fed, ['a', 'b']);
  } finally {
    rpc.close();
  }
});

test('the server answers only the API\'s own methods', SAFETY, async () => {
  const rpc = connect();
  try {
    // What a page could post: not typed by TestApi.
    const client = rpc.client as unknown as { call(method: string): Promise<unknown> };
    for (const method of ['constructor', 'hasOwnProperty', 'missing']) {
      await assert.rejects(client.call(method), new RegExp(`Unknown method ${method}`));
    }
  } finally {
    rpc.close();
  }
});

test('when the other side goes away, pending and later calls reject with the reason', SAFETY, async () => {
  const rpc = connect();
  try {
    const pending = rpc.client.call('wait', 'never');
    await rpc.client.call('echo', 'arrived');
    rpc.client.dispose(new Error('the worker exited'));
    await assert.rejects(pending, /the worker exited/);
    await assert.rejects(rpc.client.call('echo', 'x'), /the worker exited/);
    assert.equal(rpc.client.closed, true);
  } finally {
    rpc.close();
  }
});

test('shape checks tell protocol messages from other traffic', () => {
  assert.equal(isToClient({ kind: 'reply', seq: 1, ok: 2 }), true);
  assert.equal(isToClient({ kind: 'event', event: { type: 'busy' } }), true);
  assert.equal(isToClient({ kind: 'notifyFailed', method: 'feed', error: { name: 'E', message: 'm' } }), true);
  assert.equal(isToClient({ type: 'init' }), false);
  assert.equal(isToClient({ kind: 'reply' }), false);
  assert.equal(isToClient('reply'), false);
  assert.equal(isToServer({ kind: 'call', seq: 1, method: 'walk', args: [] }), true);
  assert.equal(isToServer({ kind: 'notify', method: 'ready', args: [] }), true);
  assert.equal(isToServer({ kind: 'call', method: 'walk', args: [] }), false);
  assert.equal(isToServer({ kind: 'call', seq: 1, method: 'walk' }), false);
  assert.equal(isToServer(null), false);
});
