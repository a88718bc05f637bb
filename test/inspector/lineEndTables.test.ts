import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import CDP from 'chrome-remote-interface';
import { readFileSync } from 'node:fs';
import { InspectorSession } from '../../src/inspector';
import { snapshotNeedsLineEndTables } from '../../src/inspector/lineEndTables';
import { fixturePath, startInspected, type InspectedProcess } from './helpers/target';
import { nodeNameById, scriptHasLineEndTable } from './helpers/snapshotJson';
import { startRecordingRelay } from './helpers/recordingRelay';
import { nodeWithSnapshotLineEnds, nodeWithoutSnapshotLineEnds } from './helpers/nodeBinaries';

/**
 * A second client of the target, as a user might have one open: it reads how
 * often the target ran its `debugger;` statement, and can become a debugger
 * that V8 must leave alone.
 */
async function observe(target: InspectedProcess) {
  const client = await CDP({ target: target.webSocketUrl, local: true });
  let counting = false;
  const pauses: string[] = [];
  client.on('Debugger.paused', (event) => {
    if (counting) pauses.push(`${event.reason} in ${event.callFrames[0]?.functionName} (breakpoints hit: ${event.hitBreakpoints?.length ?? 0})`);
    void client.send('Debugger.resume').catch(() => undefined);
  });
  const statementsRun = async () => (await client.send('Runtime.evaluate', { expression: 'debuggerStatements', returnByValue: true })).result.value as number;
  const waitForDebuggerStatements = async (count: number) => {
    const start = await statementsRun();
    while ((await statementsRun()) < start + count) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return {
    /** Pauses this client saw since it became a debugger. */
    pauses,
    /** Resolves once the target ran its `debugger;` statement `count` more times. */
    waitForDebuggerStatements,
    /**
     * Becomes a debugger with a breakpoint on the fixture's `debugger;` line
     * and breakpoints deactivated (DevTools' "Deactivate breakpoints"), so V8
     * ignores both. Pauses count from when this resolves.
     */
    async becomeDeactivatedDebugger(fixture: string) {
      const lineNumber = readFileSync(fixturePath(fixture), 'utf8').split('\n').findIndex((line) => line.trim() === 'debugger;');
      await client.send('Debugger.enable');
      await client.send('Debugger.setBreakpointsActive', { active: false });
      await client.send('Debugger.setBreakpointByUrl', { urlRegex: `${fixture.replace('.', '\\.')}$`, lineNumber });
      await waitForDebuggerStatements(20);
      counting = true;
    },
    close: () => client.close(),
  };
}

describe('line-end tables before a snapshot (V8 before 11.5 scans scripts without them)', () => {
  it('reads the Node version from /json/version and builds the tables only where V8 does not', () => {
    assert.equal(snapshotNeedsLineEndTables('node.js/v20.20.2'), true);
    assert.equal(snapshotNeedsLineEndTables('node.js/v18.20.4'), true);
    assert.equal(snapshotNeedsLineEndTables('node.js/v21.0.0'), false);
    assert.equal(snapshotNeedsLineEndTables('node.js/v24.22.3'), false);
    assert.equal(snapshotNeedsLineEndTables(undefined), true, 'an inspector that does not say gets the tables rather than risk a stall');
  });

  it(
    'a snapshot of a process holding the TypeScript compiler completes on Node 20 without pausing it, also next to a debugger with deactivated breakpoints',
    { skip: nodeWithoutSnapshotLineEnds ? false : 'needs Node ≤ 20', timeout: 600_000 },
    async (t) => {
      // Without the tables this snapshot takes ~40 s on Node 20 (see the fixture); with them about 2 s.
      const target = await startInspected(fixturePath('typescriptTarget.js'), { node: nodeWithoutSnapshotLineEnds });
      // On timeout the capture is still waiting for V8: ending the target ends it, and the cleanup below runs.
      t.signal.addEventListener('abort', () => void target.kill(), { once: true });
      const other = await observe(target);
      const relay = await startRecordingRelay(target.webSocketUrl);
      try {
        // No debugger is enabled yet: any one would have built the tables itself.
        const session = await InspectorSession.connect({ webSocketUrl: relay.webSocketUrl });
        const chunks: string[] = [];
        try {
          const [id] = await session.captureSnapshot([await session.evaluate('checked.checker')], { onChunk: (chunk) => chunks.push(chunk) });
          const text = chunks.join('');
          assert.equal(nodeNameById(text, id), 'Object', 'the checker, found by its id');
          assert.equal(scriptHasLineEndTable(text, 'typescript/lib/typescript.js'), true, 'typescript.js had its line-end table when the snapshot ran');
          // Our session is still open: nothing of the line-end step may still be active.
          await other.waitForDebuggerStatements(200);
        } finally {
          await session.close();
        }
        assert.deepEqual(
          relay.methods,
          [
            'Runtime.evaluate',
            // Busy with a GC and a heap walk until the Debugger steps behind it have arrived.
            'HeapProfiler.startTrackingHeapObjects',
            'Debugger.setSkipAllPauses',
            'Debugger.enable',
            'Debugger.setBreakpointsActive',
            'Debugger.disable',
            'HeapProfiler.getHeapObjectId',
            'Runtime.releaseObjectGroup',
            'HeapProfiler.stopTrackingHeapObjects',
          ],
          'skip pauses before enabling, end disabled, all behind the start of tracking',
        );
        assert.ok(!relay.eventsToClient.includes('Debugger.paused'), 'the `debugger;` loop never paused the program for us');

        // V8's breakpoints-active switch is shared: enabling ours must not wake the other client's breakpoints.
        await other.becomeDeactivatedDebugger('typescriptTarget.js');
        const again = await InspectorSession.connect({ host: target.host, port: target.port });
        try {
          await again.captureSnapshot([await again.evaluate('checked.checker')]);
          await other.waitForDebuggerStatements(200);
        } finally {
          await again.close();
        }
        assert.deepEqual(other.pauses, [], 'neither the `debugger;` loop nor the deactivated breakpoint stopped the program');
      } finally {
        await relay.close();
        await other.close();
        await target.kill();
      }
    },
  );

  it(
    'on Node ≥ 21 a plain attach leaves the debugger alone (V8 builds the tables itself, off the heap)',
    { skip: nodeWithSnapshotLineEnds ? false : 'needs Node ≥ 21' },
    async () => {
      const target = await startInspected(fixturePath('leakyTarget.js'), { node: nodeWithSnapshotLineEnds });
      const relay = await startRecordingRelay(target.webSocketUrl);
      try {
        const session = await InspectorSession.connect({ webSocketUrl: relay.webSocketUrl });
        const chunks: string[] = [];
        try {
          await session.captureSnapshot([await session.evaluate('ProcessorClass')], { onChunk: (chunk) => chunks.push(chunk) });
        } finally {
          await session.close();
        }
        assert.deepEqual(relay.methods.filter((method) => method.startsWith('Debugger.')), []);
        assert.equal(scriptHasLineEndTable(chunks.join(''), 'leakyTarget.js'), false, 'no table was added to the heap');
      } finally {
        await relay.close();
        await target.kill();
      }
    },
  );

  it(
    'on Node 20 the same capture builds the tables on the heap, and keeps the heap ids of the session',
    { skip: nodeWithoutSnapshotLineEnds ? false : 'needs Node ≤ 20' },
    async () => {
      const target = await startInspected(fixturePath('leakyTarget.js'), { node: nodeWithoutSnapshotLineEnds });
      try {
        const session = await InspectorSession.connect({ host: target.host, port: target.port });
        try {
          const chunks: string[] = [];
          const [first] = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')], { onChunk: (chunk) => chunks.push(chunk) });
          assert.equal(scriptHasLineEndTable(chunks.join(''), 'leakyTarget.js'), true);
          // The line-end step runs again before this capture, on the same session: ids survive it.
          const [second] = await session.captureSnapshot([await session.evaluate('ProcessorClass.instanceMap')]);
          assert.equal(second, first);
        } finally {
          await session.close();
        }
      } finally {
        await target.kill();
      }
    },
  );
});
