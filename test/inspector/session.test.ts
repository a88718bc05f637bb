import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import {
  CancelledError,
  ConnectionError,
  ExpressionError,
  InspectorSession,
  PrimitiveValueError,
  SnapshotInProgressError,
  TargetExitedError,
  listTargets,
} from '../../src/inspector';
import { fixturePath, globalsOf, startInspected, type InspectedProcess } from './helpers/target';
import { nodeNameById } from './helpers/snapshotJson';
import { startJsDebugLikeProxy } from './helpers/jsDebugLikeProxy';
import { SnapshotParser } from '../../src/engine/parser';
import { HeapGraph } from '../../src/engine/index';

/**
 * What another client sees as the heap id of an object. "0" means V8 holds no
 * heap-object ids: nobody tracks heap objects and the process is as fresh as
 * before any snapshot (V8 clears ids when a session's HeapProfiler agent is
 * disabled, which also stops that session's tracking).
 */
async function heapIdSeenByAnotherClient(target: InspectedProcess): Promise<string> {
  const client = await CDP({ target: target.webSocketUrl, local: true });
  try {
    const { result } = await client.send('Runtime.evaluate', { expression: 'ProcessorClass.instanceMap', objectGroup: 'probe' });
    const { heapSnapshotObjectId } = await client.send('HeapProfiler.getHeapObjectId', { objectId: result.objectId! });
    await client.send('Runtime.releaseObjectGroup', { objectGroup: 'probe' });
    return heapSnapshotObjectId;
  } finally {
    await client.close();
  }
}

describe('inspector session against a real --inspect process', () => {
  let target: InspectedProcess;
  before(async () => {
    target = await startInspected(fixturePath('leakyTarget.js'));
  });
  after(async () => {
    await target.kill();
  });

  it('lists the target with its title, url and WebSocket URL', async () => {
    const targets = await listTargets(target.host, target.port);
    assert.equal(targets.length, 1);
    assert.match(targets[0].title, /leakyTarget\.js/);
    assert.match(targets[0].url, /^file:\/\/.*leakyTarget\.js$/);
    assert.equal(targets[0].webSocketDebuggerUrl, target.webSocketUrl);
  });

  it('evaluates to an object handle, and names primitives and exceptions', async () => {
    const session = await InspectorSession.connect({ host: target.host, port: target.port });
    try {
      const handle = await session.evaluate('ProcessorClass.instanceMap.get("bot3")');
      assert.equal(handle.className, 'Processor');
      await assert.rejects(session.evaluate('ProcessorClass.instanceMap.size'), (error: unknown) => {
        assert.ok(error instanceof PrimitiveValueError);
        assert.equal(error.type, 'number');
        assert.equal(error.value, '5');
        return true;
      });
      await assert.rejects(session.evaluate('null'), /evaluated to null, not an object/);
      await assert.rejects(session.evaluate('ProcessorClass.nope.deeper'), (error: unknown) => {
        assert.ok(error instanceof ExpressionError);
        assert.equal(error.exceptionText, "TypeError: Cannot read properties of undefined (reading 'deeper')");
        return true;
      });
      await assert.rejects(session.evaluate('throw "plain string"'), (error: unknown) => error instanceof ExpressionError && /plain string/.test(error.exceptionText));
    } finally {
      await session.close();
    }
  });

  it('captures a streamed snapshot in which the returned id is the evaluated object, and adds no globals', async () => {
    const globalsBefore = await globalsOf(target);
    const session = await InspectorSession.connect({ host: target.host, port: target.port });
    try {
      const chunks: string[] = [];
      const progress: { done: number; total: number }[] = [];
      const processor = await session.evaluate('ProcessorClass.instanceMap.get("bot3")');
      const map = await session.evaluate('ProcessorClass.instanceMap');
      const ids = await session.captureSnapshot([processor, map], { onChunk: (chunk) => chunks.push(chunk), onProgress: (p) => progress.push(p) });
      assert.equal(ids.length, 2);
      assert.ok(ids[0] > 0 && ids[1] > 0 && ids[0] !== ids[1], `ids ${ids}`);
      assert.ok(chunks.length > 1, 'the snapshot arrives in several chunks');
      assert.ok(progress.length > 0 && progress.at(-1)!.done === progress.at(-1)!.total, 'progress reaches done == total');
      const text = chunks.join('');
      assert.equal(nodeNameById(text, ids[0]), 'Processor');
      assert.equal(nodeNameById(text, ids[1]), 'Map');
      // The same chunks, fed one by one into the engine's streaming parser: the id walks to the static map.
      const parser = new SnapshotParser();
      for (const chunk of chunks) parser.write(chunk);
      const walk = HeapGraph.build(parser.end()).walk(ids[0]);
      assert.equal(walk.nodes.find((node) => node.id === ids[0])?.name, 'Processor');
      assert.ok(walk.shortestPath.edges.some((edge) => edge.label === 'get("bot3")' && edge.from === ids[1]), 'the path passes get("bot3") of the evaluated Map');

      // The handles were released: a second capture in the same session works and needs fresh handles.
      const again = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap.get("bot3")')]);
      assert.equal(again[0], ids[0], 'V8 keeps the same snapshot id for the same object');
      assert.notEqual(await heapIdSeenByAnotherClient(target), '0', 'while our session is open, V8 keeps the ids it assigned');
    } finally {
      await session.close();
    }
    assert.deepEqual(await globalsOf(target), globalsBefore);
    assert.equal(await heapIdSeenByAnotherClient(target), '0', 'after close, no tracking and no ids are left behind');
  });

  it('refuses a second snapshot of the same target while one runs', async () => {
    const first = await InspectorSession.connect({ host: target.host, port: target.port });
    const second = await InspectorSession.connect({ host: target.host, port: target.port });
    try {
      const running = first.captureSnapshot([await first.evaluate('ProcessorClass')]);
      await assert.rejects(second.captureSnapshot([]), (error: unknown) => error instanceof SnapshotInProgressError && /already in progress/.test(error.message));
      await running;
      const ids = await second.captureSnapshot([await second.evaluate('ProcessorClass')]);
      assert.ok(ids[0] > 0);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('inspector session: failures mid-snapshot', () => {
  // Enough objects that the snapshot takes a moment, so we can act during it.
  const env = { BALLAST: '400000' };

  it('cancel during the snapshot rejects with CancelledError and leaves the target as it was', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'), { env });
    try {
      const globalsBefore = await globalsOf(target);
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      const controller = new AbortController();
      let chunksAfterCancel = 0;
      const started = Date.now();
      await assert.rejects(
        session.captureSnapshot([await session.evaluate('ProcessorClass')], {
          signal: controller.signal,
          onProgress: () => controller.abort(),
          onChunk: () => {
            if (controller.signal.aborted) chunksAfterCancel++;
          },
        }),
        CancelledError,
      );
      assert.equal(chunksAfterCancel, 0, 'no chunk reaches the caller after cancel');
      assert.ok(session.closed, 'a cancelled capture closes its session');
      assert.ok(Date.now() - started < 30_000);

      assert.deepEqual(await globalsOf(target), globalsBefore);
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'tracking stopped, ids cleared');
      // Tracking was stopped and our handles released: a fresh capture works normally.
      const next = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        const chunks: string[] = [];
        const ids = await next.captureSnapshot([await next.evaluate('ProcessorClass.instanceMap')], { onChunk: (c) => chunks.push(c) });
        assert.equal(nodeNameById(chunks.join(''), ids[0]), 'Map');
      } finally {
        await next.close();
      }
    } finally {
      await target.kill();
    }
  });

  it('cancel before the snapshot starts (right after evaluate) also cleans up', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'));
    try {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      const controller = new AbortController();
      const handle = await session.evaluate('ProcessorClass');
      const capture = session.captureSnapshot([handle], { signal: controller.signal });
      controller.abort();
      await assert.rejects(capture, CancelledError);
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'tracking stopped, ids cleared');
      const next = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        assert.ok((await next.captureSnapshot([await next.evaluate('ProcessorClass')]))[0] > 0);
      } finally {
        await next.close();
      }
    } finally {
      await target.kill();
    }
  });

  it('the target exiting mid-snapshot rejects with TargetExitedError, without hanging', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'), { env });
    const session = await InspectorSession.connect({ host: target.host, port: target.port });
    let disconnects = 0;
    session.onDisconnect(() => disconnects++);
    try {
      let killed = false;
      await assert.rejects(
        session.captureSnapshot([await session.evaluate('ProcessorClass')], {
          onProgress: () => {
            if (!killed) void target.kill();
            killed = true;
          },
        }),
        (error: unknown) => error instanceof TargetExitedError && /exited during the heap snapshot/.test(error.message),
      );
      assert.equal(disconnects, 1);
    } finally {
      await session.close();
      await target.kill();
    }
  });
});

describe('inspector session: a capture read to its end before V8 replies', () => {
  it('returns when the consumer has the whole snapshot; probes and the next capture wait for V8\'s reply, and the process is left as found', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'), { env: { BALLAST: '400000' } });
    try {
      const globalsBefore = await globalsOf(target);
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      // The consumer says "complete" at the first chunk, so V8 is certainly still writing when the capture returns.
      let firstChunk: () => void = () => undefined;
      const complete = new Promise<void>((resolve) => (firstChunk = resolve));
      let chunks = 0;
      const ids = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')], {
        complete,
        onChunk: () => {
          chunks++;
          firstChunk();
        },
      });
      assert.ok(ids[0] > 0);
      const seenAtReturn = chunks;
      assert.ok((await session.countInstances({ constructorExpression: 'ProcessorClass' })) > 0, 'a probe waits for V8\'s reply, then counts');
      const next: string[] = [];
      const again = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')], { onChunk: (chunk) => next.push(chunk) });
      assert.ok(seenAtReturn < 5, `returned after ${seenAtReturn} chunks, not at V8's reply`);
      const parser = new SnapshotParser();
      for (const chunk of next) parser.write(chunk);
      const graph = HeapGraph.build(parser.end());
      assert.equal(again[0], ids[0], 'the same id: the first capture did not end the session');
      assert.ok(graph.ordinalOf(again[0]) >= 0, 'the next capture is one whole snapshot, none of the first one\'s chunks mixed in');
      await session.close();
      assert.deepEqual(await globalsOf(target), globalsBefore);
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'tracking stopped, ids cleared');
    } finally {
      await target.kill();
    }
  });
});

describe('inspector session: a share of an open session', () => {
  it('captures on the same connection; closing the share keeps V8\'s ids, a cancelled capture on it does not spoil the next, and closing the session ends the share', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'), { env: { BALLAST: '400000' } });
    try {
      const globalsBefore = await globalsOf(target);
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      const first = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')]);

      const share = session.share();
      const chunks: string[] = [];
      const shared = await share.captureSnapshot([await share.evaluate('ProcessorClass.instanceMap')], { onChunk: (chunk) => chunks.push(chunk) });
      assert.equal(nodeNameById(chunks.join(''), shared[0]), 'Map');
      await share.close();
      assert.ok(!session.closed, 'closing a share leaves the session open');
      // A session of its own closing here would have renumbered every object.
      assert.equal(shared[0], first[0], 'the same id across the share');

      const cancelled = session.share();
      const controller = new AbortController();
      await assert.rejects(
        cancelled.captureSnapshot([await cancelled.evaluate('ProcessorClass')], { signal: controller.signal, onProgress: () => controller.abort() }),
        CancelledError,
      );
      assert.ok(cancelled.closed && !session.closed, 'the share closed, the session stays open');
      // V8 finishes the abandoned snapshot first: none of its chunks may reach the next one, taken at once.
      const after: string[] = [];
      await session.captureSnapshot([], { onChunk: (chunk) => after.push(chunk) });
      const parser = new SnapshotParser();
      for (const chunk of after) parser.write(chunk);
      assert.ok(HeapGraph.build(parser.end()).ordinalOf(first[0]) >= 0, 'one whole snapshot, in which the map keeps its id');

      const last = session.share();
      let lost = 0;
      last.onDisconnect(() => lost++);
      await session.close();
      assert.ok(last.closed, 'a share ends with the connection');
      assert.equal(lost, 1);
      assert.deepEqual(await globalsOf(target), globalsBefore);
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'tracking stopped, ids cleared');
    } finally {
      await target.kill();
    }
  });
});

describe('inspector connection errors', () => {
  it('a closed port says nothing is listening there', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(InspectorSession.connect({ host: '127.0.0.1', port }), (error: unknown) => {
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.message, `nothing is listening on 127.0.0.1:${port}; start Node with --inspect (or check the port)`);
      return true;
    });
  });

  let web: Server;
  before(async () => {
    web = createServer((_request, response) => response.end('<html>hello</html>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => web.close(() => resolve())));

  it('a TCP service that does not speak HTTP is named as not an inspector; a silent one times out', async () => {
    const sockets: Socket[] = [];
    const chatty = createNetServer((socket) => {
      sockets.push(socket);
      socket.end('SSH-2.0-OpenSSH_9.2\r\n');
    });
    const silent = createNetServer((socket) => sockets.push(socket));
    await Promise.all([chatty, silent].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    try {
      const chattyPort = (chatty.address() as AddressInfo).port;
      await assert.rejects(listTargets('127.0.0.1', chattyPort), { name: 'ConnectionError', message: new RegExp(`^127\\.0\\.0\\.1:${chattyPort} is not a Node\\.js inspector`) });
      const silentPort = (silent.address() as AddressInfo).port;
      await assert.rejects(InspectorSession.connect({ host: '127.0.0.1', port: silentPort }, { timeoutMs: 500 }), {
        name: 'ConnectionError',
        message: `127.0.0.1:${silentPort} did not answer within 1 s; is it a Node.js inspector?`,
      });
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await Promise.all([chatty, silent].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('an ordinary HTTP server is named as not an inspector', async () => {
    const { port } = web.address() as AddressInfo;
    await assert.rejects(listTargets('127.0.0.1', port), (error: unknown) => {
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, new RegExp(`^127\\.0\\.0\\.1:${port} is not a Node\\.js inspector`));
      return true;
    });
  });
});

describe('inspector session next to a debugger', () => {
  // A bound, not a speed check: a protocol step V8 defers until the program runs again would hang here.
  it('captures while another client has the process paused, without resuming it or touching its breakpoints', { timeout: 120_000 }, async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'));
    const debuggerClient = await CDP({ target: target.webSocketUrl, local: true });
    try {
      const events: string[] = [];
      let onPaused: ((event: { callFrames: { callFrameId: string }[] }) => void) | undefined;
      debuggerClient.on('Debugger.paused', (event) => {
        events.push('paused');
        onPaused?.(event);
      });
      debuggerClient.on('Debugger.resumed', () => events.push('resumed'));
      await debuggerClient.send('Debugger.enable');
      const { breakpointId } = await debuggerClient.send('Debugger.setBreakpointByUrl', { urlRegex: 'leakyTarget\\.js$', lineNumber: 22 });
      await debuggerClient.send('Debugger.pause');
      // The interval callback runs every second; the pause lands on the next JS that runs.
      const paused = await new Promise<{ callFrames: { callFrameId: string }[] }>((resolve) => (onPaused = resolve));
      events.length = 0;

      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      try {
        const ids = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')], {});
        assert.ok(ids[0] > 0);
      } finally {
        await session.close();
      }

      assert.deepEqual(events, [], 'the debugger saw no resume (or new pause) while we worked');
      // The debugger's own handles and frames still work.
      const frame = await debuggerClient.send('Debugger.evaluateOnCallFrame', { callFrameId: paused.callFrames[0].callFrameId, expression: 'typeof ProcessorClass', returnByValue: true });
      assert.equal(frame.result.value, 'function');
      await debuggerClient.send('Debugger.removeBreakpoint', { breakpointId });
      await debuggerClient.send('Debugger.resume');
    } finally {
      await debuggerClient.close();
      await target.kill();
    }
  });
});

describe('inspector session through a js-debug-like proxy (viaJsDebugProxy)', () => {
  it('subscribes first, streams the snapshot, and never calls *.disable', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'));
    const proxy = await startJsDebugLikeProxy(target.webSocketUrl);
    try {
      const session = await InspectorSession.connect({ webSocketUrl: proxy.webSocketUrl, viaJsDebugProxy: true });
      const chunks: string[] = [];
      try {
        const ids = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap.get("bot3")')], { onChunk: (c) => chunks.push(c) });
        assert.equal(nodeNameById(chunks.join(''), ids[0]), 'Processor');
      } finally {
        await session.close();
      }
      assert.equal(proxy.methods[0], 'JsDebug.subscribe');
      assert.deepEqual(proxy.methods.filter((method) => method.endsWith('.disable')), []);
      assert.ok(proxy.methods.includes('Runtime.releaseObjectGroup'));
    } finally {
      await proxy.close();
      await target.kill();
    }
  });

  it('cancel after tracking started stops tracking explicitly (no heap-tracking events afterwards) without *.disable', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'));
    const proxy = await startJsDebugLikeProxy(target.webSocketUrl);
    try {
      const session = await InspectorSession.connect({ webSocketUrl: proxy.webSocketUrl, viaJsDebugProxy: true });
      const controller = new AbortController();
      const handle = await session.evaluate('ProcessorClass');
      const capture = session.captureSnapshot([handle], { signal: controller.signal });
      // Abort once tracking has started, before the snapshot is requested.
      while (!proxy.methods.includes('HeapProfiler.startTrackingHeapObjects')) await new Promise((resolve) => setTimeout(resolve, 1));
      controller.abort();
      await assert.rejects(capture, CancelledError);
      assert.ok(session.closed);
      assert.deepEqual(proxy.methods.filter((method) => method.endsWith('.disable')), []);
      assert.ok(proxy.methods.includes('HeapProfiler.stopTrackingHeapObjects'), `sent: ${proxy.methods.join(', ')}`);
      const seen = proxy.upstreamEvents.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const tracking = proxy.upstreamEvents.slice(seen).filter((method) => method === 'HeapProfiler.heapStatsUpdate' || method === 'HeapProfiler.lastSeenObjectId');
      assert.deepEqual(tracking, [], 'V8 sends heap-tracking events every few hundred ms while tracking is on');
    } finally {
      await proxy.close();
      await target.kill();
    }
  });
});

describe('inspector session: evaluating in a paused frame (through the proxy)', () => {
  it('pausedCallFrames() replays the pause and evaluate({ callFrameId }) sees the frame\'s locals', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'));
    const debuggerClient = await CDP({ target: target.webSocketUrl, local: true });
    const proxy = await startJsDebugLikeProxy(target.webSocketUrl);
    try {
      const line = readFileSync(fixturePath('leakyTarget.js'), 'utf8').split('\n').findIndex((text) => text.trim() === 'return state;');
      let resolvePaused: () => void = () => undefined;
      const paused = new Promise<void>((resolve) => (resolvePaused = resolve));
      debuggerClient.on('Debugger.paused', () => resolvePaused());
      await debuggerClient.send('Debugger.enable');
      await debuggerClient.send('Debugger.setBreakpointByUrl', { urlRegex: 'leakyTarget\\.js$', lineNumber: line });
      await paused;

      const session = await InspectorSession.connect({ webSocketUrl: proxy.webSocketUrl, viaJsDebugProxy: true });
      try {
        const frames = await session.pausedCallFrames({ timeoutMs: 5000 });
        assert.equal(frames[0]?.functionName, 'tick');
        assert.equal(frames[0].lineNumber, line);
        await assert.rejects(session.evaluate('state'), ExpressionError, 'a local is not visible from the global scope');
        const handle = await session.evaluate('state', { callFrameId: frames[0].callFrameId });
        assert.equal(handle.className, 'TickState');
        const chunks: string[] = [];
        const [id] = await session.captureSnapshot([handle], { onChunk: (chunk) => chunks.push(chunk) });
        assert.equal(nodeNameById(chunks.join(''), id), 'TickState');
      } finally {
        await session.close();
      }
      assert.deepEqual(proxy.methods.filter((method) => method.endsWith('.disable') || method === 'Debugger.resume'), []);
    } finally {
      await debuggerClient.close().catch(() => undefined);
      await proxy.close();
      await target.kill();
    }
  });
});
