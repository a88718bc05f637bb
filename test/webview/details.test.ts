// The details pane as a newcomer reads it: counts that agree with the list
// and with the drawing, a source position that names the file (relative to
// the workspace) with "Reveal source" only where there is a file, and a pane
// that floats over a narrow panel instead of squeezing the graph. Plus the
// heading's class line, where a fix shows: 30 instances before, 1 after.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HeapGraph } from '../../src/engine/index';
import type { Walk } from '../../src/protocol/walk';
import { answerNextCall } from './engineHost';
import { openWebview, pageTestBed, postedCount, type WebviewPage } from './pageHarness';
import { demoGraph } from './walks';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview');
const DEMO = join(__dirname, '..', '..', 'demo');

const bed = pageTestBed();
let graph: HeapGraph;
/** The loaded bot's loader: held by the static map and the timer path. */
let walk: Walk;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  graph = await demoGraph();
  walk = graph.walk(graph.instances('ResourceLoader', 1)[0].id);
});

/** Opens the view as the host does, with the demo folder as the workspace. */
async function open(shown: Walk, size: { width: number; height: number } = { width: 1280, height: 800 }): Promise<WebviewPage> {
  const webview = await openWebview(bed.browser, bed.server, size);
  await webview.send({ type: 'init', walk: shown, title: 'ResourceLoader', settings: { hideDebugger: true, showInternals: false }, folders: [DEMO] });
  await webview.page.waitForSelector('g.node');
  await webview.page.waitForTimeout(300);
  return webview;
}

/** Clicks a node and answers its details; returns the facts as term → value. */
async function details(webview: WebviewPage, id: number): Promise<Map<string, string>> {
  const since = await postedCount(webview);
  await webview.page.click(`g.node[data-id="${id}"]`);
  await answerNextCall(webview, graph, since);
  await webview.page.waitForSelector('.details ul.retainers, .details p:not(.loading)');
  const terms = await webview.page.$$eval('.details dt', (els) => els.map((el) => el.textContent ?? ''));
  const values = await webview.page.$$eval('.details dd', (els) => els.map((el) => el.textContent ?? ''));
  return new Map(terms.map((term, i) => [term, values[i]]));
}

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('the details pane', () => {
  test('the counts agree: the list has as many rows as "Retainers" says, and "In this graph" accounts for every one not drawn', async () => {
    const webview = await open(walk);
    const map = walk.nodes.find((n) => n.label === 'Processor.instanceMap')!;
    const facts = await details(webview, map.id);
    const rows = await webview.page.$$eval('.details ul.retainers li', (els) => els.length);
    const all = graph.details(map.id);
    assert.equal(rows, all.retainers.length);
    assert.match(facts.get('Retainers') ?? '', new RegExp(`^${rows}\\b`));
    assert.equal(await webview.page.textContent('.details h3'), `Retainers (${rows})`);
    // One retainer drawn (the class that names the map); the other is a V8 internal the toggle would draw.
    const hidden = walk.filtered?.find((f) => f.id === map.id)?.internal ?? 0;
    assert.ok(hidden > 0);
    assert.equal(facts.get('In this graph'), `1 drawn · ${hidden} V8 internal${hidden === 1 ? '' : 's'} hidden (toggle "V8 internals")`);
    assert.equal(1 + hidden, all.retainers.filter((r) => r.edge.type !== 'weak').length, 'drawn + hidden = every strong retainer');

    // The class at the top, not walked further: its retainers are behind the "+N more" above it.
    const owner = walk.edges.find((e) => e.to === map.id)!.from;
    const cut = walk.truncated.find((t) => t.id === owner)!.hidden;
    assert.equal((await details(webview, owner)).get('In this graph')?.startsWith(`0 drawn · ${cut} behind "+${cut} more"`), true);
    assert.ok(await webview.page.$(`g.node.more[data-key="more${owner}"]`), 'and that "+N more" is drawn');
    await webview.page.close();
  });

  test('an object names its file relative to the workspace, with "Reveal source"; a Node internal names its script without it; a plain object offers none', async () => {
    const webview = await open(walk);
    const processor = walk.nodes.find((n) => n.name === 'Processor' && n.type === 'object')!;
    const facts = await details(webview, processor.id);
    assert.equal(facts.get('Source'), `lib/processor.js:${lineOf(join(DEMO, 'lib', 'processor.js'), 'constructor(botName)')}`);
    assert.equal(await webview.page.isVisible('#reveal-source'), true);
    const since = await postedCount(webview);
    await webview.page.click('#reveal-source');
    assert.deepEqual((await webview.waitForCall('revealSource', since)).args, [processor.id]);

    const timeout = walk.nodes.find((n) => n.name === 'Timeout')!;
    assert.match((await details(webview, timeout.id)).get('Source') ?? '', /^node:internal\/timers:\d+$/);
    assert.equal(await webview.page.$('#reveal-source'), null, 'no file to open: not offered');

    const plain = walk.nodes.find((n) => !n.location && n.type === 'object' && !n.rootKind)!;
    const plainFacts = await details(webview, plain.id);
    assert.equal(plainFacts.has('Source'), false);
    assert.equal(await webview.page.$('#reveal-source'), null);
    await webview.page.close();
  });

  test('the allocation stack: "Not recorded" for a snapshot without stacks; recorded frames open their source; Watch Until Collected only for a live process', async () => {
    const webview = await open(walk);
    const loader = walk.nodes.find((n) => n.id === walk.target)!;
    await details(webview, loader.id);
    assert.match((await webview.page.textContent('#allocation-stack')) ?? '', /^Not recorded/);
    assert.equal(await webview.page.$('#watch-until-collected'), null, 'a snapshot not known to be live offers no watch');
    await webview.page.close();

    const live = await openWebview(bed.browser, bed.server, { width: 1280, height: 800 });
    await live.send({ type: 'init', walk, title: 'ResourceLoader', settings: { hideDebugger: true, showInternals: false }, folders: [DEMO], live: true });
    await live.page.waitForSelector('g.node');
    const since = await postedCount(live);
    await live.page.click(`g.node[data-id="${loader.id}"]`);
    const call = await live.waitForCall('details', since);
    const file = join(DEMO, 'lib', 'processor.js');
    const frame = { functionName: 'Processor', scriptName: file, file: 'lib/processor.js', scriptId: 7, line: 10, column: 2 };
    const hostile = { functionName: '<img src=x onerror="window.__pwned=1">', scriptName: '', file: '', scriptId: 0, line: null, column: null };
    await live.reply(call, { ...graph.details(loader.id), allocation: { state: 'recorded', frames: [frame, hostile], site: { frame, label: 'lib/processor.js:11 in Processor()' } } });
    await live.page.waitForSelector('#allocation-stack li');
    assert.equal(await live.page.textContent('.allocation-site'), 'Allocated at lib/processor.js:11 in Processor()');
    assert.deepEqual(await live.page.$$eval('#allocation-stack li', (els) => els.map((el) => el.textContent)), ['Processor — lib/processor.js:11', '<img src=x onerror="window.__pwned=1"> — (V8)']);
    assert.equal(await live.page.$('#allocation-stack img'), null, 'a function name is text');
    const clicked = await postedCount(live);
    await live.page.click('#allocation-stack li button');
    assert.deepEqual((await live.waitForCall('revealFrame', clicked)).args, [frame]);
    const watched = await postedCount(live);
    await live.page.click('#watch-until-collected');
    const watch = await live.waitForCall('watchObject', watched);
    assert.deepEqual(watch.args, [loader.id, `ResourceLoader @${loader.id}`]);
    await live.reply(watch, 'alive');
    await live.page.waitForSelector('.status:not([hidden])');
    assert.match((await live.page.textContent('.status')) ?? '', /still alive/);
    await live.page.close();
  });

  test('in a narrow panel (the debug layout) the pane floats over the graph instead of squeezing it', async () => {
    const webview = await open(walk, { width: 480, height: 700 });
    const before = await webview.page.$eval('.graph-host', (el) => el.getBoundingClientRect().width);
    await details(webview, walk.target);
    const graphWidth = await webview.page.$eval('.graph-host', (el) => el.getBoundingClientRect().width);
    const pane = await webview.page.$eval('.details', (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; });
    await webview.page.screenshot({ path: join(SHOTS, 'details-480px.png') });
    assert.equal(graphWidth, before, 'the graph keeps its width');
    assert.ok(pane.right <= 480 && pane.width >= 300 && pane.width <= 0.85 * 480, `the pane fits on screen: ${JSON.stringify(pane)}`);
    // The graph stays usable beside it: the target is still clickable left of the pane.
    await webview.page.click('.details .close');
    assert.equal(await webview.page.isHidden('.details'), true);
    await webview.page.close();
  });
});

describe('the heading\'s class line: where a fix shows', () => {
  async function classLine(fixed: boolean): Promise<string> {
    const heap = await demoGraph({ fixed });
    heap.classes();
    heap.computeRetainedSizes();
    const [loader] = heap.instances('ResourceLoader', 1);
    const shown = heap.walk(loader.id);
    const webview = await open(shown, { width: 700, height: 600 });
    const line = (await webview.page.textContent('#summary')) ?? '';
    await webview.page.screenshot({ path: join(SHOTS, `summary-${fixed ? 'fixed' : 'leaky'}.png`) });
    await webview.page.close();
    return line;
  }

  test('30 ResourceLoaders and what they retain before the README\'s fix; one, with its size, after', async () => {
    const leaky = await classLine(false);
    assert.match(leaky, /^30 ResourceLoader instances in this snapshot, [\d.]+ MB retained in all · this one retains [\d.]+ MB$/);
    const fixed = await classLine(true);
    assert.match(fixed, /^1 ResourceLoader instance in this snapshot, [\d.]+ MB retained in all · this one retains [\d.]+ MB$/);
    const size = (line: string, re: RegExp) => Number(re.exec(line)?.[1]);
    const all = /, ([\d.]+) MB retained in all/;
    assert.ok(size(leaky, all) > 10 * size(fixed, all), `${leaky} vs ${fixed}`);
  });
});
