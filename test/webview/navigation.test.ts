// Moving around one graph as a user does: the heading always names what is
// drawn, "Walk from here" and "Show what it holds" can be undone with Back,
// and every ignored retainer is listed with its undo. The host's calls are
// answered from the real engine.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HeapGraph } from '../../src/engine/index';
import type { Walk } from '../../src/protocol/walk';
import { answerNextCall, lastShowing } from './engineHost';
import { openWebview, pageTestBed, postedCount, rewalkOf, type PageGlobals, type WebviewPage } from './pageHarness';
import { storyWalk } from './walks';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview');

const bed = pageTestBed();
let graph: HeapGraph;
/** bot3's loader: held by Processor.instanceMap and globalThis.appCache. */
let walk: Walk;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ graph, walk } = await storyWalk({ fanOut: 10 }));
});

const heading = (webview: WebviewPage): Promise<string | null> => webview.page.textContent('.heading-text');
const targetId = (webview: WebviewPage): Promise<string | null> => webview.page.getAttribute('g.node.role-target', 'data-id');

/** Selects a drawn node and clicks one of the details pane's actions; answers the details call. */
async function act(webview: WebviewPage, id: number, action: string): Promise<number> {
  const since = await postedCount(webview);
  await webview.page.click(`g.node[data-id="${id}"]`);
  await answerNextCall(webview, graph, since);
  await webview.page.waitForSelector(`${action}:visible`);
  const before = await postedCount(webview);
  await webview.page.click(action);
  return before;
}

describe('the heading, Back and Forward', () => {
  test('the heading follows every walk shown: another query, "Walk from here", Back and Forward', async () => {
    const webview = await openWebview(bed.browser, bed.server, { title: 'ResourceLoader @1 ← process.mainModule.require(...)' }, walk);
    assert.equal(await heading(webview), 'ResourceLoader @1 ← process.mainModule.require(...)');
    assert.equal(await webview.page.isDisabled('#back'), true, 'nothing to go back to yet');

    // The snapshot editor shows the next class picked in the same view: a new query, its own title.
    const processor = walk.edges.find((e) => e.to === walk.target && e.label === '.loader')!.from;
    const second = graph.walk(processor);
    await webview.send({ type: 'walk', walk: second, title: `Processor @${processor}` });
    await webview.page.waitForFunction((id) => (globalThis as unknown as PageGlobals).document.querySelector('g.node.role-target')?.getAttribute('data-id') === String(id), processor);
    assert.equal(await heading(webview), `Processor @${processor}`);

    // Walk from here on the static map that holds it.
    const map = second.nodes.find((n) => n.label === 'Processor.instanceMap')!;
    const since = await act(webview, map.id, '#walk-from-here');
    const asked = rewalkOf(await answerNextCall(webview, graph, since));
    assert.equal(asked.target, map.id);
    await webview.page.waitForFunction((id) => (globalThis as unknown as PageGlobals).document.querySelector('g.node.role-target')?.getAttribute('data-id') === String(id), map.id);
    assert.equal(await heading(webview), `Processor.instanceMap @${map.id}`, 'the heading names the new target, not the first object');
    assert.deepEqual(await lastShowing(webview).then((s) => s && [s.walk.target, s.title]), [map.id, `Processor.instanceMap @${map.id}`], 'the host is told, so the tab title follows');

    // Back: the Processor again, then the first query; Forward returns.
    await webview.page.click('#back');
    assert.equal(await targetId(webview), String(processor));
    assert.equal(await heading(webview), `Processor @${processor}`);
    await webview.page.keyboard.press('Alt+ArrowLeft');
    assert.equal(await targetId(webview), String(walk.target));
    assert.equal(await heading(webview), 'ResourceLoader @1 ← process.mainModule.require(...)');
    assert.equal(await webview.page.isDisabled('#back'), true);
    assert.match((await webview.page.getAttribute('#forward', 'title')) ?? '', new RegExp(`Forward to Processor @${processor}`));
    await webview.page.click('#forward');
    assert.equal(await heading(webview), `Processor @${processor}`);
    assert.deepEqual(await lastShowing(webview).then((s) => s && [s.walk.target, s.title]), [processor, `Processor @${processor}`]);
    await webview.page.close();
  });

  test('Back survives a reload of the view', async () => {
    const webview = await openWebview(bed.browser, bed.server, { title: 'first' }, walk);
    const processor = walk.edges.find((e) => e.to === walk.target && e.label === '.loader')!.from;
    const since = await act(webview, processor, '#walk-from-here');
    await answerNextCall(webview, graph, since);
    await webview.page.waitForFunction((id) => (globalThis as unknown as PageGlobals).document.querySelector('g.node.role-target')?.getAttribute('data-id') === String(id), processor);
    const saved = await webview.state();
    await webview.page.close();
    const reloaded = await openWebview(bed.browser, bed.server, { state: saved });
    await reloaded.page.waitForSelector(`g.node.role-target[data-id="${processor}"]`);
    // The first walk survived as its question: Back asks the host for it again.
    const before = await postedCount(reloaded);
    await reloaded.page.click('#back');
    const asked = rewalkOf(await answerNextCall(reloaded, graph, before));
    assert.equal(asked.target, walk.target);
    await reloaded.page.waitForSelector(`g.node.role-target[data-id="${walk.target}"]`);
    assert.equal(await heading(reloaded), 'first');
    await reloaded.page.close();
  });
});

describe('Show what it holds (objgraph\'s show_refs)', () => {
  test('from the static map: its entries hang below it as get(key) → Processor, the map on top; Back returns to its retainers', async () => {
    const webview = await openWebview(bed.browser, bed.server, { width: 1100, height: 800, title: 'ResourceLoader' }, walk);
    const map = walk.nodes.find((n) => n.label === 'Processor.instanceMap')!;
    const since = await act(webview, map.id, '#show-holds');
    const call = await answerNextCall(webview, graph, since);
    assert.equal(call.method, 'references');
    await webview.page.waitForSelector(`g.node.role-target[data-id="${map.id}"]`);
    assert.equal(await heading(webview), `What Processor.instanceMap @${map.id} holds`);
    const labels = await webview.page.$$eval('g.edge-label text', (els) => els.map((el) => el.textContent));
    for (const key of ['get("bot1")', 'get("bot3")', 'get("bot5")']) assert.ok(labels.includes(key), `${key} in ${labels.join(' | ')}`);
    await webview.page.waitForTimeout(400); // the re-layout's transition
    // Same colours, the other way up: the map at the top, what it holds below.
    const y = (selector: string) => webview.page.$eval(selector, (el) => el.getBoundingClientRect().top);
    const mapTop = await y(`g.node[data-id="${map.id}"]`);
    const held = graph.references(map.id, walk.options).edges.find((e) => e.label === 'get("bot3")')!.to;
    assert.ok(mapTop < (await y(`g.node[data-id="${held}"]`)), 'the map is drawn above what it holds');
    assert.equal(await webview.page.$eval(`g.node[data-id="${map.id}"] text.badge`, (el) => el.textContent), 'TARGET');
    await webview.page.screenshot({ path: join(SHOTS, 'what-it-holds.png') });
    // Depth and fan-out re-walk what it holds, not its retainers.
    const before = await postedCount(webview);
    await webview.page.fill('#fan-out', '2');
    await webview.page.press('#fan-out', 'Enter');
    assert.equal((await answerNextCall(webview, graph, before)).method, 'references');
    await webview.page.waitForSelector('g.node.more');
    assert.match((await webview.page.textContent('g.node.more text.stats')) ?? '', /references not shown/);
    await webview.page.click('#back');
    assert.equal(await targetId(webview), String(walk.target));
    await webview.page.close();
  });
});

describe('ignored retainers', () => {
  test('each is listed with an undo, and Undo walks again with it', async () => {
    const webview = await openWebview(bed.browser, bed.server, { title: 'ResourceLoader' }, walk);
    assert.equal(await webview.page.isHidden('#ignored'), true);
    let since = await postedCount(webview);
    await webview.page.click(`g.node[data-id="${walk.target}"]`);
    await answerNextCall(webview, graph, since);
    await webview.page.waitForSelector('.details ul.retainers li');
    since = await postedCount(webview);
    await webview.page.click('.details ul.retainers li:has(.edge-name:text-is(".lastLoader")) .retainer-ignore');
    await answerNextCall(webview, graph, since);
    await webview.page.waitForSelector('g.node.role-global', { state: 'detached' });
    assert.equal(await webview.page.isVisible('#ignored'), true);
    const listed = await webview.page.$$eval('#ignored .ignored-edge .edge-name', (els) => els.map((el) => el.textContent ?? ''));
    assert.equal(listed.length, 1);
    assert.match(listed[0], /^\.lastLoader in .* → ResourceLoader @\d+$/);
    await webview.page.screenshot({ path: join(SHOTS, 'ignored-retainer.png') });
    since = await postedCount(webview);
    await webview.page.click('#ignored .undo-ignore');
    const undone = rewalkOf(await answerNextCall(webview, graph, since));
    assert.equal(undone.options.ignoredEdges, undefined);
    await webview.page.waitForSelector('g.node.role-global');
    assert.equal(await webview.page.isHidden('#ignored'), true);
    await webview.page.close();
  });
});
