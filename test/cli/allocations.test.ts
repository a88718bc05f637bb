// Allocation stacks from the command line: `paths --by allocation` and the
// allocation sites in `growth` on the allocations fixture's snapshots (they
// carry stacks), a snapshot without stacks said so, and `growth --connect
// --allocations` recording them live over one session and stopping after, and
// naming the functions that build the demo server's leaking objects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';
import type { GrowthReport, MergedPaths } from '../../src/protocol/growth';
import { fixtureSeries } from '../fixtures/series';
import { fixtureProgram, fixtureSnapshot } from '../fixtures/snapshot';
import { fixturePath, startInspected, type InspectedProcess } from '../inspector/helpers/target';
import { nodeWithSnapshotLineEnds, nodeWithoutSnapshotLineEnds } from '../inspector/helpers/nodeBinaries';
import { runCli } from './runCli';

const root = join(__dirname, '..', '..');

/** 1-based line of the first line of a fixture that starts with `text`. */
function lineOf(program: string, text: string): number {
  const lines = readFileSync(program, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(text));
  assert.ok(at >= 0, `${program} has "${text}"`);
  return at + 1;
}

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli', 'helper'], { cwd: root, stdio: 'inherit' });
});

describe('paths --by allocation and growth on snapshots with allocation stacks', () => {
  let series: string[];
  let enqueue: string;
  let urgent: string;
  before(async () => {
    series = await fixtureSeries('allocations');
    enqueue = `allocations.js:${lineOf(fixtureProgram('allocations'), 'function enqueue()')} in enqueue()`;
    urgent = `allocations.js:${lineOf(fixtureProgram('allocations'), 'function enqueueUrgent()')} in enqueueUrgent()`;
  });

  it('paths --by allocation splits each path by site, in text and json', async () => {
    const text = await runCli('paths', series[2], '--class', 'Job', '--by', 'allocation');
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.equal(lines[0], `660 Job: 600 via Scheduler.queued.get(*), allocated at ${enqueue}, 40 via globalThis.urgent[*], allocated at ${urgent}, 20 via Scheduler.queued.get(*), no allocation stack`);
    assert.ok(lines.includes(`  600 via Scheduler.queued.get(*), allocated at ${enqueue}  (self 23.4 KB, retained ${/retained ([\d.]+ KB)\)/.exec(text.stdout.split('\n').find((l) => l.startsWith('  600 via'))!)![1]})`));
    const json = await runCli('paths', series[2], '--class', 'Job', '--by', 'allocation', '--format', 'json');
    const paths = JSON.parse(json.stdout) as MergedPaths;
    assert.deepEqual(paths.groups.map((g) => [g.label, g.allocationSite?.label ?? null, g.count]), [
      ['Scheduler.queued.get(*)', enqueue, 600],
      ['globalThis.urgent[*]', urgent, 40],
      ['Scheduler.queued.get(*)', null, 20],
    ]);
    const plain = JSON.parse((await runCli('paths', series[2], '--class', 'Job', '--format', 'json')).stdout) as MergedPaths;
    assert.ok(plain.groups.every((g) => !('allocationSite' in g)), '--by path (the default) merges sites');
  });

  it('growth names where each class was allocated, in json and text', async () => {
    const json = await runCli('growth', ...series, '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as GrowthReport;
    const job = report.classes.find((c) => c.name === 'Job')!;
    assert.deepEqual(job.allocationSites!.map((row) => [row.site?.label ?? null, row.count]), [[enqueue, 600], [urgent, 40], [null, 20]]);
    const text = await runCli('growth', ...series);
    assert.match(text.stdout, new RegExp(`\\n {2}2\\. Job: [^\\n]*; allocated at ${enqueue.replace(/[.*()]/g, '\\$&')} \\(600\\), ${urgent.replace(/[.*()]/g, '\\$&')} \\(40\\)\\n`));
    assert.ok(text.stdout.includes(`\n  Job: 600 at ${enqueue}, 40 at ${urgent}; 20 without a stack\n`), text.stdout);
  });

  it('a snapshot without allocation stacks says so: exit 1', async () => {
    const snapshot = await fixtureSnapshot('staticMap');
    const result = await runCli('paths', snapshot, '--class', 'Processor', '--by', 'allocation');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^retainer-graph: \S+ has no allocation stacks: V8 records them only while it tracks allocations/);
  });

  it('usage errors: an unknown --by, and --allocations without --connect', async () => {
    const by = await runCli('paths', series[2], '--class', 'Job', '--by', 'site');
    assert.equal(by.code, 2);
    assert.match(by.stderr, /paths --by must be one of path, allocation, got "site"/);
    const allocations = await runCli('growth', ...series, '--allocations');
    assert.equal(allocations.code, 2);
    assert.match(allocations.stderr, /--allocations records allocation stacks in a live process: use it with --connect <host:port>/);
  });
});

describe('growth --connect --allocations on a real --inspect process', () => {
  let target: InspectedProcess;
  before(async () => {
    // --no-compact: V8 drops the stack of an object its GC moves after giving it an id (docs/live.md).
    target = await startInspected(fixturePath('growingTarget.js'), { args: ['--no-compact'] });
  });
  after(() => target.kill());

  it('records stacks from the first snapshot on, names the site of the growing class, and stops tracking', async () => {
    const result = await runCli('growth', '--connect', `${target.host}:${target.port}`, '--count', '2', '--every', '0.5', '--allocations', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as GrowthReport;
    assert.deepEqual(report.snapshots.map((s) => s.allocationStacks), [true, true]);
    const session = report.classes.find((c) => c.name === 'Session')!;
    const timerLine = lineOf(fixturePath('growingTarget.js'), 'setInterval(() => {');
    const site = session.allocationSites!.find((row) => row.site !== null)!;
    assert.equal(site.site!.label, `growingTarget.js:${timerLine} in (anonymous)`);
    assert.ok(site.count >= session.new!, `the ${session.new} new sessions were allocated there (${site.count})`);
    assert.equal(session.newWithoutStack, 0, 'with --no-compact no new session lost its stack');
    // The last snapshot stopped tracking, and closing the session left no ids: a snapshot now has no stacks.
    const client = await CDP({ target: target.webSocketUrl, local: true });
    try {
      const chunks: string[] = [];
      client.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
      await client.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      assert.match(chunks.join('').slice(0, 4096), /"trace_function_count":0/);
    } finally {
      await client.close();
    }
  });

  it('paths --connect --new --by allocation: the new instances by path and allocation site, every one with its stack', async () => {
    const result = await runCli('paths', '--connect', `${target.host}:${target.port}`, '--class', 'Session', '--new', '--every', '0.5', '--by', 'allocation');
    assert.equal(result.code, 0, result.stderr);
    const timerLine = lineOf(fixturePath('growingTarget.js'), 'setInterval(() => {');
    const first = result.stdout.split('\n')[0];
    const where = `${target.host}:${target.port}`;
    assert.equal(first.replace(/^[\d,]+ /, 'N '), `N Session allocated after ${where} snapshot 1: ${/^[\d,]+/.exec(first)![0]} via Session.open.get(*), allocated at growingTarget.js:${timerLine} in (anonymous)`);
    assert.doesNotMatch(result.stdout, /no allocation stack/, 'with --no-compact, V8 keeps every stack');
  });
});

describe('paths --connect --by allocation when V8 moves the new objects', () => {
  let target: InspectedProcess;
  before(async () => {
    // Compaction on every full GC (a snapshot starts with one) moves them all, as a long-running process's GC moves many.
    target = await startInspected(fixturePath('growingTarget.js'), { args: ['--compact-on-every-full-gc'] });
  });
  after(() => target.kill());

  it('says how many lost their stack, why, and the flag that keeps them', async () => {
    const result = await runCli('paths', '--connect', `${target.host}:${target.port}`, '--class', 'Session', '--new', '--every', '0.5', '--by', 'allocation');
    assert.equal(result.code, 0, result.stderr);
    const objects = /^([\d,]+) Session allocated after/.exec(result.stdout)![1];
    assert.match(result.stdout, /via Session\.open\.get\(\*\), no allocation stack/);
    assert.ok(
      result.stdout.endsWith(`\nNote: ${objects} of the ${objects} new Session have no allocation stack although V8 recorded stacks from the first snapshot on: its GC drops the stack of an object it moves, and may give a moved object another's. For exact stacks, start the program with node --no-compact (docs/live.md).\n`),
      result.stdout,
    );
  });

  it('growth --allocations counts the new objects that lost their stack, and says the same', async () => {
    const json = await runCli('growth', '--connect', `${target.host}:${target.port}`, '--count', '2', '--every', '0.5', '--allocations', '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const session = (JSON.parse(json.stdout) as GrowthReport).classes.find((c) => c.name === 'Session')!;
    assert.ok(session.new! > 0);
    assert.equal(session.newWithoutStack, session.new, 'every new session was moved by a compacting GC');

    const result = await runCli('growth', '--connect', `${target.host}:${target.port}`, '--count', '2', '--every', '0.5', '--allocations');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\nNo class above has allocation stacks: its objects were allocated before recording began, or V8's GC dropped their stacks when it moved them \(node --no-compact keeps them\)\.\n/);
    assert.match(result.stdout, /\nNote: [\d,]+ of the [\d,]+ new objects of the classes above have no allocation stack although V8 recorded stacks from the first snapshot on: .* start the program with node --no-compact \(docs\/live\.md\)\.\n/);
  });
});

const demoServer = join(root, 'demo', 'server.js');
const demoLib = (name: string) => join(root, 'demo', 'lib', name);

for (const [name, node] of [
  ['Node 20', nodeWithoutSnapshotLineEnds],
  ['Node 24', nodeWithSnapshotLineEnds],
] as const) {
  describe(`growth --allocations on the demo's leaky bot server (${name})`, { skip: node === undefined && `${name} is not installed here` }, () => {
    let demo: InspectedProcess;
    before(async () => {
      // A bot every 100 ms, so both snapshots see new ones; --no-compact as above.
      demo = await startInspected(demoServer, { node, args: ['--no-compact'], readyLine: null, env: { PORT: '0', BOT_INTERVAL_MS: '100', MAX_BOTS: '100000' } });
      await new Promise<void>((resolve) => {
        let out = '';
        demo.child.stdout!.on('data', (data: Buffer) => (out += data.toString()).includes('leaky bot server') && resolve());
      });
    });
    after(() => demo.kill());

    it('names the function that built each ResourceLoader (Processor) and each Processor (loadNextBot)', async () => {
      const result = await runCli('growth', '--connect', `${demo.host}:${demo.port}`, '--count', '2', '--every', '1', '--allocations', '--format', 'json');
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as GrowthReport;
      const sitesOf = (className: string) => report.classes.find((c) => c.name === className)!.allocationSites!.filter((row) => row.site !== null);
      // V8 records the function of each frame; its line is where the function starts.
      const processor = `lib/processor.js:${lineOf(demoLib('processor.js'), '  constructor(botName) {')} in Processor()`;
      const loadNextBot = `lib/botServer.js:${lineOf(demoLib('botServer.js'), '  loadNextBot() {')} in loadNextBot()`;
      assert.deepEqual(sitesOf('ResourceLoader').map((row) => row.site!.label), [processor]);
      assert.deepEqual(sitesOf('Processor').map((row) => row.site!.label), [loadNextBot]);
      assert.ok(sitesOf('ResourceLoader')[0].count >= 1);
    });

    it('paths --connect --new --by allocation: the new ResourceLoaders, held by the static map or the current bot, each built in Processor()', async () => {
      const result = await runCli('paths', '--connect', `${demo.host}:${demo.port}`, '--class', 'ResourceLoader', '--new', '--every', '2', '--by', 'allocation', '--format', 'json');
      assert.equal(result.code, 0, result.stderr);
      const paths = JSON.parse(result.stdout) as MergedPaths;
      assert.ok(paths.objects >= 1, 'bots loaded between the snapshots');
      const processor = `lib/processor.js:${lineOf(demoLib('processor.js'), '  constructor(botName) {')} in Processor()`;
      // Tracking slows bot loading a lot: the new ones may be only the current bot's, or one still being built.
      for (const group of paths.groups) assert.match(group.label, /^Processor\.instanceMap\.get\(\*\)\.resourceLoader$|^this\.current\.resourceLoader$|^\(Stack roots\) → on the stack/);
      assert.deepEqual([...new Set(paths.groups.map((g) => g.allocationSite?.label ?? null))], [processor], 'every new one has its stack, at Processor()');
    });
  });
}
