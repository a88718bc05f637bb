// Growth through the worker contract, without VS Code: a real worker thread
// running src/worker/main.ts, fed three snapshots of one leaking process
// (test/fixtures/growth.js) as a live recording would feed them (chunks,
// one snapshot after another) and as files in any order.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineApi, EngineEvent, FromEngine, ToEngine } from '../../src/protocol/engineApi';
import type { GrowthReport } from '../../src/protocol/growth';
import { RemoteError, RpcClient } from '../../src/protocol/rpc';
import { fixtureSeries } from '../fixtures/series';
import { fixtureSnapshot } from '../fixtures/snapshot';

type Engine = RpcClient<EngineApi, EngineEvent>;

function startEngine(): { rpc: Engine; worker: Worker } {
  // tsx's CommonJS hook, registered inside the worker before the TypeScript entry loads.
  const entry = join(__dirname, '..', '..', 'src', 'worker', 'main.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true });
  const rpc = new RpcClient<EngineApi, EngineEvent>((message: ToEngine) => worker.postMessage(message));
  worker.on('message', (message: FromEngine) => rpc.receive(message));
  worker.on('exit', (code) => rpc.dispose(new Error(`worker exited (${code})`)));
  return { rpc, worker };
}

/** A snapshot file sent as CDP sends it: chunks, right behind beginSnapshot (not waiting for it). */
async function stream(rpc: Engine, path: string, name: string): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const begun = rpc.call('beginSnapshot', name);
  for (let offset = 0; offset < text.length; offset += 65_536) rpc.notify('addChunk', text.slice(offset, offset + 65_536));
  await begun;
  await rpc.call('endSnapshot');
}

const suspectLabels = (report: GrowthReport | null) => report?.suspects.map((s) => `${s.kind} ${s.label}`) ?? [];
const planted = ['collection Scheduler.queued', 'class Job', 'class ListNode', 'collection events._events["flush"]'];
const plantedIn = (report: GrowthReport | null) => suspectLabels(report).filter((label) => planted.includes(label));

describe('a growth recording in the engine worker', () => {
  let series: string[];
  let engine: ReturnType<typeof startEngine>;
  before(async () => {
    series = await fixtureSeries('growth');
    engine = startEngine();
  });
  after(() => engine.worker.terminate());

  it('has no report for one snapshot, then names the leak first after the second', async () => {
    const { rpc } = engine;
    await rpc.call('recordGrowth');
    await stream(rpc, series[0], 'snapshot 1');
    assert.equal(await rpc.call('growthReport'), null);
    // Retained sizes under way when the next snapshot begins are finished, so the digest carries them.
    void rpc.call('computeRetainedSizes').catch(() => undefined);
    await stream(rpc, series[1], 'snapshot 2');
    const report = await rpc.call('growthReport');
    assert.ok(report);
    assert.deepEqual(report.snapshots.map((s) => s.file), ['snapshot 1', 'snapshot 2']);
    assert.equal(report.sameProcess, true);
    assert.deepEqual(suspectLabels(report).slice(0, 2), ['collection Scheduler.queued', 'class Job']);
    assert.deepEqual(report.snapshots.map((s) => s.hasRetainedSizes), [true, false], 'the older one digested with its retained sizes; the latest has none yet');
  });

  it('adds a third snapshot, with retained sizes once computed for the latest', async () => {
    const { rpc } = engine;
    await rpc.call('computeRetainedSizes');
    await stream(rpc, series[2], 'snapshot 3');
    await rpc.call('computeRetainedSizes');
    const report = await rpc.call('growthReport');
    assert.ok(report);
    assert.deepEqual(report.snapshots.map((s) => s.hasRetainedSizes), [true, true, true]);
    assert.deepEqual(plantedIn(report), planted);
    const job = report.classes.find((row) => row.name === 'Job');
    assert.deepEqual(job && { counts: job.counts, new: job.new, grewEveryStep: job.grewEveryStep }, { counts: [400, 800, 1200], new: 800, grewEveryStep: true });
    assert.ok(job!.retainedSizes.every((size) => size !== null && size > 0));
  });

  it('merges the paths of the new jobs, or of all of them, in the latest snapshot', async () => {
    const { rpc } = engine;
    const fresh = await rpc.call('mergedPaths', 'Job', 'new');
    assert.equal(fresh.objects, 800);
    assert.equal(fresh.newSince?.file, 'snapshot 1');
    assert.equal(fresh.groups[0].label, 'Scheduler.queued.get(*)');
    assert.ok(fresh.retainedSize !== null, 'retained sizes are in');
    const all = await rpc.call('mergedPaths', 'Job', 'all');
    assert.equal(all.objects, 1200);
    assert.equal(all.newSince, null);
    await assert.rejects(rpc.call('mergedPaths', 'NoSuchClass', 'all'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'UnknownClassError');
  });

  it('a snapshot that fails midway: the one before it is read back and the report is as before', async () => {
    const { rpc } = engine;
    const before = await rpc.call('growthReport');
    const text = readFileSync(series[2], 'utf8');
    void rpc.call('beginSnapshot', 'snapshot 4');
    rpc.notify('addChunk', text.slice(0, 100_000));
    await rpc.call('abortSnapshot');
    await assert.rejects(rpc.call('growthReport'), (error: unknown) => error instanceof RemoteError && error.remoteName === 'NoSnapshotError', 'the latest graph was dropped for the next snapshot');
    await rpc.call('restorePrevious', series[2]);
    const after = await rpc.call('growthReport');
    assert.ok(after && before);
    assert.deepEqual(after.snapshots.map((s) => s.file), ['snapshot 1', 'snapshot 2', 'snapshot 3']);
    assert.deepEqual(after.classes.find((row) => row.name === 'Job')?.counts, before.classes.find((row) => row.name === 'Job')?.counts);
    assert.deepEqual(plantedIn(after), planted);
    assert.equal((await rpc.call('mergedPaths', 'Job', 'new')).objects, 800);
  });
});

describe('a series of snapshot files in the engine worker', () => {
  it('orders the files oldest first by their highest object id, whatever order they come in, and reads each once', async () => {
    const series = await fixtureSeries('growth');
    const { rpc, worker } = startEngine();
    try {
      const summary = await rpc.call('loadSeries', [series[1], series[2], series[0]]);
      assert.deepEqual(summary.order, series);
      const report = await rpc.call('growthReport');
      assert.ok(report);
      assert.deepEqual(report.snapshots.map((s) => s.file), series);
      assert.equal(report.sameProcess, true);
      assert.deepEqual(plantedIn(report), planted);
      assert.equal(report.classes.find((row) => row.name === 'Job')?.new, 800);
      assert.equal((await rpc.call('mergedPaths', 'Job', 'new')).objects, 800);
    } finally {
      await worker.terminate();
    }
  });

  it('snapshots of two processes: not one process, class counts only, and no object is new', async () => {
    const series = await fixtureSeries('growth');
    const other = await fixtureSnapshot('staticMap');
    const { rpc, worker } = startEngine();
    try {
      await rpc.call('loadSeries', [series[0], other]);
      const report = await rpc.call('growthReport');
      assert.ok(report);
      assert.equal(report.sameProcess, false);
      assert.equal(report.collections.length, 0);
      assert.ok(report.classes.every((row) => row.new === null && row.deleted === null));
      assert.ok(report.classes.some((row) => row.name === 'Job'), 'per-class counts are still compared');
      await assert.rejects(rpc.call('mergedPaths', 'Job', 'new'), /not of one process/);
      const latestClass = report.snapshots.at(-1)?.file === other ? 'Processor' : 'Job';
      assert.ok((await rpc.call('mergedPaths', latestClass, 'all')).objects > 0, 'all instances need no baseline');
    } finally {
      await worker.terminate();
    }
  });
});
