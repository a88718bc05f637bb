// Growth in a real VS Code: recordings of a real process (attached, and in a
// js-debug session) that leaks only when the test asks it to (the demo's
// Processor.instanceMap), cancelled at every stage, a session ending
// mid-recording, a recording saved and compared later, and comparisons of
// snapshot files. The Growth view's page is not driven here: its calls are
// made through the host's side, as the page makes them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { ClassFlowResult, GrowthShown } from '../../../src/extension/contributions';
import type { RetainerGraphTestApi } from '../../../src/extension/main';
import type { CollectionSuspect, GrowthReport } from '../../../src/protocol/growth';
import { debugGrowingBots, extensionApi, inspectorTarget, processState, repoRoot, request, startGrowingBots, waitFor, type InspectedProcess } from './helpers';

function firstSuspect(report: GrowthReport | null | undefined): string | undefined {
  return report?.suspects[0] && `${report.suspects[0].kind} ${report.suspects[0].label}`;
}

const last = (api: RetainerGraphTestApi) => JSON.stringify(api.messages().slice(-3));
const growthKeys = (api: RetainerGraphTestApi) => api.keptSnapshots().filter((key) => key.startsWith('growth:'));

/** The extension host's Node (24), and the system's Node when it is another major (users run 20–26). */
function runtimes(): { name: string; node: string }[] {
  const major = (node: string) => execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim();
  const found = [{ name: `Node ${major(process.execPath)}`, node: process.execPath }];
  try {
    const system = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
    if (system && major(system) !== major(process.execPath)) found.push({ name: `Node ${major(system)}`, node: system });
  } catch {
    // no other Node on PATH
  }
  return found;
}

for (const runtime of runtimes()) describe(`recording growth of an attached process (${runtime.name})`, function () {
  this.timeout(180_000);
  let target: InspectedProcess;
  let port: number;
  let initially: { globals: string[]; heapId: string };
  let recording: GrowthShown;

  before(async () => {
    ({ target, port } = await startGrowingBots({}, runtime.node));
    initially = await processState(target.webSocketUrl);
  });
  after(() => target?.kill());

  it('takes a baseline, then the Growth view opens at the second snapshot and names Processor.instanceMap first', async () => {
    const api = await extensionApi();
    const first = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target) });
    assert.ok(first, `a recording started (messages: ${last(api)})`);
    recording = first;
    assert.equal(first.snapshots, 1);
    assert.equal(first.report, null);
    assert.match(api.recordingStatus()?.text ?? '', /Retainer Graph: 1 snapshot — Take Next$/);
    assert.equal(api.recordingStatus()?.stop, '$(debug-stop) Stop');
    assert.notEqual(api.growthView()?.state.source.label, `${target.host}:${target.port}`, 'no Growth view for one snapshot');

    await request(port, '/load?count=3');
    const second = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.ok(second?.report, `a report (messages: ${last(api)})`);
    assert.equal(firstSuspect(second.report), 'collection Processor.instanceMap');
    const view = api.growthView();
    assert.equal(view?.viewType, 'retainerGraph.growth');
    assert.equal(view?.title, `Growth — ${target.host}:${target.port}`);
    assert.deepEqual(view?.state.source, { label: `${target.host}:${target.port}`, recording: true, snapshots: 2, canSave: true });
    assert.match(api.recordingStatus()?.text ?? '', /2 snapshots — Take Next$/);
  });

  it('updates the Growth view with a third snapshot: the map grew at every step, holding the new Processors', async () => {
    const api = await extensionApi();
    await request(port, '/load?count=3');
    const third = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.ok(third?.report, `a report (messages: ${last(api)})`);
    const map = third.report.suspects[0] as CollectionSuspect;
    assert.deepEqual({ label: map.label, kind: map.kind, rootKind: map.rootKind, entries: map.entries, grewEveryStep: map.grewEveryStep }, {
      label: 'Processor.instanceMap',
      kind: 'collection',
      rootKind: 'static-map',
      entries: [1, 4, 7],
      grewEveryStep: true,
    });
    const processor = third.report.classes.find((row) => row.name === 'Processor');
    assert.deepEqual(processor && { counts: processor.counts, new: processor.new }, { counts: [1, 4, 7], new: 6 });
    const view = api.growthView();
    assert.equal(view?.state.report?.snapshots.length, 3, 'the view shows the new report');
    // Retained sizes follow in the worker's background, and the view gets the report again with them.
    await waitFor('a report with retained sizes', () => api.growthView()?.state.report?.snapshots.every((s) => s.hasRetainedSizes) || undefined, 60_000);
  });

  it('answers the Growth view: merged paths of the new Processors, and one of them as a retainer graph', async () => {
    const api = await extensionApi();
    const view = api.growthView()!;
    const paths = await view.api.mergedPaths('Processor', 'new');
    assert.equal(paths.objects, 6);
    const viaMap = paths.groups.find((group) => group.label === 'Processor.instanceMap.get(*)');
    assert.ok(viaMap && viaMap.count >= 5, `groups: ${paths.groups.map((g) => `${g.label} ×${g.count}`).join(', ')}`);
    assert.equal(paths.groups.reduce((sum, group) => sum + group.count, 0) + paths.unreachable.count, 6);
    const id = viaMap.exampleIds[0];
    await view.api.showObject(id);
    const shown = api.lastWalk()?.walk;
    assert.equal(shown?.target, id);
    assert.equal(shown?.nodes.find((node) => node.id === id)?.name, 'Processor');
    await assert.rejects(view.api.mergedPaths('NoSuchClass', 'all'), /no objects of class NoSuchClass/);
  });

  it('a command on the same process meanwhile shares the recording\'s session, so the next snapshot still compares', async () => {
    const api = await extensionApi();
    const walk = await vscode.commands.executeCommand<ClassFlowResult | undefined>('retainerGraph.showRetainersOfClass', { target: inspectorTarget(target), className: 'ResourceLoader', nth: 0, fresh: true });
    assert.ok(walk && 'walk' in walk, `a graph (messages: ${last(api)})`);
    await request(port, '/load?count=2');
    const fourth = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.equal(fourth?.report?.sameProcess, true, 'the ids were not renumbered');
    assert.deepEqual(fourth?.report?.classes.find((row) => row.name === 'Processor')?.counts, [1, 4, 7, 9]);
  });

  it('stops: the process is left as found, and the Growth view keeps working', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('retainerGraph.stopRecording');
    assert.equal(api.recordingStatus(), undefined, 'the status bar items are gone');
    const view = api.growthView()!;
    assert.equal(view.state.source.recording, false);
    const now = await processState(target.webSocketUrl);
    assert.deepEqual(now.globals, initially.globals, 'no globals added');
    assert.equal(now.heapId, '0', 'no heap ids left: our session\'s profiler is off and nothing tracks');
    assert.equal((await view.api.mergedPaths('Processor', 'all')).objects, 9);
    assert.ok(api.keptSnapshots().includes(recording.snapshotKey), 'kept while its view is open');
    await assert.rejects(view.api.takeNext(), /has stopped/);
  });

  it('saves the recording as .heapsnapshot files, which compare later to the same growth', async () => {
    const api = await extensionApi();
    const folder = mkdtempSync(join(tmpdir(), 'retainer-graph-saved-'));
    const saved = await vscode.commands.executeCommand<{ folder: string; files: string[] } | undefined>('retainerGraph.saveRecording', { folder });
    assert.ok(saved, `saved (messages: ${last(api)})`);
    assert.equal(saved.files.length, 4);
    assert.ok(saved.files.every((file) => existsSync(file) && file.startsWith(folder)));
    const recorded = api.growthView()!.state.report!;
    const uris = [saved.files[2], saved.files[0], saved.files[3], saved.files[1]].map((file) => vscode.Uri.file(file));
    const compared = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.compareSnapshots', uris[0], uris);
    assert.ok(compared?.report, `compared (messages: ${last(api)})`);
    assert.deepEqual(compared.files, saved.files, 'oldest first, whatever order they were picked in');
    assert.equal(firstSuspect(compared.report), firstSuspect(recorded));
    const figures = (report: GrowthReport) => {
      const row = report.classes.find((candidate) => candidate.name === 'Processor');
      return row && { counts: row.counts, sizes: row.sizes, new: row.new, deleted: row.deleted, grewEveryStep: row.grewEveryStep };
    };
    assert.deepEqual(figures(compared.report), figures(recorded));
    const view = api.growthView()!;
    assert.equal(view.title, `Growth — ${saved.files.length} heap snapshots in ${basename(folder)}`, "long file names: the count and their folder");
    view.close();
    await waitFor('the comparison to be released', () => (api.keptSnapshots().includes(compared.snapshotKey) ? undefined : true));
  });

  it('Release Kept Snapshots releases the recording\'s snapshots together', async () => {
    const api = await extensionApi();
    assert.ok(api.keptSnapshots().includes(recording.snapshotKey));
    await vscode.commands.executeCommand('retainerGraph.releaseSnapshots');
    assert.ok(!api.keptSnapshots().includes(recording.snapshotKey));
    assert.equal(await vscode.commands.executeCommand('retainerGraph.saveRecording', { folder: tmpdir() }), undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /no recording to save/);
  });
});

describe('recording growth in a js-debug session', function () {
  this.timeout(180_000);
  let port: number;
  let session: vscode.DebugSession;

  before(async () => {
    await extensionApi();
    ({ session, port } = await debugGrowingBots('Retainer Graph growth', { configuration: { skipFiles: ['<node_internals>/**'] }, readyPath: '/load?count=0' }));
  });

  after(async () => {
    await vscode.debug.stopDebugging();
  });

  it('records from the Call Stack view\'s menu (the session id) and names the leak first', async () => {
    const api = await extensionApi();
    const running = vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', session.id);
    // The menu asks whether to record allocation stacks too; the first choice is snapshots only.
    let settled = false;
    void Promise.resolve(running).finally(() => (settled = true));
    await waitFor('the choice to be accepted', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled || api.isCapturing() || undefined;
    }, 60_000);
    const first = await running;
    assert.ok(first, `a recording started (messages: ${last(api)})`);
    assert.match(api.recordingStatus()?.text ?? '', /1 snapshot — Take Next$/);
    await request(port, '/load?count=3');
    const second = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.equal(firstSuspect(second?.report), 'collection Processor.instanceMap', `messages: ${last(api)}`);
    assert.equal(api.growthView()?.title, `Growth — debug session "${session.name}"`);
  });

  it('the session ending mid-recording stops it, says so, and the view keeps what was recorded', async () => {
    const api = await extensionApi();
    await vscode.debug.stopDebugging();
    await waitFor('the recording to stop', () => (api.recordingStatus() === undefined ? true : undefined), 30_000);
    assert.ok(api.messages().some((m) => /ended; the recording stopped after 2 snapshots/.test(m.text)), last(api));
    const view = api.growthView()!;
    assert.equal(view.state.source.recording, false);
    assert.equal((await view.api.mergedPaths('Processor', 'new')).objects, 3, 'paths still answer from the kept snapshot');
    view.close();
    await waitFor('the recording to be released', () => (growthKeys(api).length === 0 ? true : undefined));
  });
});

describe('cancelling a recording, and a process that exits', function () {
  this.timeout(240_000);
  let target: InspectedProcess;
  let port: number;
  let initially: { globals: string[]; heapId: string };

  beforeEach(async () => {
    // Many bots: a snapshot takes long enough to cancel during it.
    ({ target, port } = await startGrowingBots({ BOTS: '12' }));
    initially = await processState(target.webSocketUrl);
  });
  afterEach(async () => {
    target?.kill();
    (await extensionApi()).growthView()?.close();
  });

  async function cancelWhenCapturing(api: RetainerGraphTestApi): Promise<void> {
    await waitFor('the snapshot to start', () => api.isCapturing() || undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    api.cancelCaptures();
  }

  async function assertLeftAsFound(api: RetainerGraphTestApi): Promise<void> {
    assert.equal(api.recordingStatus(), undefined, 'no recording runs');
    assert.equal(api.isCapturing(), false, 'no capture left running');
    const now = await processState(target.webSocketUrl);
    assert.deepEqual(now.globals, initially.globals, 'no globals added');
    assert.equal(now.heapId, '0', 'no heap ids left, nothing tracks');
    assert.equal(target.child.exitCode, null, 'the process runs on');
  }

  it('cancelling the baseline: nothing is recorded or kept', async () => {
    const api = await extensionApi();
    const running = vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target) });
    await cancelWhenCapturing(api);
    assert.equal(await running, undefined);
    assert.equal(api.messages().at(-1)?.text, 'Cancelled.');
    assert.deepEqual(growthKeys(api), []);
    await assertLeftAsFound(api);
  });

  it('cancelling the second snapshot stops the recording; one snapshot has nothing to show, so all is released', async () => {
    const api = await extensionApi();
    assert.ok(await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target) }), last(api));
    const running = vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    await waitFor('the snapshot to start', () => api.isCapturing() || undefined);
    // The Growth view opens as snapshot 2 begins (its page loads while V8 writes).
    assert.equal(api.growthView()?.title, `Growth — ${target.host}:${target.port}`);
    assert.deepEqual(api.growthView()?.state.source, { label: `${target.host}:${target.port}`, recording: true, snapshots: 1, canSave: true });
    await assert.rejects(api.growthView()!.api.takeNext(), /Snapshot 2 of .* is still being taken/);
    await cancelWhenCapturing(api);
    assert.equal(await running, undefined);
    assert.ok(api.messages().some((m) => /Stopped recording .* after 1 snapshot: snapshot 2 was cancelled\./.test(m.text)), last(api));
    assert.equal(api.growthView(), undefined, 'the view went with the recording');
    assert.deepEqual(growthKeys(api), []);
    await assertLeftAsFound(api);
  });

  it('cancelling the third snapshot keeps two in the Growth view, whose paths still answer', async () => {
    const api = await extensionApi();
    assert.ok(await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target) }), last(api));
    await request(port, '/load?count=2');
    const second = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    assert.ok(second?.report, last(api));
    await request(port, '/load?count=2');
    const running = vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    await cancelWhenCapturing(api);
    assert.equal(await running, undefined);
    assert.ok(api.messages().some((m) => /after 2 snapshots: snapshot 3 was cancelled\. The Growth view keeps what was recorded\./.test(m.text)), last(api));
    const view = api.growthView()!;
    assert.deepEqual(view.state.source, { label: `${target.host}:${target.port}`, recording: false, snapshots: 2, canSave: true });
    assert.equal(view.state.report?.snapshots.length, 2);
    // Snapshot 2's graph was set aside when 3 began; it was read back from its file.
    assert.equal((await view.api.mergedPaths('Processor', 'new')).objects, 2);
    await assertLeftAsFound(api);
    view.close();
    await waitFor('the recording to be released', () => (growthKeys(api).length === 0 ? true : undefined));
  });

  it('the process exiting mid-snapshot stops the recording with a clear message', async () => {
    const api = await extensionApi();
    assert.ok(await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.recordGrowth', { target: inspectorTarget(target) }), last(api));
    const running = vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.takeNextSnapshot');
    await waitFor('the snapshot to start', () => api.isCapturing() || undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    target.child.kill('SIGKILL');
    assert.equal(await running, undefined);
    assert.ok(api.messages().some((m) => /exited/.test(m.text)), last(api));
    assert.ok(api.messages().some((m) => /Stopped recording .* after 1 snapshot: snapshot 2 failed/.test(m.text)), last(api));
    assert.equal(api.growthView(), undefined, 'the view opened for snapshot 2 went with the recording');
    assert.equal(api.recordingStatus(), undefined);
    assert.equal(api.isCapturing(), false);
    assert.deepEqual(growthKeys(api), []);
  });
});

describe('comparing heap snapshot files', function () {
  this.timeout(180_000);
  let series: string[];
  let other: string;

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-compare-'));
    execFileSync(process.execPath, [join(repoRoot, 'test', 'fixtures', 'growth.js'), join(dir, 'growth')], { timeout: 120_000 });
    // Names that sort the other way round: the order must come from the object ids.
    series = ['c', 'b', 'a'].map((name, i) => {
      const path = join(dir, `${name}.heapsnapshot`);
      copyFileSync(join(dir, `growth-${i + 1}.heapsnapshot`), path);
      return path;
    });
    other = join(dir, 'otherProcess.heapsnapshot');
    execFileSync(process.execPath, [join(repoRoot, 'test', 'fixtures', 'staticMap.js'), other], { timeout: 60_000 });
  });

  it('Compare Heap Snapshots on an Explorer selection orders the files by object id, not by name', async () => {
    const api = await extensionApi();
    const uris = [series[2], series[0], series[1]].map((path) => vscode.Uri.file(path));
    const compared = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.compareSnapshots', uris[0], uris);
    assert.ok(compared?.report, `compared (messages: ${last(api)})`);
    assert.deepEqual(compared.files, series);
    assert.equal(firstSuspect(compared.report), 'collection Scheduler.queued');
    const view = api.growthView()!;
    assert.equal(view.title, 'Growth — c.heapsnapshot → b.heapsnapshot → a.heapsnapshot');
    assert.deepEqual(view.state.source, { label: 'c.heapsnapshot → b.heapsnapshot → a.heapsnapshot', recording: false, snapshots: 3, canSave: false });
    assert.equal((await view.api.mergedPaths('Job', 'new')).objects, 800);
    await waitFor('the report again with the newest snapshot\'s retained sizes', () => api.growthView()?.state.report?.snapshots.at(-1)?.hasRetainedSizes || undefined, 60_000);
    view.close();
  });

  it('files of two processes: said plainly, and only class counts are compared', async () => {
    const api = await extensionApi();
    const compared = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.compareSnapshots', undefined, [vscode.Uri.file(series[0]), vscode.Uri.file(other)]);
    assert.ok(compared?.report, `compared (messages: ${last(api)})`);
    assert.equal(compared.report.sameProcess, false);
    assert.ok(compared.report.classes.every((row) => row.new === null && row.deleted === null));
    assert.deepEqual(compared.report.collections, []);
    assert.ok(api.messages().some((m) => m.severity === 'warning' && /come from different processes .* only class counts are compared/.test(m.text)), last(api));
    const view = api.growthView()!;
    assert.match(view.state.source.label, /different processes: class counts only/);
    await assert.rejects(view.api.mergedPaths('Job', 'new'), /not of one process/);
    view.close();
  });

  it('Compare with… in the .heapsnapshot editor compares its file with others', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(series[1]), 'retainerGraph.heapSnapshot');
    await waitFor('the editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && basename(input.uri.fsPath) === basename(series[1]) ? true : undefined;
    });
    await waitFor('the snapshot to load', () => (api.keptSnapshots().includes(`file:${vscode.Uri.file(series[1]).toString()}`) ? true : undefined), 60_000);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const compared = await vscode.commands.executeCommand<GrowthShown | undefined>('retainerGraph.compareWith', undefined, [vscode.Uri.file(series[0])]);
    assert.ok(compared?.report, `compared (messages: ${last(api)})`);
    assert.deepEqual(compared.files, [series[0], series[1]]);
    api.growthView()?.close();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('"All N instances — merged paths" opens the Growth view on one snapshot with that class in focus', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand<ClassFlowResult | undefined>('retainerGraph.showRetainersOfClass', { file: series[2], className: 'Job', allInstances: true });
    assert.ok(result && 'mergedPaths' in result, `merged paths (messages: ${last(api)})`);
    const view = api.growthView()!;
    assert.deepEqual(view.state.focus, { className: 'Job', scope: 'all' });
    assert.equal(view.state.report, null);
    assert.equal(view.state.source.snapshots, 1);
    const paths = await view.api.mergedPaths('Job', 'all');
    assert.equal(paths.objects, 1200);
    assert.equal(paths.groups[0].label, 'Scheduler.queued.get(*)');
    await view.api.showObject(paths.groups[0].exampleIds[0]);
    assert.equal(api.lastWalk()?.walk.target, paths.groups[0].exampleIds[0]);
    await assert.rejects(view.api.mergedPaths('Job', 'new'), /older snapshot/);
    const sized = await waitFor('merged paths with retained sizes', async () => {
      const again = await view.api.mergedPaths('Job', 'all');
      return again.retainedSize !== null ? again : undefined;
    }, 60_000);
    assert.ok(sized.groups[0].retainedSize! >= sized.groups[0].selfSize, 'a group holds at least its own bytes');
    view.close();
  });

  it('the instance list offers "All N instances — merged paths" as its first entry', async () => {
    const api = await extensionApi();
    const running = vscode.commands.executeCommand<ClassFlowResult | undefined>('retainerGraph.showRetainersOfClass', { file: series[0], className: 'ListNode' });
    const result = await waitFor('the merged paths', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const view = api.growthView();
      return view?.state.focus?.className === 'ListNode' ? view : undefined;
    });
    assert.ok(await running);
    assert.equal((await result.api.mergedPaths('ListNode', 'all')).objects, 100);
    result.close();
  });
});
