// The worker contract end to end, without VS Code: a real worker thread
// running src/worker/main.ts, driven through the typed RpcClient, on real
// fixture snapshots (loaded from a file and streamed in chunks as CDP would).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineApi, EngineEvent, FromEngine, ToEngine } from '../../src/protocol/engineApi';
import { RemoteError, RpcClient } from '../../src/protocol/rpc';
import { DEFAULT_WALK_OPTIONS } from '../../src/protocol/walk';
import { fixtureSnapshot } from '../fixtures/snapshot';

function startEngine(): { rpc: RpcClient<EngineApi, EngineEvent>; worker: Worker; events: EngineEvent[]; rejectedChunks: RemoteError[] } {
  // tsx's CommonJS hook, registered inside the worker before the TypeScript entry loads.
  const entry = join(__dirname, '..', '..', 'src', 'worker', 'main.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true });
  const events: EngineEvent[] = [];
  const rejectedChunks: RemoteError[] = [];
  const rpc = new RpcClient<EngineApi, EngineEvent>((message: ToEngine) => worker.postMessage(message), {
    onEvent: (event) => events.push(event),
    onNotificationFailed: (method, error) => {
      if (method === 'addChunk') rejectedChunks.push(error);
    },
  });
  worker.on('message', (message: FromEngine) => rpc.receive(message));
  worker.on('exit', (code) => rpc.dispose(new Error(`worker exited (${code})`)));
  return { rpc, worker, events, rejectedChunks };
}

test('loads a snapshot file and walks the static-map leak through the worker', async () => {
  const { rpc, worker } = startEngine();
  try {
    const summary = await rpc.call('loadFile', await fixtureSnapshot('staticMap'));
    assert.ok(summary.nodeCount > 1000, `nodes: ${summary.nodeCount}`);
    const classes = await rpc.call('classes');
    assert.equal(classes.find((c) => c.name === 'Processor')?.count, 5);
    const loaders = await rpc.call('instances', 'ResourceLoader', 10);
    assert.equal(loaders.total, 5);
    const walk = await rpc.call('walk', loaders.nodes[0].id, DEFAULT_WALK_OPTIONS);
    const labels = walk.shortestPath.nodes.map((id) => walk.nodes.find((n) => n.id === id)?.label ?? '');
    assert.ok(labels.some((label) => label.includes('Processor.instanceMap')), labels.join(' → '));
    assert.equal(await rpc.call('hasObject', loaders.nodes[0].id), true);
    assert.equal(await rpc.call('hasObject', 0xfffffff0), false);
  } finally {
    await worker.terminate();
  }
});

test('an id that is not in the snapshot rejects with UnknownObjectError', async () => {
  const { rpc, worker } = startEngine();
  try {
    await rpc.call('loadFile', await fixtureSnapshot('staticMap'));
    await assert.rejects(rpc.call('walk', 0xfffffff0, DEFAULT_WALK_OPTIONS), (error: unknown) => error instanceof RemoteError && error.remoteName === 'UnknownObjectError');
  } finally {
    await worker.terminate();
  }
});

test('chunks streamed as strings give the same graph as the file', async () => {
  const path = await fixtureSnapshot('staticMap');
  const text = readFileSync(path, 'utf8');
  const { rpc, worker, events } = startEngine();
  try {
    const fromFile = await rpc.call('loadFile', path);
    await rpc.call('beginSnapshot');
    for (let offset = 0; offset < text.length; offset += 65_536) rpc.notify('addChunk', text.slice(offset, offset + 65_536));
    const streamed = await rpc.call('endSnapshot');
    assert.equal(streamed.nodeCount, fromFile.nodeCount);
    assert.equal(streamed.edgeCount, fromFile.edgeCount);
    assert.ok(events.some((event) => event.type === 'progress' && event.progress.phase === 'index'), 'indexing progress was reported');
  } finally {
    await worker.terminate();
  }
});

test('a stream is indexed as soon as its closing brace arrives, before endSnapshot (V8 answers the request seconds later)', async () => {
  const path = await fixtureSnapshot('staticMap');
  const text = readFileSync(path, 'utf8');
  const { rpc, worker, events } = startEngine();
  const completeEvents = () => events.filter((event) => event.type === 'snapshotComplete').length;
  try {
    await rpc.call('beginSnapshot');
    const last = text.length - 1;
    for (let offset = 0; offset < last; offset += 65_536) rpc.notify('addChunk', text.slice(offset, Math.min(offset + 65_536, last)));
    await rpc.call('hasObject', 1).catch(() => undefined); // every chunk sent so far has been read
    assert.equal(completeEvents(), 0, 'not complete before its closing brace');
    rpc.notify('addChunk', text.slice(last));
    const classes = await rpc.call('classes');
    assert.equal(completeEvents(), 1, 'the client heard that the snapshot is complete, without endSnapshot');
    assert.equal(classes.find((c) => c.name === 'Processor')?.count, 5);
    const summary = await rpc.call('endSnapshot');
    assert.ok(summary.nodeCount > 1000);
    assert.equal((await rpc.call('classes')).find((c) => c.name === 'Processor')?.count, 5);
  } finally {
    await worker.terminate();
  }
});

test('bytes after the closing brace fail endSnapshot, and the graph indexed meanwhile is dropped', async () => {
  const path = await fixtureSnapshot('staticMap');
  const text = readFileSync(path, 'utf8');
  const { rpc, worker, rejectedChunks } = startEngine();
  try {
    await rpc.call('beginSnapshot');
    rpc.notify('addChunk', text);
    rpc.notify('addChunk', ' {"more": 1}');
    await assert.rejects(rpc.call('endSnapshot'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'SnapshotFormatError');
    assert.equal(rejectedChunks.length, 1);
    await assert.rejects(rpc.call('classes'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'NoSnapshotError');
  } finally {
    await worker.terminate();
  }
});

test('a corrupt stream fails at endSnapshot with the parser\'s reason, and the engine stays usable', async () => {
  const { rpc, worker } = startEngine();
  try {
    await rpc.call('beginSnapshot');
    rpc.notify('addChunk', '{"snapshot":{"meta":');
    rpc.notify('addChunk', ']]] not json');
    await assert.rejects(rpc.call('endSnapshot'), (error: unknown) => error instanceof RemoteError && /offset|expected/i.test(error.message));
    await assert.rejects(rpc.call('classes'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'NoSnapshotError');
    const summary = await rpc.call('loadFile', await fixtureSnapshot('staticMap'));
    assert.ok(summary.nodeCount > 0);
  } finally {
    await worker.terminate();
  }
});

test('a chunk that cannot be parsed is reported at once, while the stream is still open', async () => {
  const { rpc, worker, rejectedChunks } = startEngine();
  try {
    await rpc.call('beginSnapshot');
    rpc.notify('addChunk', '{"snapshot":{"meta":]]] not a heap snapshot');
    // One round trip, and no endSnapshot: the worker handles messages in order, so the report is in by now.
    await rpc.call('hasObject', 1).catch(() => undefined);
    assert.equal(rejectedChunks.length, 1, 'the broken stream was reported before the snapshot ended');
    const [error] = rejectedChunks;
    assert.equal(error.remoteName, 'SnapshotFormatError');
    assert.match(error.message, /at byte 20/);
    rpc.notify('addChunk', 'more of the same stream');
    await assert.rejects(rpc.call('endSnapshot'), (rejected: unknown) => rejected instanceof RemoteError && rejected.message === error.message);
    assert.equal(rejectedChunks.length, 1, 'reported once');
  } finally {
    await worker.terminate();
  }
});

test('terminating the worker rejects every pending call', async () => {
  const { rpc, worker } = startEngine();
  const path = await fixtureSnapshot('staticMap');
  const pending = rpc.call('loadFile', path);
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await worker.terminate();
  await exited;
  await assert.rejects(pending, /worker exited/);
  await assert.rejects(rpc.call('classes'), /worker exited/);
});

test('retained sizes: the first walk comes back at once without them, later walks carry them', async () => {
  const { rpc, worker } = startEngine();
  try {
    await rpc.call('loadFile', await fixtureSnapshot('staticMap'));
    const loaders = await rpc.call('instances', 'ResourceLoader', 10);
    const first = await rpc.call('walk', loaders.nodes[0].id, DEFAULT_WALK_OPTIONS);
    assert.ok(first.nodes.every((n) => n.retainedSize === null), 'the first walk is not held back for dominators');
    // The worker started them after answering; asking again joins that run.
    const { elapsedMs } = await rpc.call('computeRetainedSizes');
    assert.ok(elapsedMs >= 0);
    const later = await rpc.call('walk', loaders.nodes[0].id, DEFAULT_WALK_OPTIONS);
    assert.ok(later.nodes.every((n) => n.retainedSize !== null && n.retainedSize >= n.selfSize));
    const map = later.nodes.find((n) => n.label === 'Processor.instanceMap');
    assert.ok(map, later.nodes.map((n) => n.label).join(' | '));
    const sizes = (await rpc.call('instances', 'ResourceLoader', 10)).nodes.map((n) => n.retainedSize ?? 0);
    const sum = sizes.reduce((a, b) => a + b, 0);
    assert.ok((map.retainedSize ?? 0) >= sum, `Processor.instanceMap retains ${map.retainedSize} bytes; the loaders ${sum}`);
    const details = await rpc.call('details', map.id);
    assert.equal(details.node.retainedSize, map.retainedSize);
  } finally {
    await worker.terminate();
  }
});
