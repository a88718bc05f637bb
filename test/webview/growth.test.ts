// The Growth view in headless Chromium: the page the host serves, fed the
// engine's growth report and merged paths of real snapshots of a leaking
// scheduler (test/fixtures/growth.js). The test plays the host: it answers
// the view's calls as the host does and checks what a user sees.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassGrowth, ClassSuspect, CollectionSuspect, GrowthReport, MergedPaths, PathTreeNode } from '../../src/protocol/growth';
import type { GrowthSource, GrowthViewApi, GrowthViewEvent } from '../../src/protocol/growthView';
import type { MemorySeries } from '../../src/protocol/memoryChart';
import type { Call } from '../../src/protocol/rpc';
import { formatBytes } from '../../webview/format';
import { screenshotsDir } from '../harness/screenshots';
import { differentProcesses, leakingQueueWithStacks, leakingScheduler, leakingSchedulerTwoSnapshots, type GrowthFixture } from './growthData';
import { openRpcPage, pageTestBed, postedCount, type OpenOptions, type PageGlobals, type RpcPage } from './pageHarness';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from './walks';

type GrowthPage = RpcPage<GrowthViewApi, GrowthViewEvent>;
type Init = Omit<Extract<GrowthViewEvent, { type: 'init' }>, 'type'>;

const bed = pageTestBed();
let three: GrowthFixture;

before(async () => {
  mkdirSync(screenshotsDir, { recursive: true });
  three = await leakingScheduler();
});

const FILES: GrowthSource = { label: '3 files', recording: false, snapshots: 3, canSave: false };

/** Opens the Growth page at half width (a panel beside the editor), and sends `init` when given. */
async function openGrowth(init: Init | null, options: OpenOptions = {}): Promise<GrowthPage> {
  const page = await openRpcPage<GrowthViewApi, GrowthViewEvent>(bed.browser, bed.server, '/growth', { width: 700, height: 900, ...options });
  if (init) {
    await page.send({ type: 'init', ...init });
    await page.page.waitForSelector('.source-label:not(:empty)');
  }
  return page;
}

/** Answers the next `mergedPaths` call (after `since` messages) from the engine, and waits for the answer to be drawn. */
async function answerPaths(page: GrowthPage, fixture: GrowthFixture, since = 0): Promise<{ call: Call<GrowthViewApi, 'mergedPaths'>; paths: MergedPaths }> {
  const call = await page.waitForCall('mergedPaths', since);
  const paths = fixture.mergedPaths(call.args[0], call.args[1]);
  await page.reply(call, paths);
  await page.page.waitForSelector('.paths .status[hidden]', { state: 'attached' });
  return { call, paths };
}

function texts(page: GrowthPage, selector: string): Promise<string[]> {
  return page.page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ''));
}

function style(page: GrowthPage, selector: string, property: string): Promise<string> {
  return page.page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`) as Promise<string>;
}

/** Class names in the table, top to bottom. */
function tableOrder(page: GrowthPage): Promise<string[]> {
  return page.page.$$eval('.classes tbody tr[data-key]', (rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));
}

interface DrawnRow {
  step: string;
  title: string;
  subtitle: string;
  count: string;
  retained: string;
  node: string;
}

function drawnRows(page: GrowthPage): Promise<DrawnRow[]> {
  return page.page.$$eval('g.path-row', (rows) =>
    rows.map((row) => ({
      step: row.querySelector('text.step')?.textContent ?? '',
      title: row.querySelector('text.title')?.textContent ?? '',
      subtitle: row.querySelector('text.subtitle')?.textContent ?? '',
      count: row.querySelector('text.count')?.textContent ?? '',
      retained: row.querySelector('text.retained')?.textContent ?? '',
      node: row.querySelector('g.node')?.getAttribute('class') ?? '',
    })),
  );
}

async function assertClean(page: GrowthPage): Promise<void> {
  assert.deepEqual(await page.cspViolations(), [], 'no Content-Security-Policy violations');
  assert.deepEqual(
    page.errors.filter((e) => !e.includes('favicon') && !e.includes('404')),
    [],
    'no page errors',
  );
}

/** The engine's order kept for ties, as a user expects a sort to do. */
function sortedBy(classes: readonly ClassGrowth[], value: (c: ClassGrowth) => number | string, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  return classes
    .map((c, index) => ({ c, index, v: value(c) }))
    .sort((a, b) => (typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v))) * sign || a.index - b.index)
    .map((x) => x.c.name);
}

const last = <T>(values: readonly T[]): T => values[values.length - 1];

describe('leak suspects first', () => {
  test('one sentence each, ranked as the engine ranks them; a click opens the merged paths of what grew', async () => {
    const page = await openGrowth({ title: 'Growth of 3 files', source: FILES, report: three.report });
    const map = three.report.suspects[0] as CollectionSuspect;
    const job = three.report.suspects[1] as ClassSuspect;
    assert.deepEqual([map.label, job.label], ['Scheduler.queued', 'Job'], 'the engine ranks the static map first');
    const sentences = await texts(page, '.suspect-list button.suspect');
    assert.equal(sentences.length, 5, 'five at first');
    assert.equal(sentences[0], `Scheduler.queued (static map): +400 entries per snapshot, holding Job, +${formatBytes(map.retainedGrowth! / 2)} retained per step`);
    assert.equal(sentences[1], `Job: +400 instances per snapshot, ${Math.round(job.heldBy!.share * 100)} % held by Scheduler.queued, +${formatBytes(job.retainedGrowth! / 2)} retained per step`);
    assert.ok(sentences.some((s) => s.startsWith('ListNode: +100 instances per snapshot, ')), sentences.join(' | '));
    assert.ok(!sentences.some((s) => /CacheEntry|BatchItem/.test(s)), 'churn and a batch that came and went are no suspects');

    await page.page.click('#all-suspects');
    assert.equal((await texts(page, '.suspect-list button.suspect')).length, three.report.suspects.length);

    const since = await postedCount(page);
    await page.page.click('.suspect-list li:first-child button.suspect');
    const { call } = await answerPaths(page, three, since);
    assert.deepEqual(call.args, ['Job', 'new'], 'the static map holds Job: its new objects');
    assert.equal(await page.page.textContent('.paths-title'), 'Merged paths of Job');
    await assertClean(page);
    await page.page.close();
  });

  test('with two snapshots and no retained sizes: growth in new objects, and a hint that a third tells a leak from a batch', async () => {
    const two = await leakingSchedulerTwoSnapshots();
    const page = await openGrowth({ title: 'Growth', source: { label: '127.0.0.1:9229', recording: true, snapshots: 2, canSave: true }, report: two.report });
    const map = two.report.suspects.find((s): s is CollectionSuspect => s.kind === 'collection' && s.label === 'Scheduler.queued')!;
    const sentences = await texts(page, '.suspect-list button.suspect');
    assert.ok(sentences.includes(`Scheduler.queued (static map): +400 entries per snapshot, holding Job, +${formatBytes(map.newSize)} of new objects per step`), sentences.join(' | '));
    assert.equal(await page.page.textContent('.suspects .hint'), 'Grew between the two snapshots; take a third to tell a steady leak from a batch that comes and goes.');
    const headers = await texts(page, '.classes thead th');
    assert.ok(!headers.some((h) => h.startsWith('Retained')), `no retained column without retained sizes: ${headers.join(' | ')}`);
    await page.page.close();
  });

  test('no suspects: said plainly, with what was compared', async () => {
    const quiet: GrowthReport = { ...three.report, suspects: [] };
    const page = await openGrowth({ title: 'Growth', source: FILES, report: quiet });
    assert.equal(await page.page.textContent('.suspects .no-suspects'), 'No leak suspects in 3 snapshots of 3 files: no collection grew at every step, and no class by more than a few objects a step.');
    await page.page.close();
  });
});

describe('the class table', () => {
  test('sorts by any column, filters by name, and the keyboard walks it; Enter opens the merged paths', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    const classes = three.report.classes;
    assert.deepEqual(await tableOrder(page), sortedBy(classes, (c) => last(c.sizes) - c.sizes[0], true), 'largest self-size growth first, as the engine ranks');
    assert.equal(await page.page.textContent('.table-count'), `${classes.length} classes changed`);

    await page.page.click('th[data-column="new"] button');
    assert.deepEqual(await tableOrder(page), sortedBy(classes, (c) => c.new!, true));
    assert.equal(await page.page.getAttribute('th[data-column="new"]', 'aria-sort'), 'descending');
    await page.page.click('th[data-column="new"] button');
    assert.deepEqual(await tableOrder(page), sortedBy(classes, (c) => c.new!, false), 'a second click reverses');
    assert.equal(await page.page.getAttribute('th[data-column="new"]', 'aria-sort'), 'ascending');
    await page.page.click('th[data-column="name"] button');
    assert.deepEqual(await tableOrder(page), sortedBy(classes, (c) => c.name, false));
    await page.page.click('th[data-column="everyStep"] button');
    const steady = await tableOrder(page);
    assert.deepEqual(steady.slice(0, classes.filter((c) => c.grewEveryStep).length).sort(), classes.filter((c) => c.grewEveryStep).map((c) => c.name).sort());

    // A sparkline per row: three points, rising for Job.
    const points = ((await page.page.getAttribute('tr[data-key="Job"] svg.sparkline polyline', 'points')) ?? '').split(' ').map((p) => Number(p.split(',')[1]));
    assert.equal(points.length, 3);
    assert.ok(points[0] > points[1] && points[1] > points[2], `y falls as the count rises: ${points.join(', ')}`);
    assert.equal(await page.page.getAttribute('tr[data-key="Job"] td[data-column="count"]', 'title'), '400 → 800 → 1,200');

    await page.page.fill('#filter', 'list');
    assert.deepEqual(await tableOrder(page), ['ListNode']);
    assert.equal(await page.page.textContent('.table-count'), `1 of ${classes.length} classes`);
    await page.page.fill('#filter', '');

    await page.page.click('th[data-column="sizeDelta"] button');
    const order = await tableOrder(page);
    assert.deepEqual(order, sortedBy(classes, (c) => last(c.sizes) - c.sizes[0], true));
    await page.page.focus('.classes tbody tr[tabindex="0"]');
    await page.page.keyboard.press('Home');
    await page.page.keyboard.press('ArrowDown');
    await page.page.keyboard.press('ArrowDown');
    const focused = () => page.page.evaluate('document.activeElement?.getAttribute("data-key")') as Promise<string>;
    assert.equal(await focused(), order[2]);
    assert.equal(await page.page.evaluate('document.activeElement.matches(":focus-visible")'), true, 'the focus is visible');
    assert.notEqual(await style(page, '.classes tbody tr:focus', 'outline-style'), 'none');
    await page.page.keyboard.press('End');
    assert.equal(await focused(), last(order));
    await page.page.keyboard.press('Home');
    await page.page.keyboard.press('ArrowDown');
    const since = await postedCount(page);
    await page.page.keyboard.press('Enter');
    const { call } = await answerPaths(page, three, since);
    assert.deepEqual(call.args, [order[1], 'new']);
    assert.equal(await page.page.getAttribute(`tr[data-key="${order[1]}"]`, 'aria-selected'), 'true');
    assert.equal(await focused(), order[1], 'the focus stays in the table');
    await assertClean(page);
    await page.page.close();
  });

  test('collections that grew are listed below, and a click opens what they hold', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    const rows = await texts(page, '.collections tbody tr td[data-column="label"]');
    assert.deepEqual(rows, ['Scheduler.queued (static map)', 'events._events["flush"] (Array)']);
    assert.equal(await page.page.textContent('.collections tbody tr:first-child td[data-column="holds"]'), '800 new Job');
    assert.equal(await page.page.getAttribute('.collections tbody tr:first-child td[data-column="entries"]', 'title'), '400 → 800 → 1,200');
    const since = await postedCount(page);
    await page.page.click('.collections tbody tr:nth-child(2)');
    const { call } = await answerPaths(page, three, since);
    assert.deepEqual(call.args, ['(closure)', 'new']);
    await page.page.close();
  });
});

describe('merged paths', () => {
  test('from the roots down to the class: one branch per group, labelled as code reads them, as wide as their objects', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    let since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Job"]');
    const { call, paths } = await answerPaths(page, three, since);
    assert.deepEqual(call.args, ['Job', 'new']);
    assert.deepEqual(
      paths.groups.map((g) => [g.label, g.count]),
      [
        ['Scheduler.queued.get(*)', 760],
        ['globalThis.lastJobs[*]', 40],
      ],
    );
    assert.equal(await page.page.textContent('.paths-headline'), '800 new Job since snapshot 1: 760 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');
    assert.equal(await page.page.textContent('.paths-sizes'), `self ${formatBytes(paths.selfSize)} · ${formatBytes(paths.retainedSize!)} freed if all of them were released`);
    const rows = await drawnRows(page);
    assert.deepEqual(
      rows.map((r) => [r.step, r.title, r.count]),
      [
        ['', 'module scope of growth.js', '×760'],
        ['Scheduler', 'Scheduler', '×760'],
        ['.queued', 'Scheduler.queued', '×760'],
        ['get(*)', 'Job', '×760'],
        ['', 'globalThis', '×40'],
        ['.lastJobs', 'globalThis.lastJobs', '×40'],
        ['[*]', 'Job', '×40'],
      ],
    );
    const role = (r: DrawnRow) => /role-([\w-]+)/.exec(r.node)?.[1];
    assert.deepEqual(rows.map(role), ['module', 'plain', 'static-map', 'target', 'global', 'static-map', 'target'], 'roots coloured as in the single-object graph');
    assert.equal(await style(page, 'g.path-row:nth-child(3) g.node.role-static-map rect.box', 'fill'), 'rgb(209, 134, 22)');
    assert.deepEqual([rows[3].retained, rows[6].retained], [formatBytes(paths.groups[0].retainedSize!), formatBytes(paths.groups[1].retainedSize!)]);
    // Branch widths: 1.5 px plus 6.5 px times the share of the 800 objects.
    const width = (child: number) => page.page.getAttribute(`path.branch[data-child="${child}"]`, 'stroke-width');
    assert.deepEqual([await width(3), await width(6)], [(1.5 + (6.5 * 760) / 800).toFixed(1), (1.5 + (6.5 * 40) / 800).toFixed(1)]);
    const legend = await texts(page, '.paths .legend li');
    assert.deepEqual(legend, ['Static map / collection', 'Global root', 'Module scope root', 'Where the Job objects are', 'Wider: more objects']);

    // A branch opens the single-object graph of one of its objects.
    since = await postedCount(page);
    await page.page.click('g.path-row[data-index="3"]');
    const opened = await page.waitForCall('showObject', since);
    assert.ok(paths.groups[0].exampleIds.includes(opened.args[0]), `@${opened.args[0]} is one of the map's new jobs`);
    await page.reply(opened, undefined);
    since = await postedCount(page);
    await page.page.click('g.path-row[data-index="5"]');
    assert.ok(paths.groups[1].exampleIds.includes((await page.waitForCall('showObject', since)).args[0]), 'a node above the class opens an object of its branch');

    // The keyboard: down to the first row, End, left to the holder, Enter.
    await page.page.focus('.paths-scroll');
    await page.page.keyboard.press('End');
    await page.page.keyboard.press('ArrowLeft');
    assert.equal(await page.page.getAttribute('g.path-row.selected', 'data-index'), '5');
    await page.page.keyboard.press('ArrowRight');
    assert.equal(await page.page.getAttribute('g.path-row.selected', 'data-index'), '6');
    since = await postedCount(page);
    await page.page.keyboard.press('Enter');
    assert.ok(paths.groups[1].exampleIds.includes((await page.waitForCall('showObject', since)).args[0]));

    // Every instance, not only the new ones.
    since = await postedCount(page);
    await page.page.check('#scope-all');
    const all = await answerPaths(page, three, since);
    assert.deepEqual(all.call.args, ['Job', 'all']);
    assert.equal(await page.page.textContent('.paths-headline'), '1,200 Job: 1,160 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');
    assert.equal(await page.page.evaluate('document.querySelector(".paths-scroll").scrollWidth <= document.querySelector(".paths-scroll").clientWidth'), true, 'fits a half-width panel');
    await page.page.screenshot({ path: join(screenshotsDir, 'growth-paths-dark.png') });
    await assertClean(page);
    await page.page.close();
  });

  test('a linked list: one repeated step, drawn as a stack', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    const since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="ListNode"]');
    await answerPaths(page, three, since);
    const rows = await drawnRows(page);
    assert.deepEqual(
      rows.map((r) => [r.step, r.title, r.subtitle, r.count]),
      [
        ['', 'module scope of growth.js', '', '×200'],
        ['history', 'Object', '', '×200'],
        ['.head', 'ListNode', '1 end here', '×200'],
        ['(.next)+', 'ListNode', 'repeated', '×199'],
      ],
    );
    assert.equal(await page.page.getAttribute('g.path-row[data-index="3"] rect.stack', 'display'), null, 'the repeated node is drawn as a stack');
    assert.ok((await texts(page, '.paths .legend li')).includes('Repeated step (a list, a tree)'));
    await page.page.close();
  });

  test('a class that grew in size but has no new objects says so, and all its instances are one click away', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    assert.equal(three.report.classes.find((c) => c.name === 'Map')?.new, 0);
    let since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Map"]');
    await answerPaths(page, three, since);
    assert.equal(await page.page.textContent('.paths-headline'), 'No new Map since snapshot 1.');
    assert.equal(await page.page.textContent('.paths-sizes'), 'Choose "All instances" to see the paths of every Map.');
    assert.equal(await page.page.$('g.path-row'), null);
    since = await postedCount(page);
    await page.page.check('#scope-all');
    const { paths } = await answerPaths(page, three, since);
    assert.equal(await page.page.textContent('.paths-headline'), `${paths.objects} Map: ${paths.groups.slice(0, 3).map((g) => `${g.count} via ${g.label}`).join(', ')}${paths.groups.length > 3 ? `, ${paths.groups.slice(3).reduce((n, g) => n + g.count, 0)} by ${paths.groups.length - 3} more paths` : ''}`);
    await page.page.close();
  });

  test('many groups: the largest drawn, the rest as "+N more groups" that open ten at a time', async () => {
    const page = await openGrowth({ title: 'Growth', source: FILES, report: three.report });
    const since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Array"]');
    await page.page.check('#scope-all');
    const { paths } = await answerPaths(page, three, since + 1);
    assert.equal(paths.groups.length > 20, true, `Array has ${paths.groups.length} groups`);
    const roots = paths.tree.children;
    assert.ok(roots.length > 8, `${roots.length} roots`);
    const groupsIn = (node: PathTreeNode): number => (node.objects > 0 ? 1 : 0) + node.children.reduce((sum, c) => sum + groupsIn(c), 0);
    const hidden = roots.slice(8);
    const moreText = `+${hidden.reduce((sum, r) => sum + groupsIn(r), 0)} more groups · ${hidden.reduce((sum, r) => sum + r.count, 0).toLocaleString('en-US')} objects`;
    const more = page.page.locator('g.path-row.more[data-depth="0"]');
    assert.equal(await more.locator('text.title').textContent(), moreText);
    const drawnRoots = await page.page.$$eval('g.path-row.branch[data-depth="0"] text.count', (els) => els.map((el) => Number((el.textContent ?? '').replace(/[×,]/g, ''))));
    assert.deepEqual(drawnRoots, roots.slice(0, 8).map((r) => r.count), 'the largest roots first');
    const before = (await drawnRows(page)).length;
    await more.click();
    await page.page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('g.path-row').length > n, before);
    assert.equal(await page.page.$$eval('g.path-row.branch[data-depth="0"]', (els) => els.length), Math.min(roots.length, 18));
    await page.page.screenshot({ path: join(screenshotsDir, 'growth-many-groups.png') });
    await page.page.close();
  });
});

describe('what a report cannot compare', () => {
  test('snapshots of different processes: said plainly, class counts only', async () => {
    const different = await differentProcesses();
    assert.equal(different.report.sameProcess, false);
    const page = await openGrowth({ title: 'Growth', source: { label: '2 files', recording: false, snapshots: 2, canSave: false }, report: different.report });
    assert.equal(
      await page.page.textContent('.different-processes'),
      `These snapshots come from different processes (or the inspector session was closed between them): ${Math.round(different.report.idMismatch * 100)} % of the object ids they share name objects of another class. Objects cannot be matched across them, so only class counts and sizes are compared: no new or deleted objects, no collections, no leak suspects.`,
    );
    assert.equal(await page.page.$('.suspect-list'), null);
    const headers = (await texts(page, '.classes thead th')).map((h) => h.replace(/ [▲▼]$/, ''));
    assert.ok(!headers.includes('New') && !headers.includes('Deleted'), headers.join(' | '));
    assert.equal(await page.page.$('.collections table'), null);
    const since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Job"]');
    const { call } = await answerPaths(page, different, since);
    assert.deepEqual(call.args, ['Job', 'all'], 'no baseline to tell new objects by');
    assert.equal(await page.page.isDisabled('#scope-new'), true);
    await page.page.screenshot({ path: join(screenshotsDir, 'growth-different-processes.png') });
    await assertClean(page);
    await page.page.close();
  });

  test('one snapshot (no report): only the merged paths of the class asked for', async () => {
    const page = await openGrowth({ title: 'All Job — merged paths', source: { label: 'app.heapsnapshot', recording: false, snapshots: 1, canSave: false }, report: null, focus: { className: 'Job', scope: 'all' } });
    const { call } = await answerPaths(page, three);
    assert.deepEqual(call.args, ['Job', 'all']);
    assert.equal(await page.page.isVisible('.report'), false);
    assert.equal(await page.page.isVisible('.paths .close'), false, 'nothing to go back to');
    assert.equal(await page.page.textContent('.heading'), 'All Job — merged paths');
    assert.equal(await page.page.textContent('.paths-headline'), '1,200 Job: 1,160 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');
    assert.equal((await drawnRows(page)).length, 7);
    await assertClean(page);
    await page.page.close();
  });
});

describe('recording', () => {
  test('Take Next, Stop and Save call the host; busy, errors and new reports show as they come', async () => {
    const two = await leakingSchedulerTwoSnapshots();
    const recording: GrowthSource = { label: '127.0.0.1:9229', recording: true, snapshots: 2, canSave: true };
    const page = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: recording, report: two.report });
    assert.equal(await page.page.textContent('.source-label'), 'Recording 127.0.0.1:9229 · 2 snapshots');
    assert.deepEqual(await page.page.$$eval('.source-bar .actions button', (els) => els.filter((el) => !el.hasAttribute('hidden')).map((el) => el.textContent)), ['Take Next Snapshot', 'Stop', 'Save Snapshots…']);

    let since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Job"]');
    await answerPaths(page, two, since);
    assert.equal(await page.page.textContent('.paths-headline'), '400 new Job since snapshot 1: 360 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');

    since = await postedCount(page);
    await page.page.click('#take-next');
    const take = await page.waitForCall('takeNext', since);
    assert.equal(await page.page.isDisabled('#take-next'), true, 'one snapshot at a time');
    await page.send({ type: 'source', source: { ...recording, snapshots: 3 } });
    await page.send({ type: 'busy', message: 'Reading snapshot 3…' });
    await page.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.textContent === 'Reading snapshot 3…');
    assert.equal(await page.page.textContent('.source-label'), 'Recording 127.0.0.1:9229 · 3 snapshots (snapshot 3 not compared yet)');
    await page.reply(take, undefined);
    await page.page.waitForTimeout(100);
    assert.equal(await page.page.isDisabled('#take-next'), true, 'no next snapshot while the host says it is busy with one');

    // The third snapshot's report: suspects and table update, and the open class's paths are asked for again.
    since = await postedCount(page);
    await page.send({ type: 'report', source: { ...recording, snapshots: 3 }, report: three.report });
    await page.page.waitForSelector('body > #app > .status[hidden]', { state: 'attached' });
    await page.page.waitForSelector('#take-next:not([disabled])');
    await answerPaths(page, three, since);
    assert.equal(await page.page.textContent('.paths-headline'), '800 new Job since snapshot 1: 760 via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]');
    assert.match((await texts(page, '.suspect-list button.suspect'))[0], /retained per step$/);
    assert.equal(await page.page.getAttribute('tr[data-key="Job"]', 'aria-selected'), 'true');

    since = await postedCount(page);
    await page.page.click('#save');
    await page.replyError(await page.waitForCall('save', since), 'Could not write /read-only/growth-1.heapsnapshot: permission denied.');
    await page.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.getAttribute('data-kind') === 'error');
    assert.equal(await page.page.textContent('body > #app > .status'), 'Could not write /read-only/growth-1.heapsnapshot: permission denied.');
    assert.equal(await page.page.isDisabled('#save'), false);

    since = await postedCount(page);
    await page.page.click('#stop');
    await page.reply(await page.waitForCall('stop', since), undefined);
    // A snapshot cancelled by the stop is read back; once the recording has stopped, nothing is busy.
    await page.send({ type: 'busy', message: 'Reading snapshot 3 back…' });
    await page.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.textContent === 'Reading snapshot 3 back…');
    await page.send({ type: 'source', source: { ...recording, recording: false, snapshots: 3 } });
    await page.page.waitForSelector('body > #app > .status[hidden]', { state: 'attached' });
    await page.page.waitForSelector('#take-next', { state: 'hidden' });
    assert.equal(await page.page.isVisible('#stop'), false);
    assert.equal(await page.page.isVisible('#save'), true);
    assert.equal(await page.page.textContent('.source-label'), '127.0.0.1:9229 · 3 snapshots');
    await page.send({ type: 'error', message: `Lost ${HOSTILE_IMG}` });
    await page.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.textContent?.startsWith('Lost '));
    assert.equal(await page.page.textContent('body > #app > .status'), `Lost ${HOSTILE_IMG}`);
    await assertClean(page);
    await page.page.close();
  });
});

describe('a live recording: Pin, and allocation stacks', () => {
  const RECORDING: GrowthSource = { label: '127.0.0.1:9229', recording: true, snapshots: 3, canSave: true };
  const memory = (pinned: MemorySeries['pinned']): MemorySeries => ({ label: '127.0.0.1:9229', older: [], recent: [{ at: 1_000, used: 8e6, total: 16e6 }, { at: 2_000, used: 9e6, total: 16e6 }], markers: [], paused: [], pinned, state: 'running' });

  test('Pin on a class row says what a count costs, asks the host to count it without opening its paths, and the chart names its count', async () => {
    const stacks = await leakingQueueWithStacks();
    const page = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: RECORDING, report: stacks.report, memory: memory([]) });
    const pin = page.page.locator('.classes tbody tr[data-key="Job"] button.pin');
    assert.equal(await pin.textContent(), 'Pin');
    assert.match((await pin.getAttribute('title')) ?? '', /^Pin Job\. .*full GC and heap walk/);
    assert.match((await page.page.getAttribute('th[data-column="pin"] button', 'title')) ?? '', /full GC and heap walk/);
    let since = await postedCount(page);
    await pin.click();
    const call = await page.waitForCall('pin', since);
    assert.deepEqual(call.args, ['Job', true]);
    await page.reply(call, undefined);
    await page.page.waitForSelector('.classes tbody tr[data-key="Job"] button.pin.pinned[aria-pressed="true"]');
    assert.equal(await pin.textContent(), 'Unpin');
    await page.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.textContent?.startsWith('Pinned Job: its live count is drawn on the chart.') === true);
    assert.ok(!(await page.posted()).slice(since).some((m) => m.method === 'mergedPaths'), 'pinning does not open the merged paths');
    await page.send({ type: 'memory', series: memory([{ className: 'Job', points: [{ at: 1_500, count: 640 }, { at: 2_000, count: 660 }] }]) });
    await page.page.waitForSelector('.memory-legend .key[data-class="Job"]');
    assert.equal(await page.page.textContent('.memory-legend .key[data-class="Job"]'), 'Job: 660');
    assert.equal(await page.page.locator('.memory-chart polyline.pinned[data-class="Job"]').count(), 1);
    since = await postedCount(page);
    await pin.click();
    const unpin = await page.waitForCall('pin', since);
    assert.deepEqual(unpin.args, ['Job', false]);
    await page.reply(unpin, undefined);
    await page.page.waitForSelector('.classes tbody tr[data-key="Job"] button.pin[aria-pressed="false"]');
    await assertClean(page);
    await page.page.close();
    // Saved snapshots compared: nothing runs to count, so no Pin column.
    const files = await openGrowth({ title: 'Growth of 3 files', source: FILES, report: stacks.report });
    assert.equal(await files.page.locator('th[data-column="pin"]').count(), 0);
    await files.page.close();
  });

  test('Allocated at names the site most new instances came from; the split switch asks the host for groups by site, and each group names its site', async () => {
    const stacks = await leakingQueueWithStacks();
    const page = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: RECORDING, report: stacks.report });
    const job = stacks.report.classes.find((c) => c.name === 'Job');
    assert.ok(job?.allocationSites);
    const cell = page.page.locator('.classes tbody tr[data-key="Job"] td[data-column="allocatedAt"]');
    assert.equal(await cell.textContent(), `600 at ${job.allocationSites[0].site?.label} (+1 more site)`, 'enqueue() 600, enqueueUrgent() 40, 20 from before tracking');
    assert.match(job.allocationSites[0].site?.label ?? '', /^allocations\.js:\d+ in enqueue\(\)$/);
    assert.deepEqual(((await cell.getAttribute('title')) ?? '').split('\n'), job.allocationSites.map((row) => `${row.count} ${row.site ? `at ${row.site.label}` : 'without a stack'}`));

    let since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Job"]');
    const plain = await answerPaths(page, stacks, since);
    assert.deepEqual(plain.call.args, ['Job', 'new'], 'the plain call while the switch is off');
    assert.equal(await page.page.isVisible('label.split-by-site'), true, 'offered: the snapshots have stacks');
    assert.equal(await page.page.textContent('.path-groups h3'), 'Groups');

    since = await postedCount(page);
    await page.page.check('#split-by-site');
    const split = await page.waitForCall('mergedPaths', since);
    assert.deepEqual(split.args, ['Job', 'new', { byAllocationSite: true }]);
    await page.reply(split, stacks.mergedPaths('Job', 'new', { byAllocationSite: true }));
    await page.page.waitForSelector('.path-groups h3:text("Groups by allocation site")');
    const groups = await texts(page, '.group-list li .group-text');
    assert.match(groups[0], /^Scheduler\.queued\.get\(\*\) ×600, allocated at allocations\.js:\d+ in enqueue\(\)$/);
    assert.match(groups[1], /^globalThis\.urgent\[\*\] ×40, allocated at allocations\.js:\d+ in enqueueUrgent\(\)$/);
    assert.equal(await page.page.locator('.group-list .watch-group').count(), 2, 'a running recording can watch each group');
    await assertClean(page);
    await page.page.close();

    // Snapshots without stacks: no column, no switch.
    const plainReport = await openGrowth({ title: 'Growth of 3 files', source: FILES, report: three.report });
    assert.equal(await plainReport.page.locator('th[data-column="allocatedAt"]').count(), 0);
    since = await postedCount(plainReport);
    await plainReport.page.click('.classes tbody tr[data-key="Job"]');
    await answerPaths(plainReport, three, since);
    assert.equal(await plainReport.page.isVisible('label.split-by-site'), false);
    await plainReport.page.close();

    // Recorded from the first snapshot on, but the GC moved the new jobs (as Node 22's does): the cell says so, not "before tracking".
    const moved = structuredClone(stacks.report);
    const movedJob = moved.classes.find((c) => c.name === 'Job')!;
    movedJob.allocationSites = [{ site: null, count: 660, selfSize: 0, exampleIds: [] }];
    movedJob.newWithoutStack = 640;
    const lost = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: RECORDING, report: moved });
    const lostCell = lost.page.locator('.classes tbody tr[data-key="Job"] td[data-column="allocatedAt"]');
    assert.equal(await lostCell.textContent(), 'no stack (640 new ones lost theirs: the GC moved them)');
    assert.deepEqual(((await lostCell.getAttribute('title')) ?? '').split('\n'), ['660 without a stack', "640 of the new ones lost their stack: V8's GC drops the stack of an object it moves. Start the program with node --no-compact for exact stacks."]);
    await lost.page.close();
  });

  test('site labels and pinned class names from the heap stay text', async () => {
    const stacks = await leakingQueueWithStacks();
    const hostile = structuredClone(stacks.report);
    const job = hostile.classes.find((c) => c.name === 'Job')!;
    for (const row of job.allocationSites ?? []) if (row.site) row.site = { ...row.site, label: `${HOSTILE_IMG}${row.site.label}` };
    const page = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: RECORDING, report: hostile, memory: memory([{ className: `${HOSTILE_SCRIPT}Job`, points: [{ at: 2_000, count: 3 }] }]) });
    const cell = page.page.locator('.classes tbody tr[data-key="Job"] td[data-column="allocatedAt"]');
    assert.ok(((await cell.textContent()) ?? '').startsWith(`600 at ${HOSTILE_IMG}`), 'the label as text');
    assert.equal(await page.page.getAttribute('.memory-legend [data-class]', 'data-class'), `${HOSTILE_SCRIPT}Job`);
    assert.match((await page.page.textContent('.memory-legend [data-class]')) ?? '', /^<\/script><script>window\.__pwned=2<\/scri…: 3$/, 'cut to 40 characters, as text');
    let since = await postedCount(page);
    await page.page.click('.classes tbody tr[data-key="Job"]');
    await answerPaths(page, stacks, since);
    since = await postedCount(page);
    await page.page.check('#split-by-site');
    const call = await page.waitForCall('mergedPaths', since);
    const paths = structuredClone(stacks.mergedPaths('Job', 'new', { byAllocationSite: true }));
    for (const group of paths.groups) if (group.allocationSite) group.allocationSite = { ...group.allocationSite, label: `${HOSTILE_SCRIPT}${group.allocationSite.label}` };
    await page.reply(call, paths);
    await page.page.waitForSelector('.path-groups h3:text("Groups by allocation site")');
    assert.ok((await texts(page, '.group-list li .group-text')).every((text) => text.includes(`, allocated at ${HOSTILE_SCRIPT}allocations.js:`)));
    assert.equal(await page.page.$('img'), null);
    assert.equal(await page.page.evaluate('window.__pwned'), undefined, 'no injected script ran');
    await assertClean(page);
    await page.page.close();
  });
});

test('the view survives being hidden and shown: report, sort, filter and paths come back before the host answers', async () => {
  const init: Init = { title: 'Growth', source: FILES, report: three.report };
  const first = await openGrowth(init);
  await first.page.click('th[data-column="new"] button');
  await first.page.fill('#filter', 'o');
  const since = await postedCount(first);
  await first.page.click('.classes tbody tr[data-key="Job"]');
  await answerPaths(first, three, since);
  const state = await first.state();
  const order = await tableOrder(first);
  await first.page.close();

  const second = await openGrowth(null, { state });
  assert.deepEqual(await tableOrder(second), order);
  assert.equal(await second.page.getAttribute('th[data-column="new"]', 'aria-sort'), 'descending');
  assert.equal(await second.page.inputValue('#filter'), 'o');
  assert.equal((await drawnRows(second)).length, 7, 'the merged paths are drawn from the saved state');
  const afterReady = await postedCount(second);
  await second.send({ type: 'init', ...init });
  await second.send({ type: 'busy', message: 'marker' });
  await second.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('body > #app > .status')?.textContent === 'marker');
  assert.deepEqual((await second.posted()).slice(afterReady), [], 'nothing asked again');
  assert.equal(await second.page.inputValue('#filter'), 'o');
  assert.equal((await drawnRows(second)).length, 7);
  await second.page.close();
});

test('light, dark and high-contrast themes take their colours from the theme variables', async () => {
  const expected = {
    dark: { background: 'rgb(31, 31, 31)', target: 'rgb(241, 76, 76)' },
    light: { background: 'rgb(255, 255, 255)', target: 'rgb(229, 20, 0)' },
    'high-contrast': { background: 'rgb(0, 0, 0)', target: 'rgb(244, 135, 113)' },
  } as const;
  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    const page = await openGrowth({ title: 'Growth of 127.0.0.1:9229', source: { label: '127.0.0.1:9229', recording: true, snapshots: 3, canSave: true }, report: three.report }, { theme });
    const since = await postedCount(page);
    await page.page.click('.suspect-list li:nth-child(2) button.suspect');
    await answerPaths(page, three, since);
    assert.equal(await page.page.evaluate(`document.body.classList.contains(${JSON.stringify(theme === 'high-contrast' ? 'vscode-high-contrast' : `vscode-${theme}`)})`), true);
    assert.equal(await style(page, 'body', 'background-color'), expected[theme].background);
    assert.equal(await style(page, 'g.node.role-target rect.box', 'stroke'), expected[theme].target);
    assert.equal(await style(page, 'g.node.role-static-map rect.box', 'fill'), theme === 'high-contrast' ? 'rgb(255, 140, 0)' : 'rgb(209, 134, 22)');
    assert.equal(await style(page, 'path.branch', 'stroke-opacity'), theme === 'high-contrast' ? '1' : '0.85');
    await page.page.screenshot({ path: join(screenshotsDir, `growth-${theme}.png`) });
    await assertClean(page);
    await page.page.close();
  }
  const wide = await openGrowth({ title: 'Growth of 3 files', source: FILES, report: three.report }, { width: 1280, height: 900 });
  const since = await postedCount(wide);
  await wide.page.click('.classes tbody tr[data-key="Job"]');
  await answerPaths(wide, three, since);
  await wide.page.screenshot({ path: join(screenshotsDir, 'growth-wide.png') });
  await wide.page.close();
});

test('heap strings are shown as text, never run as markup', async () => {
  const hostile = structuredClone(three.report);
  const rename = (name: string) => (name === 'Job' ? `${HOSTILE_IMG}Job` : name);
  for (const c of hostile.classes) c.name = rename(c.name);
  for (const s of hostile.suspects) {
    if (s.kind === 'class') s.label = rename(s.label);
    else {
      s.label = `${HOSTILE_SCRIPT}${s.label}`;
      s.holds = s.holds.map((held) => ({ ...held, name: rename(held.name) }));
    }
  }
  for (const c of hostile.collections) c.label = `${HOSTILE_SCRIPT}${c.label}`;
  const page = await openGrowth({ title: `Growth ${HOSTILE_SCRIPT}`, source: { ...FILES, label: HOSTILE_IMG }, report: hostile });
  assert.ok((await texts(page, '.suspect-list button.suspect'))[0].startsWith(`${HOSTILE_SCRIPT}Scheduler.queued (static map)`));
  assert.equal(await page.page.textContent(`tr[data-key='${HOSTILE_IMG}Job'] .class-name`), `${HOSTILE_IMG}Job`);
  const since = await postedCount(page);
  await page.page.click(`tr[data-key='${HOSTILE_IMG}Job']`);
  const call = await page.waitForCall('mergedPaths', since);
  const paths = structuredClone(three.mergedPaths('Job', 'new'));
  paths.class = call.args[0];
  const poison = (node: PathTreeNode) => {
    node.node = { ...node.node, label: `${HOSTILE_IMG}${node.node.label}` };
    if (node.edge) node.edge = `${HOSTILE_SCRIPT}${node.edge}`;
    node.children.forEach(poison);
  };
  poison(paths.tree);
  await page.reply(call, paths);
  await page.page.waitForSelector('g.path-row');
  const rows = await drawnRows(page);
  assert.ok(rows.every((r) => r.title.startsWith('<img src=x')), `labels drawn as text: ${JSON.stringify(rows)}`);
  assert.equal(await page.page.$('img'), null);
  assert.equal(await page.page.evaluate('window.__pwned'), undefined, 'no injected script ran');
  await assertClean(page);
  await page.page.close();
});
