// `retainer-graph growth` and `retainer-graph paths` as a user runs them:
// the built CLI on the growth fixture's snapshots, and live over one
// inspector session against a real --inspect process that leaks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { renderDotSvg } from '../../src/cli/svg';
import { parseSvg } from './svgDocument';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';
import type { GrowthReport, MergedPaths } from '../../src/protocol/growth';
import { fixtureSeries } from '../fixtures/series';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { fixturePath, globalsOf, startInspected, type InspectedProcess } from '../inspector/helpers/target';
import { runCli } from './runCli';

const root = join(__dirname, '..', '..');

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli', 'helper'], { cwd: root, stdio: 'inherit' });
});

describe('retainer-graph growth on snapshot files', () => {
  let series: string[];
  before(async () => {
    series = await fixtureSeries('growth');
  });

  it('text leads with the leak suspects, the static map first', async () => {
    const result = await runCli('growth', ...series, '--top', '20');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'Leak suspects (grew at every step of 3 snapshots):');
    assert.match(lines[1], /^ {2}1\. Scheduler\.queued \(Map, static-map @\d+\): \+400 entries at every step \(400 → 800 → 1,200\), holding 800 new Job; [\d.]+ KB in new objects$/);
    assert.match(lines[2], /^ {2}2\. Job: \+400 at every step \(400 → 800 → 1,200\), 800 new; [\d.]+ KB in new objects; 95 % of them held by Scheduler\.queued$/);
    assert.match(result.stdout, /\n {2}CacheEntry +50 → 50 → 50 +50 +50 +0 B\n/, 'the LRU churns: all new, all deleted, no growth');
    assert.match(result.stdout, /\nCollections that grew, most entries gained first:\n {2}Scheduler\.queued \(Map, static-map @\d+\): entries 400 → 800 → 1,200 ↑ every step, holds 800 new Job\n {2}events\._events\["flush"\] \(Array @\d+\): entries 30 → 60 → 90 ↑ every step, holds 60 new \(closure\)\n/);
  });

  it('json is the GrowthReport contract, every changed class listed whatever --top says', async () => {
    const result = await runCli('growth', ...series, '--format', 'json', '--top', '1');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as GrowthReport;
    assert.deepEqual(Object.keys(report).sort(), ['classes', 'collections', 'idMismatch', 'moreCollections', 'sameProcess', 'snapshots', 'suspects']);
    assert.deepEqual(report.snapshots.map((s) => s.file), series);
    assert.ok(report.classes.length > 5);
    const job = report.classes.find((c) => c.name === 'Job');
    assert.deepEqual(job && { counts: job.counts, new: job.new, deleted: job.deleted, grewEveryStep: job.grewEveryStep, retainedSizes: job.retainedSizes }, {
      counts: [400, 800, 1200],
      new: 800,
      deleted: 0,
      grewEveryStep: true,
      retainedSizes: [null, null, null],
    });
    assert.deepEqual(report.suspects.slice(0, 2).map((s) => [s.kind, s.label]), [['collection', 'Scheduler.queued'], ['class', 'Job']]);
  });

  it('--retained-sizes adds retained sizes for every snapshot', async () => {
    const result = await runCli('growth', series[0], series[2], '--retained-sizes', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as GrowthReport;
    assert.ok(report.classes.find((c) => c.name === 'Job')!.retainedSizes.every((size) => size !== null && size > 0));
  });

  it('two processes: says so, and compares classes by count only', async () => {
    const other = await fixtureSnapshot('staticMap');
    const result = await runCli('growth', other, series[0]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^These snapshots are not of one process \(\d+ % of the object ids they share name objects of another class\),\n/);
    assert.match(result.stdout, /\n {2}Job +0 → 400 +– +– /);
  });

  it('exit 2 when the series is not oldest first', async () => {
    const result = await runCli('growth', series[2], series[0]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^retainer-graph: .*growth-1\.heapsnapshot is not newer than .*growth-3\.heapsnapshot: give the snapshots of one process oldest first\nusage: /);
  });
});

describe('retainer-graph paths', () => {
  let series: string[];
  before(async () => {
    series = await fixtureSeries('growth');
  });

  it('text answers first: how many, by which paths', async () => {
    const result = await runCli('paths', series[2], '--class', 'Job');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], '1,200 Job: 1,160 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');
    assert.match(lines[1], /^self size [\d.]+ KB, retained [\d.]+ KB \(freed if all of them were released\)$/);
    assert.match(result.stdout, /\n {2}1,160 via Scheduler\.queued\.get\(\*\) {2}\(self [\d.]+ KB, retained [\d.]+ KB\)\n {4}module scope of growth\.js → Scheduler → Scheduler → \.queued → Scheduler\.queued \(Map\) → get\(\*\) → Job\n {4}e\.g\. @\d+ @\d+ @\d+ @\d+ @\d+\n/);
  });

  it('--new-since keeps the instances allocated after an older snapshot', async () => {
    const result = await runCli('paths', series[2], '--class', 'Job', '--new-since', series[0], '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const paths = JSON.parse(result.stdout) as MergedPaths;
    for (const key of ['class', 'objects', 'newSince', 'groups', 'tree', 'unreachable']) assert.ok(key in paths, key);
    assert.equal(paths.objects, 800);
    assert.equal(paths.newSince?.file, series[0]);
    assert.deepEqual(paths.groups.map((g) => [g.label, g.count, g.edges]), [['Scheduler.queued.get(*)', 760, ['Scheduler', '.queued', 'get(*)']], ['globalThis.lastJobs[*]', 40, ['.lastJobs', '[*]']]]);
    assert.equal(paths.unreachable.count, 0);
  });

  it('dot draws the merged tree in the walk\'s colours, with counts on the edges', async () => {
    const result = await runCli('paths', series[2], '--class', 'Job', '--format', 'dot');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\[label="Scheduler\.queued\\nMap", fillcolor="#ffb347"\]/);
    assert.match(result.stdout, /-> t\d+ \[label="get\(\*\)\\n1,160", penwidth=[\d.]+\]/);
    assert.match(result.stdout, /\[label="Job\\n1,160 Job, [\d.]+ KB retained", fillcolor="#ff6b6b"\]/);
    const { texts } = parseSvg(await renderDotSvg(result.stdout));
    assert.ok(texts.includes('Scheduler.queued') && texts.includes('get(*)'), texts.join(' | '));
  });

  it('svg is that tree drawn by the Graphviz built into the CLI', async () => {
    const dot = await runCli('paths', series[2], '--class', 'Job', '--format', 'dot');
    const svg = await runCli('paths', series[2], '--class', 'Job', '--format', 'svg');
    assert.equal(svg.code, 0, svg.stderr);
    assert.equal(svg.stdout, await renderDotSvg(dot.stdout));
    assert.ok(parseSvg(svg.stdout).texts.includes('1,160 Job, ' + /1,160 Job, ([\d.]+ KB) retained/.exec(dot.stdout)![1] + ' retained'));
  });

  it('exit 2 when --new-since is not older, or of another process; exit 1 for an unknown class', async () => {
    const newer = await runCli('paths', series[0], '--class', 'Job', '--new-since', series[2]);
    assert.equal(newer.code, 2);
    assert.match(newer.stderr, /^retainer-graph: --new-since needs an older snapshot of the same process: .*growth-3\.heapsnapshot is not older than .*growth-1\.heapsnapshot\n/);
    const other = await runCli('paths', series[0], '--class', 'Job', '--new-since', await fixtureSnapshot('staticMap'));
    assert.equal(other.code, 2);
    assert.match(other.stderr, /--new-since needs an older snapshot of the same process: .* are not \(their object ids disagree\)/);
    const unknown = await runCli('paths', series[2], '--class', 'Jb');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'retainer-graph: no class named "Jb" in the snapshot; did you mean "Job"?\n');
  });
});

describe('growth and paths usage errors exit 2 with the usage line', () => {
  const cases: [string, string[], RegExp][] = [
    ['growth with one snapshot', ['growth', 'a.heapsnapshot'], /growth needs at least two snapshots of one process, oldest first; got only a\.heapsnapshot/],
    ['growth with none', ['growth'], /growth needs at least two snapshots of one process, oldest first; got none/],
    ['growth --format dot', ['growth', 'a.heapsnapshot', 'b.heapsnapshot', '--format', 'dot'], /growth --format must be one of text, json, got "dot"/],
    ['--count without --connect', ['growth', 'a.heapsnapshot', 'b.heapsnapshot', '--count', '3'], /--count and --every take snapshots of a live process/],
    ['growth --connect --count 1', ['growth', '--connect', '127.0.0.1:9', '--count', '1', '--every', '1'], /growth needs at least two snapshots: --count 2 or more/],
    ['growth --connect without --every, stdin no terminal', ['growth', '--connect', '127.0.0.1:9'], /stdin is not a terminal: give --every <seconds>/],
    ['bad --every', ['growth', '--connect', '127.0.0.1:9', '--every', 'soon'], /--every expects a number of seconds above 0, got "soon"/],
    ['paths without --class', ['paths', 'a.heapsnapshot'], /paths needs --class <Name>/],
    ['paths with two files', ['paths', 'a.heapsnapshot', 'b.heapsnapshot', '--class', 'Job'], /paths needs one snapshot file or --connect <host:port>, got 2 files/],
    ['paths with neither', ['paths', '--class', 'Job'], /paths needs one snapshot file or --connect <host:port>, got neither/],
    ['paths with a file and --connect', ['paths', 'a.heapsnapshot', '--connect', '127.0.0.1:9', '--class', 'Job'], /either a snapshot file or --connect, not both/],
    ['paths --new on a file', ['paths', 'a.heapsnapshot', '--class', 'Job', '--new'], /--new and --every take snapshots of a live process: use them with --connect <host:port>; for files, --new-since/],
    ['paths --connect --new-since', ['paths', '--connect', '127.0.0.1:9', '--class', 'Job', '--new-since', 'a.heapsnapshot'], /live, --new takes that first snapshot itself/],
    ['paths --connect --every without --new', ['paths', '--connect', '127.0.0.1:9', '--class', 'Job', '--every', '1'], /--every is the wait between the two snapshots of --new/],
    ['paths --connect --by allocation without --new', ['paths', '--connect', '127.0.0.1:9', '--class', 'Job', '--by', 'allocation'], /--by allocation on a live process needs --new/],
    ['paths --connect --new without --every, stdin no terminal', ['paths', '--connect', '127.0.0.1:9', '--class', 'Job', '--new'], /paths --new waits for Enter .* give --every <seconds>/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const result = await runCli(...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.match(result.stderr, /\n {7}retainer-graph growth <first\.heapsnapshot> <next\.heapsnapshot>/);
    });
  }
});

describe('retainer-graph growth --connect against a real --inspect process that leaks', () => {
  let target: InspectedProcess;
  before(async () => {
    target = await startInspected(fixturePath('growingTarget.js'));
  });
  after(() => target.kill());

  /** What another client sees as the heap id of an object: "0" while nobody holds V8's heap ids. */
  async function heapIdSeenByAnotherClient(): Promise<string> {
    const client = await CDP({ target: target.webSocketUrl, local: true });
    try {
      const { result } = await client.send('Runtime.evaluate', { expression: 'SessionClass.open', objectGroup: 'probe' });
      const { heapSnapshotObjectId } = await client.send('HeapProfiler.getHeapObjectId', { objectId: result.objectId! });
      await client.send('Runtime.releaseObjectGroup', { objectGroup: 'probe' });
      return heapSnapshotObjectId;
    } finally {
      await client.close();
    }
  }

  async function openSessions(): Promise<number> {
    const client = await CDP({ target: target.webSocketUrl, local: true });
    try {
      const { result } = await client.send('Runtime.evaluate', { expression: 'SessionClass.open.size', returnByValue: true });
      return result.value as number;
    } finally {
      await client.close();
    }
  }

  it('takes three snapshots over one session, finds the leak, and leaves the process as it was', async () => {
    const globals = await globalsOf(target);
    assert.equal(await heapIdSeenByAnotherClient(), '0');
    const result = await runCli('growth', '--connect', `${target.host}:${target.port}`, '--count', '3', '--every', '1', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as GrowthReport;
    assert.equal(report.sameProcess, true, 'one session: the ids stayed valid');
    assert.deepEqual(report.snapshots.map((s) => s.file), [1, 2, 3].map((i) => `${target.host}:${target.port} snapshot ${i}`));
    const map = report.suspects.find((s) => s.label === 'Session.open');
    assert.equal(map?.kind, 'collection');
    assert.equal(map.rootKind, 'static-map');
    assert.equal(map.grewEveryStep, true);
    const sessions = report.classes.find((c) => c.name === 'Session')!;
    assert.equal(sessions.grewEveryStep, true);
    assert.equal(sessions.new, sessions.counts[2] - sessions.counts[0], 'no session was ever deleted');
    assert.deepEqual(await globalsOf(target), globals, 'no globals added');
    assert.equal(await heapIdSeenByAnotherClient(), '0', 'the session is closed: V8 keeps no heap ids, tracks nothing');
  });
  it('paths --connect: why all of a class are alive, in one snapshot, leaving the process as it was', async () => {
    const globals = await globalsOf(target);
    const result = await runCli('paths', '--connect', `${target.host}:${target.port}`, '--class', 'Session', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const paths = JSON.parse(result.stdout) as MergedPaths;
    assert.equal(paths.newSince, null);
    assert.ok(paths.objects > 0);
    assert.deepEqual(paths.groups.map((g) => g.label), ['Session.open.get(*)']);
    assert.equal(paths.groups[0].count, paths.objects - paths.unreachable.count);
    assert.deepEqual(await globalsOf(target), globals, 'no globals added');
    assert.equal(await heapIdSeenByAnotherClient(), '0', 'the session is closed');
  });

  it('paths --connect --new: only the instances allocated between its two snapshots', async () => {
    const openedBefore = await openSessions();
    const result = await runCli('paths', '--connect', `${target.host}:${target.port}`, '--class', 'Session', '--new', '--every', '1', '--format', 'json');
    const openedAfter = await openSessions();
    assert.equal(result.code, 0, result.stderr);
    const paths = JSON.parse(result.stdout) as MergedPaths;
    assert.equal(paths.newSince?.file, `${target.host}:${target.port} snapshot 1`);
    // Ten sessions every 50 ms for the second between the snapshots; none of those opened before the command.
    assert.ok(paths.objects >= 50 && paths.objects <= openedAfter - openedBefore, `${paths.objects} new of ${openedAfter - openedBefore} opened while it ran`);
    assert.deepEqual(paths.groups.map((g) => g.label), ['Session.open.get(*)']);
    assert.equal(await heapIdSeenByAnotherClient(), '0', 'the session is closed');
  });
});
