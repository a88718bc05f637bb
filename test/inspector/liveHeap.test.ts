// The live instruments against real --inspect processes on Node 20 and Node 24:
// heap usage, instance counts (Runtime.queryObjects), "is it still alive?"
// (collectGarbage + getObjectByHeapObjectId) and allocation tracking. Each
// also checks what it leaves behind: the handles it took are released (a
// following snapshot shows the objects gone once the program drops them), no
// global is added, and closing the session leaves no ids or tracking.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import CDP from 'chrome-remote-interface';
import { InspectorSession, ObjectIdsLostError, ObjectNotAvailableError, SnapshotInProgressError } from '../../src/inspector';
import { HeapGraph, SnapshotParser } from '../../src/engine/index';
import { fixturePath, globalsOf, sendCommand, startInspected, type InspectedProcess } from './helpers/target';
import { nodeWithSnapshotLineEnds, nodeWithoutSnapshotLineEnds } from './helpers/nodeBinaries';
import { startJsDebugLikeProxy } from './helpers/jsDebugLikeProxy';

const runtimes = [
  ['Node 20', nodeWithoutSnapshotLineEnds],
  ['Node 24', nodeWithSnapshotLineEnds],
] as const;

/** A snapshot over `session`, parsed; the ids of `expressions` in it. */
async function snapshotOf(session: InspectorSession, expressions: string[] = [], options: { stopAllocationTracking?: boolean } = {}): Promise<{ graph: HeapGraph; ids: number[] }> {
  const parser = new SnapshotParser();
  const handles = [];
  for (const expression of expressions) handles.push(await session.evaluate(expression));
  const ids = await session.captureSnapshot(handles, { onChunk: (chunk) => parser.write(chunk), ...options });
  return { graph: HeapGraph.build(parser.end()), ids };
}

/** Open sessions in a snapshot: its Session objects but UrgentSession.prototype (which snapshots name Session too). */
function sessionsIn(graph: HeapGraph): number {
  return (graph.classes().find((row) => row.name === 'Session')?.count ?? 0) - 1;
}

/** What another client sees as the heap id of the global object: "0" when the process holds no ids. */
async function heapIdSeenByAnotherClient(target: InspectedProcess): Promise<string> {
  const client = await CDP({ target: target.webSocketUrl, local: true });
  try {
    const { result } = await client.send('Runtime.evaluate', { expression: 'globalThis', objectGroup: 'probe' });
    const { heapSnapshotObjectId } = await client.send('HeapProfiler.getHeapObjectId', { objectId: result.objectId! });
    await client.send('Runtime.releaseObjectGroup', { objectGroup: 'probe' });
    return heapSnapshotObjectId;
  } finally {
    await client.close();
  }
}

/** Allocations the trace tree counts under `functionName` (freed objects included): what V8 recorded, before any GC. */
function allocationsIn(graph: HeapGraph, functionName: string): number {
  const traces = graph.data.allocationTraces!;
  let count = 0;
  for (let row = 0; row < traces.tree.count; row++) {
    if (graph.data.strings.get(traces.functions.names[traces.tree.functionIndexes[row]]) === functionName) count += traces.tree.counts[row];
  }
  return count;
}

function lineOf(text: string): number {
  const lines = readFileSync(fixturePath('sessionsTarget.js'), 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(text));
  assert.ok(at >= 0, `the fixture has "${text}"`);
  return at + 1;
}

for (const [name, node] of runtimes) {
  describe(`live instruments on ${name}`, { skip: node === undefined && `${name} is not installed here` }, () => {
    let target: InspectedProcess;
    let globals: string[];
    before(async () => {
      target = await startInspected(fixturePath('sessionsTarget.js'), { node, stdin: 'pipe' });
      globals = await globalsOf(target);
    });
    after(async () => {
      await target?.kill();
    });

    it('heap usage: used and total bytes, sane, while running and while another client holds the program paused', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      const debuggerClient = await CDP({ target: target.webSocketUrl, local: true });
      try {
        const usage = await session.heapUsage();
        assert.ok(Number.isInteger(usage.usedSize) && usage.usedSize > 1 << 20, `used ${usage.usedSize}`);
        assert.ok(usage.totalSize >= usage.usedSize && usage.totalSize < 1 << 30, `total ${usage.totalSize}`);
        // Node 22+ adds the embedder's heap and backing stores; Node 20's V8 leaves them out.
        if (name === 'Node 24') assert.equal(typeof usage.backingStorageSize, 'number');
        else assert.equal(usage.backingStorageSize, undefined);
        await debuggerClient.send('Debugger.enable');
        const paused = new Promise((resolve) => debuggerClient.on('Debugger.paused', resolve));
        await debuggerClient.send('Debugger.pause');
        await paused;
        const whilePaused = await session.heapUsage();
        assert.ok(whilePaused.usedSize > 1 << 20);
        await debuggerClient.send('Debugger.resume');
      } finally {
        await debuggerClient.close();
        await session.close();
      }
    });

    it('counts instances by prototype id or constructor, rising with the leak, and leaves no handle behind', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        const { graph } = await snapshotOf(session);
        const prototypeId = graph.prototypeIdOfClass('Session');
        assert.ok(prototypeId, 'the snapshot names Session.prototype');
        const byExpression = { constructorExpression: 'SessionRegistry.open.get("s1").constructor' };
        // 5 sessions, and UrgentSession.prototype, whose chain holds Session.prototype (as instanceof sees it).
        assert.equal(await session.countInstances({ prototypeId }), 6);
        assert.equal(await session.countInstances(byExpression), 6);
        await sendCommand(target, 'open 10');
        assert.equal(await session.countInstances({ prototypeId }), 16);
        // Had the counts kept their arrays of sessions, these would survive the fix.
        await sendCommand(target, 'free');
        const { graph: after } = await snapshotOf(session);
        assert.equal(sessionsIn(after), 0, 'no session is left once the program lets go');
        assert.equal(await session.countInstances({ prototypeId }), 1);
        await assert.rejects(session.countInstances({ prototypeId: 3 }), ObjectNotAvailableError);
      } finally {
        await session.close();
      }
      assert.deepEqual(await globalsOf(target), globals, 'no global added');
      await sendCommand(target, 'open 5');
    });

    it('tells alive from collected, without keeping the object alive', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        const { ids } = await snapshotOf(session, ['SessionRegistry.open.values().next().value']);
        const alive = await session.checkAlive(ids);
        assert.deepEqual(alive, { objects: [{ id: ids[0], state: 'alive', className: 'Session', description: 'Session' }], garbageCollected: true });
        await sendCommand(target, 'free');
        const { graph } = await snapshotOf(session);
        assert.equal(sessionsIn(graph), 0, 'the lookup kept nothing alive');
        assert.deepEqual(await session.checkAlive(ids), { objects: [{ id: ids[0], state: 'collected' }], garbageCollected: true });
      } finally {
        await session.close();
      }
      assert.deepEqual(await globalsOf(target), globals, 'no global added');
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'closing the session left no ids');
      await sendCommand(target, 'open 5');
    });

    it('while the program is paused: no GC runs, the lookup still answers and says so', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      const debuggerClient = await CDP({ target: target.webSocketUrl, local: true });
      try {
        const { ids } = await snapshotOf(session, ['SessionRegistry.open.values().next().value']);
        await debuggerClient.send('Debugger.enable');
        const paused = new Promise((resolve) => debuggerClient.on('Debugger.paused', resolve));
        await debuggerClient.send('Debugger.pause');
        await paused;
        const check = await session.checkAlive(ids, { gcTimeoutMs: 500 });
        assert.deepEqual(check, { objects: [{ id: ids[0], state: 'alive', className: 'Session', description: 'Session' }], garbageCollected: false });
        await debuggerClient.send('Debugger.resume');
        assert.equal((await session.checkAlive(ids, { gcTimeoutMs: 60_000 })).garbageCollected, true, 'the GC runs once the program does');
      } finally {
        await debuggerClient.close();
        await session.close();
      }
    });

    it('ids die with the session that assigned them, and a check says so instead of "collected"', async () => {
      const fresh = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        await assert.rejects(fresh.checkAlive([12345]), (error: unknown) => error instanceof ObjectIdsLostError && error.reason === 'none' && /only while the inspector session that took the snapshot stays open/.test(error.message));
      } finally {
        await fresh.close();
      }
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        const { ids } = await snapshotOf(session, ['SessionRegistry.open.values().next().value']);
        assert.equal((await session.checkAlive(ids)).objects[0].state, 'alive');
        // Another client that used the protocol closes: V8 forgets every id in the process (Node 20: any client).
        const other = await CDP({ target: target.webSocketUrl, local: true });
        await other.send('Runtime.evaluate', { expression: '1' });
        await other.close();
        await assert.rejects(session.checkAlive(ids), ObjectIdsLostError);
      } finally {
        await session.close();
      }
    });

    it('allocation tracking records where sessions were allocated; captures keep it running, the last one stops it', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        await session.startAllocationTracking();
        assert.equal(session.trackingAllocations, true);
        await sendCommand(target, 'open 3');
        const { graph, ids } = await snapshotOf(session, ['[...SessionRegistry.open.values()].at(-1)']);
        assert.ok(ids[0] > 0, 'a handle gets its id while tracking runs');
        assert.equal(graph.hasAllocationStacks, true);
        // The tree counts every allocation, whatever became of the object (see the next test).
        assert.ok(allocationsIn(graph, 'openSession') >= 3, 'openSession allocated the three sessions');
        assert.equal(session.trackingAllocations, true, 'a capture with handles left tracking on');
        const { graph: last } = await snapshotOf(session, [], { stopAllocationTracking: true });
        assert.equal(last.hasAllocationStacks, true, 'the last snapshot has the stacks');
        assert.equal(session.trackingAllocations, false);
        const { graph: afterwards } = await snapshotOf(session);
        assert.equal(afterwards.hasAllocationStacks, false, 'V8 no longer tracks');
        await assert.rejects(
          (async () => {
            await session.startAllocationTracking();
            const capture = session.captureSnapshot([]);
            try {
              await session.countInstances({ constructorExpression: 'UrgentSession' });
            } finally {
              await capture;
            }
          })(),
          SnapshotInProgressError,
          'no count while a snapshot runs',
        );
      } finally {
        await session.close();
      }
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'closing the session stopped tracking and left no ids');
      assert.deepEqual(await globalsOf(target), globals, 'no global added');
    });

    it('allocation stacks of objects point at the function that allocated them (a target whose GC does not compact)', async () => {
      // V8 drops an object's stack when the GC moves it after giving it an id,
      // which compaction does when its heuristics say so: --no-compact takes
      // them out of the test (liveHeap.ts, docs/benchmarks.md).
      const steady = await startInspected(fixturePath('sessionsTarget.js'), { node, stdin: 'pipe', args: ['--no-compact'] });
      const session = await InspectorSession.connect({ host: steady.host, port: steady.port });
      try {
        await session.startAllocationTracking();
        await sendCommand(steady, 'open 3');
        const { graph, ids } = await snapshotOf(session, ['[...SessionRegistry.open.values()].at(-1)']);
        const site = `sessionsTarget.js:${lineOf('function openSession()')} in openSession()`;
        // The five sessions from before tracking, and UrgentSession.prototype, have none.
        assert.deepEqual(graph.allocationSitesOfClass('Session').map((row) => [row.site?.label ?? null, row.count]), [[null, 6], [site, 3]]);
        const stack = graph.allocationStack(ids[0]);
        assert.equal(stack.state, 'recorded');
        if (stack.state !== 'recorded') return;
        assert.equal(stack.frames[0].functionName, 'openSession');
        assert.equal(stack.frames[0].line! + 1, lineOf('function openSession()'));
        assert.equal(stack.site.label, site);
        assert.deepEqual(graph.details(ids[0]).allocation, stack);
        await sendCommand(steady, 'open 1');
        const { graph: last } = await snapshotOf(session, [], { stopAllocationTracking: true });
        assert.equal(last.allocationSitesOfClass('Session').find((row) => row.site !== null)?.count, 4);
      } finally {
        await session.close();
        await steady.kill();
      }
    });

    it('through a js-debug-like proxy, closing stops allocation tracking, which closing the socket alone would not', async () => {
      const proxy = await startJsDebugLikeProxy(target.webSocketUrl);
      try {
        const session = await InspectorSession.connect({ webSocketUrl: proxy.webSocketUrl, viaJsDebugProxy: true });
        await session.startAllocationTracking();
        await session.close();
        assert.ok(proxy.methods.includes('HeapProfiler.stopTrackingHeapObjects'));
        assert.deepEqual(proxy.methods.filter((method) => method.endsWith('.disable')), []);
        // The proxy's upstream session is still open: a snapshot through a plain client shows no stacks.
        const client = await CDP({ target: target.webSocketUrl, local: true });
        try {
          const chunks: string[] = [];
          client.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
          await client.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
          assert.match(chunks.join('').slice(0, 4096), /"trace_function_count":0/);
        } finally {
          await client.close();
        }
      } finally {
        await proxy.close();
      }
    });
  });
}
