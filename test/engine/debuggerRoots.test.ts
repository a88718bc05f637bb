// Objects held only because a debugger is attached are flagged `debugger`:
// a real Node process, a real inspector session, a snapshot over CDP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import CDP from 'chrome-remote-interface';
import { HeapGraph, SnapshotParser } from '../../src/engine/index';

test('an object held only by the DevTools console is a debugger retainer', async (t) => {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
  t.after(() => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', () => reject(new Error('inspector process exited')));
    child.stderr.on('data', (data: Buffer) => {
      const match = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(String(data));
      if (match) resolve(Number(match[1]));
    });
  });
  const client = await CDP({ host: '127.0.0.1', port });
  t.after(() => client.close());
  // What the console does when a user types an expression: the result stays in an object group.
  await client.Runtime.evaluate({ expression: 'new (class DebugOnly {})()', objectGroup: 'console', includeCommandLineAPI: true });
  const parser = new SnapshotParser();
  client.HeapProfiler.on('addHeapSnapshotChunk', ({ chunk }) => parser.write(chunk));
  await client.HeapProfiler.takeHeapSnapshot({ reportProgress: false });
  const graph = HeapGraph.build(parser.end());

  const [instance] = graph.instances('DebugOnly');
  assert.ok(instance, 'DebugOnly is in the snapshot');
  const walk = graph.walk(instance.id);
  const holders = walk.nodes.filter((n) => n.id !== instance.id);
  assert.ok(holders.length > 0);
  assert.deepEqual([...new Set(holders.map((n) => n.rootKind))], ['debugger']);
  assert.ok(walk.edges.every((e) => e.label === 'DevTools console handle'), walk.edges.map((e) => e.label).join());
});

test('the scope object a paused debugger materializes is a debugger retainer too, and so hidden with it', async (t) => {
  // A paused frame, its local scope read as js-debug reads it for the Variables view.
  const program = 'class Processor {}; globalThis.keep = new Processor(); function pause() { const processor = globalThis.keep; debugger; return processor; } setInterval(() => {}, 1000);';
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', program], { stdio: ['ignore', 'ignore', 'pipe'] });
  t.after(() => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', () => reject(new Error('inspector process exited')));
    child.stderr.on('data', (data: Buffer) => {
      const match = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(String(data));
      if (match) resolve(Number(match[1]));
    });
  });
  const client = await CDP({ host: '127.0.0.1', port });
  t.after(() => client.close());
  await client.Debugger.enable({});
  const paused = client.Debugger.paused();
  void client.Runtime.evaluate({ expression: 'pause()' });
  const { callFrames } = await paused;
  const local = callFrames[0].scopeChain.find((scope) => scope.type === 'local');
  assert.ok(local?.object.objectId);
  await client.Runtime.getProperties({ objectId: local.object.objectId, ownProperties: true });
  const { result } = await client.Debugger.evaluateOnCallFrame({ callFrameId: callFrames[0].callFrameId, expression: 'processor', objectGroup: 'console' });
  // As the extension does: ids are assigned while tracking, and stopping it writes the snapshot.
  await client.HeapProfiler.startTrackingHeapObjects({ trackAllocations: false });
  const { heapSnapshotObjectId } = await client.HeapProfiler.getHeapObjectId({ objectId: result.objectId! });
  const parser = new SnapshotParser();
  client.HeapProfiler.on('addHeapSnapshotChunk', ({ chunk }) => parser.write(chunk));
  await client.HeapProfiler.stopTrackingHeapObjects({ reportProgress: false });
  await client.Debugger.resume({});
  const graph = HeapGraph.build(parser.end());

  const walk = graph.walk(Number(heapSnapshotObjectId));
  const into = walk.edges.filter((e) => e.to === walk.target);
  const scope = into.find((e) => e.label === '.processor');
  assert.ok(scope, `the materialized scope holds the target: ${into.map((e) => e.label).join(', ')}`);
  assert.equal(walk.nodes.find((n) => n.id === scope.from)?.rootKind, 'debugger', 'held only by the debugger, it is marked as such');
  assert.ok(into.some((e) => e.label === '.keep'), 'the real retainer is still there');
  assert.notEqual(walk.nodes.find((n) => n.id === walk.target)?.rootKind, 'debugger');
});
