// The first view of a graph as a newcomer meets it: a panel half as wide as
// the window beside the demo's README (~700 px). It must show the target and
// its nearest named root at a size one can read, order and emphasis follow
// what the user came for, and "Fit" keeps that promise. Screenshots go to
// test-results/webview/ (look at them: they are what a user sees).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HeapGraph } from '../../src/engine/index';
import type { Walk } from '../../src/protocol/walk';
import { MIN_READABLE_SCALE, MIN_SCREEN_TEXT_PX } from '../../webview/readable';
import { openWebview, pageTestBed, type WebviewPage } from './pageHarness';
import { demoGraph, syntheticWalk } from './walks';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview');
/** A half-width editor split on a 1440 px window, as the demo README's side-by-side layout gives. */
const PANEL = { width: 700, height: 760 };

const bed = pageTestBed();

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where the graph area is on screen. */
function graphArea(webview: WebviewPage): Promise<Box> {
  return webview.page.$eval('.graph-host', (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
}

/** The page's window, as far as these measurements need it (the test tsconfig has no DOM types). */
interface PageWindow {
  getComputedStyle(element: unknown): { fontSize: string; opacity: string };
}

/** A drawn node's box on screen and the size its smallest text (the stats line) renders at. */
function nodeOnScreen(webview: WebviewPage, selector: string): Promise<Box & { textPx: number; title: string }> {
  return webview.page.$eval(
    selector,
    (el, zoomOf) => {
      const r = el.querySelector('rect.box')!.getBoundingClientRect();
      const stats = el.querySelector('text.stats')!;
      const fontPx = parseFloat((globalThis as unknown as PageWindow).getComputedStyle(stats).fontSize);
      // On screen: the font size times the zoom the viewport applies.
      const transform = el.closest('svg')!.querySelector('g.viewport')!.getAttribute('transform') ?? '';
      const scale = Number(new RegExp(zoomOf).exec(transform)?.[1] ?? 1);
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, textPx: fontPx * scale, title: el.querySelector('text.title')!.textContent ?? '' };
    },
    'scale\\(([\\d.]+)\\)',
  );
}

function inside(inner: Box, outer: Box): boolean {
  return inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
}

function zoom(webview: WebviewPage): Promise<number> {
  return webview.page.$eval('svg.graph g.viewport', (el) => Number(/scale\(([\d.]+)\)/.exec(el.getAttribute('transform') ?? '')?.[1] ?? 1));
}

/** Asserts the target and the nearest named root are both on screen, readable. */
async function assertStoryReadable(webview: WebviewPage, rootSelector: string, what: string): Promise<void> {
  const area = await graphArea(webview);
  const target = await nodeOnScreen(webview, 'g.node.role-target');
  const root = await nodeOnScreen(webview, rootSelector);
  assert.ok(inside(target, area), `${what}: the target is in view: ${JSON.stringify(target)} in ${JSON.stringify(area)}`);
  assert.ok(inside(root, area), `${what}: ${root.title} is in view: ${JSON.stringify(root)} in ${JSON.stringify(area)}`);
  const k = await zoom(webview);
  assert.ok(k >= MIN_READABLE_SCALE - 1e-6, `${what}: zoom ${k} is at least the readable ${MIN_READABLE_SCALE}`);
  for (const node of [target, root]) assert.ok(node.textPx >= MIN_SCREEN_TEXT_PX - 0.05, `${what}: ${node.title}'s smallest text is ${node.textPx.toFixed(1)} px on screen`);
}

async function openAtPanelWidth(walk: Walk, title: string): Promise<WebviewPage> {
  const webview = await openWebview(bed.browser, bed.server, { theme: 'dark', ...PANEL, title }, walk);
  // The first layout transition (none on a first draw) and fonts settle.
  await webview.page.waitForTimeout(300);
  return webview;
}

describe('the first view at a half-width panel (700 px)', () => {
  let graph: HeapGraph;
  let first: Walk;
  before(async () => {
    graph = await demoGraph();
    const [loader] = graph.instances('ResourceLoader', 1);
    first = graph.walk(loader.id);
  });

  test('"the first of 30": the target and Processor.instanceMap are on screen and readable, the timer path recessive', async () => {
    // The walk of the loaded bot's loader: besides the leak, the timer keeps it (BotServer.current), and that is the shortest path.
    assert.ok(first.shortestPath.nodes.some((id) => first.nodes.find((n) => n.id === id)?.name === 'TimersList'), 'the shortest path runs through the timer list');
    const webview = await openAtPanelWidth(first, `ResourceLoader @${first.target}`);
    await webview.page.screenshot({ path: join(SHOTS, 'first-of-30-700px.png') });
    await assertStoryReadable(webview, 'g.node.role-static-map', 'first view');
    assert.equal(await webview.page.$eval('g.node.role-static-map text.title', (el) => el.textContent), 'Processor.instanceMap');
    // Emphasis: the static map's way to the target is drawn as the story; Node's timer plumbing is faint.
    assert.ok(await webview.page.$('g.node.role-static-map.story'), 'the static map is on the story path');
    const timerList = await webview.page.$eval('g.node:has(text.title:text-is("TimersList"))', (el) => ({ classes: el.getAttribute('class'), opacity: (globalThis as unknown as PageWindow).getComputedStyle(el).opacity }));
    assert.match(timerList.classes ?? '', /recessive/);
    assert.ok(Number(timerList.opacity) < 0.6, `TimersList is faint (opacity ${timerList.opacity})`);
    const processorClass = await webview.page.$eval('g.node.role-target', (el) => (globalThis as unknown as PageWindow).getComputedStyle(el).opacity);
    assert.equal(processorClass, '1');
    // Order: the static map's branch is left of the timer's.
    const mapX = (await nodeOnScreen(webview, 'g.node.role-static-map')).left;
    const botServerX = (await nodeOnScreen(webview, 'g.node:has(text.title:text-is("BotServer"))')).left;
    assert.ok(mapX < botServerX, `Processor.instanceMap (${mapX}) is left of BotServer (${botServerX})`);

    // Fit keeps the promise: it frames the same story at a readable size, it does not shrink to grey boxes.
    await webview.page.mouse.move(350, 500);
    await webview.page.mouse.wheel(0, 1200);
    await webview.page.waitForTimeout(300);
    assert.ok((await zoom(webview)) < MIN_READABLE_SCALE, 'scrolled out past readable');
    await webview.page.click('#fit');
    await webview.page.waitForTimeout(400);
    await assertStoryReadable(webview, 'g.node.role-static-map', 'after Fit');
    await webview.page.screenshot({ path: join(SHOTS, 'first-of-30-700px-fit.png') });
    await webview.page.close();
  });

  test('a leaked bot\'s loader: Processor.instanceMap → get("botN") → Processor → .resourceLoader, all readable', async () => {
    const leaked = graph.instances('ResourceLoader').map((n) => graph.walk(n.id)).find((w) => w.shortestPath.edges.some((e) => e.label === 'get("bot7")'));
    assert.ok(leaked);
    const webview = await openAtPanelWidth(leaked, `ResourceLoader @${leaked.target}`);
    await webview.page.screenshot({ path: join(SHOTS, 'leaked-bot-700px.png') });
    await assertStoryReadable(webview, 'g.node.role-static-map', 'leaked bot');
    const labels = await webview.page.$$eval('g.edge-label text', (els) => els.map((el) => el.textContent));
    for (const label of ['get("bot7")', '.resourceLoader']) assert.ok(labels.includes(label), `${label} in ${labels.join(' | ')}`);
    await webview.page.close();
  });

  test('in the debug layout\'s narrower panel (500 px) the story is still whole and readable', async () => {
    const webview = await openWebview(bed.browser, bed.server, { theme: 'dark', width: 500, height: 700, title: `ResourceLoader @${first.target}` }, first);
    await webview.page.waitForTimeout(300);
    await webview.page.screenshot({ path: join(SHOTS, 'first-of-30-500px.png') });
    await assertStoryReadable(webview, 'g.node.role-static-map', '500 px');
    await webview.page.close();
  });

  test('a wide fan-in opens readable around the target, not as a strip of grey boxes; dragging brings in the rest', async () => {
    const wide = syntheticWalk(140, 5);
    const webview = await openAtPanelWidth(wide, 'Target @1');
    await webview.page.screenshot({ path: join(SHOTS, 'wide-700px.png') });
    const area = await graphArea(webview);
    const target = await nodeOnScreen(webview, 'g.node.role-target');
    assert.ok(inside(target, area), 'the target is in view');
    assert.ok(target.textPx >= MIN_SCREEN_TEXT_PX - 0.05, `its text is ${target.textPx} px`);
    assert.equal(await webview.page.$eval('svg.graph', (el) => el.classList.contains('zoomed-out')), false, 'labels are drawn');
    const inView = (): Promise<string[]> =>
      webview.page.$$eval('g.node', (els, a) => els.filter((el) => { const r = el.getBoundingClientRect(); return r.left >= a.left && r.right <= a.right && r.top >= a.top && r.bottom <= a.bottom; }).map((el) => el.getAttribute('data-key') ?? ''), area);
    const before = await inView();
    assert.ok(before.length < (await webview.page.$$eval('g.node', (els) => els.length)), 'not everything fits');
    await webview.page.mouse.move(200, 400);
    await webview.page.mouse.down();
    await webview.page.mouse.move(650, 420, { steps: 8 });
    await webview.page.mouse.up();
    await webview.page.waitForTimeout(200);
    const after = await inView();
    assert.ok(after.some((key) => !before.includes(key)), 'dragging shows nodes that were out of view');
    await webview.page.close();
  });
});
