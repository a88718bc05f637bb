// Live memory in a real VS Code, on the demo's bot server
// (fixtures/growingBots.js: it loads bots when the test asks, and /fix
// applies the README's fix without a restart): the memory chart reads a real
// process and stops while the debugger holds it paused; a pinned
// ResourceLoader's count rises; Watch Until Collected says "still alive" with
// the leak and "collected" after the fix; allocation stacks name the line of
// the demo that builds each ResourceLoader; the process is left as found.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GrowthShown, ShowResult } from '../../../src/extension/contributions';
import type { RetainerGraphTestApi } from '../../../src/extension/main';
import type { MemorySeries } from '../../../src/protocol/memoryChart';
import { debugGrowingBots, extensionApi, inspectorTarget, processState, request, startGrowingBots, waitFor, type InspectedProcess } from './helpers';

const PROCESSOR = "process.mainModule.require('../../../../demo/lib/processor').Processor";
const readings = (series: MemorySeries | null | undefined) => (series ? series.recent.length + series.older.length : 0);
const last = (api: RetainerGraphTestApi) => JSON.stringify(api.messages().slice(-3));

describe('the memory chart and Watch Until Collected on an attached process', function () {
  this.timeout(180_000);
  let target: InspectedProcess;
  let port: number;

  before(async () => {
    // Only the checks these tests make: an automatic one would add to the counts they compare.
    await checkEverySeconds(0);
    ({ target, port } = await startGrowingBots({ BOTS: '3' }));
  });
  after(async () => {
    target?.kill();
    await checkEverySeconds(undefined);
  });

  it('Show Memory Chart reads the heap about once a second and marks a snapshot taken meanwhile', async () => {
    const api = await extensionApi();
    const shown = await vscode.commands.executeCommand<MemorySeries | undefined>('retainerGraph.showMemoryChart', { target: inspectorTarget(target) });
    assert.ok(shown, `a chart (messages: ${last(api)})`);
    assert.equal(shown.label, `${target.host}:${target.port}`);
    const three = await waitFor('three readings', () => (readings(api.memoryChart()) >= 3 ? api.memoryChart()! : undefined));
    assert.equal(three.state, 'running');
    assert.ok(three.recent.every((point) => point.used > 0 && point.total >= point.used), 'used and total in bytes');
    await request(port, '/load?count=5');
    const before = api.memoryChart()!.recent.at(-1)!;
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfExpression', { expression: `${PROCESSOR}.instanceMap.get('bot2').resourceLoader`, target: inspectorTarget(target) });
    assert.ok(result, last(api));
    const marked = await waitFor('the snapshot marked, and a reading after it', () => {
      const series = api.memoryChart();
      return series && series.markers.length > 0 && series.recent.at(-1)!.at > series.markers[0].at ? series : undefined;
    });
    assert.ok(marked.markers[0].at >= before.at, 'marked when it was taken');
  });

  it('a watch on a leaked ResourceLoader says "still alive", and Show Retainers walks it in a fresh snapshot', async () => {
    const api = await extensionApi();
    const id = api.lastWalk()!.walk.target;
    const answer = await api.viewCall('watchObject', id, `ResourceLoader @${id}`);
    assert.equal(answer, 'alive', 'Processor.instanceMap still holds it');
    const [watch] = api.watches();
    assert.deepEqual({ label: watch.label, alive: watch.alive, objects: watch.objects.map((o) => o.state) }, { label: `ResourceLoader @${id}`, alive: 1, objects: ['alive'] });
    const checked = await vscode.commands.executeCommand<{ alive: number; checks: number } | undefined>('retainerGraph.checkWatch');
    assert.deepEqual(checked && { alive: checked.alive, checks: checked.checks }, { alive: 1, checks: 2 });
    const walked = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showWatchRetainers');
    assert.equal(walked?.walk.target, id, `the same object in a new snapshot (messages: ${last(api)})`);
    assert.ok(walked.walk.nodes.some((node) => node.label === 'Processor.instanceMap' || node.name === 'Map'), 'its chain through the static map');
  });

  it('after the fix is applied without a restart, Check Now says "collected" and tells the user once', async () => {
    const api = await extensionApi();
    // A check still running when the fix lands (an automatic one, say) must not answer for a Check Now made after it.
    const running = vscode.commands.executeCommand<{ checks: number } | undefined>('retainerGraph.checkWatch');
    await request(port, '/fix');
    const checked = await vscode.commands.executeCommand<{ alive: number; collected: number; checks: number; note?: string } | undefined>('retainerGraph.checkWatch');
    assert.ok(checked, last(api));
    assert.deepEqual({ alive: checked.alive, collected: checked.collected }, { alive: 0, collected: 1 }, `${checked.note ?? ''} ${last(api)}`);
    assert.equal(checked.checks, (await running)!.checks + 1, 'a check of its own, after the one running');
    assert.equal(api.messages().filter((m) => /was collected: the fix works/.test(m.text)).length, 1);
    await vscode.commands.executeCommand('retainerGraph.checkWatch');
    assert.equal(api.messages().filter((m) => /was collected: the fix works/.test(m.text)).length, 1, 'told once');
  });

  it('stopping the chart and removing the watch leave the process as found', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('retainerGraph.stopMemoryChart');
    assert.equal(api.memoryChart()?.state, 'stopped');
    const frozen = readings(api.memoryChart());
    assert.notEqual((await processState(target.webSocketUrl)).heapId, '0', 'the watch still holds the session, so the ids live');
    await vscode.commands.executeCommand('retainerGraph.removeWatch');
    assert.deepEqual(api.watches(), []);
    await waitFor('the connection to close', async () => (((await processState(target.webSocketUrl)).heapId) === '0' ? true : undefined));
    assert.equal(readings(api.memoryChart()), frozen, 'no reading after it stopped');
  });

  it('a watch on ids whose session closed is refused, in words that say why', async () => {
    const api = await extensionApi();
    // No chart or recording holds the connection: the capture's own session closes after the snapshot, and V8 forgets its ids.
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfExpression', { expression: `${PROCESSOR}.instanceMap`, target: inspectorTarget(target) });
    assert.ok(result, last(api));
    await assert.rejects(api.viewCall('watchObject', result.walk.target, 'Map'), /ids of .* are gone: V8 keeps them only while the inspector session that took the snapshot is open/);
    assert.deepEqual(api.watches(), []);
  });
});

describe('recording growth with allocation stacks and a pinned class', function () {
  this.timeout(240_000);
  let target: InspectedProcess;
  let port: number;
  let recording: GrowthShown;

  before(async () => {
    ({ target, port } = await startGrowingBots());
  });
  after(() => target?.kill());

  it('tracks allocations from the baseline on, and the Growth view charts the heap with both snapshots marked', async () => {
    const api = await extensionApi();
    const first = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target), allocationStacks: true });
    assert.ok(first, last(api));
    recording = first;
    assert.equal(api.recordingTracksAllocations(), true);
    await request(port, '/load?count=3');
    const second = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.ok(second?.report, last(api));
    assert.equal(second.report.snapshots.at(-1)?.allocationStacks, true);
    const memory = await waitFor('the chart in the Growth view', () => {
      const series = api.growthView()?.state.memory;
      return series && series.markers.length >= 2 && readings(series) >= 2 ? series : undefined;
    });
    assert.deepEqual(memory.markers.map((m) => m.label), ['snapshot 1', 'snapshot 2']);
  });

  it('names the demo line that builds each new ResourceLoader: the class row, the split groups and the details pane', async () => {
    const api = await extensionApi();
    const report = api.growthView()!.state.report!;
    const loaders = report.classes.find((row) => row.name === 'ResourceLoader');
    const site = loaders?.allocationSites?.find((row) => row.site !== null)?.site;
    assert.ok(site, `a site (${JSON.stringify(loaders?.allocationSites)})`);
    assert.equal(site.frame.functionName, 'Processor', 'new ResourceLoader(botName) runs in the Processor constructor');
    assert.match(site.frame.scriptName, /demo\/lib\/processor\.js$/);
    assert.match(site.label, /processor\.js:\d+ in Processor\(\)/);
    const view = api.growthView()!;
    const paths = await view.api.mergedPaths('ResourceLoader', 'new', { byAllocationSite: true });
    assert.ok(paths.groups.some((group) => group.allocationSite?.frame.functionName === 'Processor'), paths.groups.map((g) => `${g.label} ${g.allocationSite?.label}`).join('; '));
    const id = paths.groups[0].exampleIds[0];
    await view.api.showObject(id);
    const details = await api.viewCall('details', id);
    assert.equal(details.allocation?.state, 'recorded');
    assert.ok(details.allocation?.state === 'recorded' && details.allocation.frames[0].functionName === 'Processor' && details.allocation.frames.some((frame) => frame.functionName === 'loadNextBot'), JSON.stringify(details.allocation));
  });

  it('a pinned ResourceLoader is counted on the chart, and its count rises as bots load', async () => {
    const api = await extensionApi();
    await api.growthView()!.api.pin('ResourceLoader', true);
    const pinned = () => api.growthView()?.state.memory?.pinned.find((line) => line.className === 'ResourceLoader');
    const firstCount = await waitFor('a first count', () => pinned()?.points.at(-1)?.count, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(pinned())}`);
    });
    assert.equal(firstCount, 4, 'the 4 loaders the map holds');
    await request(port, '/load?count=3');
    const later = await waitFor('a higher count', () => {
      const count = pinned()?.points.at(-1)?.count;
      return count !== undefined && count > firstCount ? count : undefined;
    }, 60_000);
    assert.equal(later, 7);
  });

  it('watches a group of merged paths: every object of it, still alive with the leak', async () => {
    const api = await extensionApi();
    const view = api.growthView()!;
    const watched = await view.api.watchGroup('ResourceLoader', 'new', 0, 'new ResourceLoaders');
    const paths = await view.api.mergedPaths('ResourceLoader', 'new');
    assert.deepEqual(watched, { alive: paths.groups[0].count, collected: 0 });
    await vscode.commands.executeCommand('retainerGraph.removeWatch');
  });

  it('Stop leaves the debuggee as found: allocation tracking stopped, no ids held', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('retainerGraph.stopRecording');
    assert.equal(api.recordingTracksAllocations(), false);
    await waitFor('tracking stopped and the connection closed', async () => (((await processState(target.webSocketUrl)).heapId) === '0' ? true : undefined));
    assert.equal(api.growthView()?.state.memory?.state, 'stopped', 'the chart stays, stopped');
    api.growthView()?.close();
    void recording;
  });
});

describe('the memory chart in a js-debug session', function () {
  this.timeout(180_000);
  let port: number;
  let session: vscode.DebugSession;

  before(async () => {
    await extensionApi();
    ({ session, port } = await debugGrowingBots('Retainer Graph memory'));
  });
  after(() => vscode.debug.stopDebugging());

  it('reads while the program runs, stops while the debugger holds it paused, and goes on after Continue', async () => {
    const api = await extensionApi();
    const shown = await vscode.commands.executeCommand<MemorySeries | undefined>('retainerGraph.showMemoryChart', { target: { kind: 'debugSession', sessionId: session.id } });
    assert.ok(shown, last(api));
    await waitFor('two readings', () => (readings(api.memoryChart()) >= 2 ? true : undefined));
    // A program that waits for input has no JavaScript running to pause in: it stops at a `debugger;` statement instead.
    const stopped = request(port, '/debugger');
    const paused = await waitFor('the chart to pause', () => (api.memoryChart()?.state === 'paused' ? api.memoryChart()! : undefined)).catch((error: Error) => {
      throw new Error(`${error.message} (session ${session.id}; ${api.logLines().filter((line) => /debug session/.test(line)).join(' | ')}; stack item ${String(vscode.debug.activeStackItem?.session.id)})`);
    });
    assert.equal(paused.paused.at(-1)?.to, null, 'a paused span, open');
    const whilePaused = readings(paused);
    // Readings come every second while running; none may come while paused.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(readings(api.memoryChart()), whilePaused, 'no reading while paused');
    const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
    await session.customRequest('continue', { threadId: threads[0].id });
    await stopped;
    await waitFor('readings again', () => (readings(api.memoryChart()) > whilePaused ? true : undefined));
    assert.equal(api.memoryChart()?.state, 'running');
    assert.notEqual(api.memoryChart()?.paused.at(-1)?.to, null, 'the span closed');
    await vscode.debug.stopDebugging();
    await waitFor('the chart to stop with the session', () => (api.memoryChart()?.state === 'stopped' ? true : undefined));
  });
});

/** Sets how often watches check themselves (user settings: the demo folder's own stay untouched). */
async function checkEverySeconds(seconds: number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('retainerGraph').update('watchCheckEverySeconds', seconds, vscode.ConfigurationTarget.Global);
}

/** Watches the ResourceLoader of `bot` (bot2 leaked: bot3 replaced it) in `target`; its watch, checked once and still alive. */
async function watchLoader(api: RetainerGraphTestApi, target: { kind: 'inspector'; host: string; port: number; webSocketUrl: string } | { kind: 'debugSession'; sessionId: string }, bot = 'bot2') {
  const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfExpression', { expression: `${PROCESSOR}.instanceMap.get('${bot}').resourceLoader`, target });
  assert.ok(result, last(api));
  const id = result.walk.target;
  assert.equal(await api.viewCall('watchObject', id, `ResourceLoader @${id}`), 'alive', last(api));
  const watch = api.watches().find((candidate) => candidate.label === `ResourceLoader @${id}`);
  assert.ok(watch);
  assert.equal(watch.checks, 1, 'checked once, when added');
  return watch;
}

const watchById = (api: RetainerGraphTestApi, watchId: number) => api.watches().find((watch) => watch.watchId === watchId);

describe('a watch checks itself when the debugger next pauses', function () {
  this.timeout(180_000);
  let port: number;
  let session: vscode.DebugSession;

  before(async () => {
    await extensionApi();
    await checkEverySeconds(0);
    ({ session, port } = await debugGrowingBots('Retainer Graph watch', { env: { BOTS: '3' } }));
  });
  after(async () => {
    await vscode.debug.stopDebugging();
    await checkEverySeconds(undefined);
  });

  it('the debugger stopping runs a check of the watches on that process, and only then', async () => {
    const api = await extensionApi();
    const watch = await watchLoader(api, { kind: 'debugSession', sessionId: session.id });
    assert.equal(watchById(api, watch.watchId)?.checks, 1, 'no timer: nothing checks it meanwhile');
    const stopped = request(port, '/debugger');
    const checked = await waitFor('a check when the debugger stopped', () => {
      const now = watchById(api, watch.watchId);
      return now && now.checks > 1 ? now : undefined;
    }, 60_000);
    assert.equal(checked.checks, 2);
    assert.equal(checked.alive, 1, 'Processor.instanceMap still holds it');
    const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
    await session.customRequest('continue', { threadId: threads[0].id });
    await stopped;
    await vscode.commands.executeCommand('retainerGraph.removeWatch', { kind: 'watch', watchId: watch.watchId });
  });
});

describe('a watch checks itself every retainerGraph.watchCheckEverySeconds, and a process that ends ends it', function () {
  this.timeout(180_000);
  let target: InspectedProcess;
  let port: number;

  before(async () => {
    ({ target, port } = await startGrowingBots({ BOTS: '3' }));
  });
  after(async () => {
    target?.kill();
    await checkEverySeconds(undefined);
    await vscode.commands.executeCommand('retainerGraph.stopMemoryChart');
  });

  it('with the setting at 1 s, checks come by themselves; after GET /fix one of them says collected, told once', async () => {
    const api = await extensionApi();
    await checkEverySeconds(0);
    // The chart holds the connection open, so the graph's ids outlive its snapshot.
    assert.ok(await vscode.commands.executeCommand<MemorySeries | undefined>('retainerGraph.showMemoryChart', { target: inspectorTarget(target) }), last(api));
    const watch = await watchLoader(api, inspectorTarget(target));
    await checkEverySeconds(1);
    await waitFor('two checks on the timer', () => ((watchById(api, watch.watchId)?.checks ?? 0) >= 3 ? true : undefined), 60_000);
    assert.equal(watchById(api, watch.watchId)?.alive, 1);
    await request(port, '/fix');
    const collected = await waitFor('a timed check to find it collected', () => {
      const now = watchById(api, watch.watchId);
      return now && now.collected === 1 ? now : undefined;
    }, 60_000);
    assert.equal(collected.alive, 0);
    assert.equal(api.messages().filter((m) => m.text === `"${watch.label}" was collected: the fix works.`).length, 1);
    await vscode.commands.executeCommand('retainerGraph.removeWatch', { kind: 'watch', watchId: watch.watchId });
    await checkEverySeconds(0);
  });

  it('the process exiting ends the watch, saying its ids ended with the inspector session', async () => {
    const api = await extensionApi();
    const watch = await watchLoader(api, inspectorTarget(target), 'bot3'); // bot2 went with the fix; bot3 is the one loaded
    target.kill();
    const ended = await waitFor('the watch to end', () => watchById(api, watch.watchId)?.ended, 60_000);
    const why = `${target.host}:${target.port} ended or restarted: its snapshot ids ended with the inspector session, so this watch cannot check any more. Record growth again to compare the runs.`;
    assert.equal(ended, why);
    assert.ok(api.messages().some((m) => m.severity === 'warning' && m.text === why), last(api));
    await vscode.commands.executeCommand('retainerGraph.removeWatch', { kind: 'watch', watchId: watch.watchId });
    assert.equal(watchById(api, watch.watchId), undefined);
  });
});
