// The retainer graph webview in headless Chromium: the page the host serves,
// walks from the real engine, the user's interactions and the calls they make
// to the host (answered here as the host would).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HeapGraph } from '../../src/engine/index';
import type { Walk } from '../../src/protocol/walk';
import { moreKey, nodeKey } from '../../webview/nodeKeys';
import { screenshotsDir } from '../harness/screenshots';
import { callOf, openWebview, pageTestBed, postedCount, rewalkOf, type PageGlobals, type WebviewPage } from './pageHarness';
import { handWalk, HOSTILE_IMG, HOSTILE_SCRIPT, hostileWalk, storyWalk } from './walks';
import { fixtureGraph } from '../engine/helpers/fixtureGraph';
import { answerNextCall } from './engineHost';

const bed = pageTestBed();

before(async () => {
  mkdirSync(screenshotsDir, { recursive: true });
});

/** Text of every drawn node title, edge label and the like. */
function svgTexts(webview: WebviewPage, selector: string): Promise<string[]> {
  return webview.page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ''));
}

function style(webview: WebviewPage, selector: string, property: string): Promise<string> {
  return webview.page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`) as Promise<string>;
}

async function assertClean(webview: WebviewPage): Promise<void> {
  assert.deepEqual(await webview.cspViolations(), [], 'no Content-Security-Policy violations');
  assert.deepEqual(
    webview.errors.filter((e) => !e.includes('favicon') && !e.includes('404')),
    [],
    'no page errors',
  );
}

describe('the static-map story drawn from a real snapshot', () => {
  let graph: HeapGraph;
  /** bot3's loader: also held by globalThis.appCache. */
  let walk: Walk;
  /** bot2's loader: the static map is on its shortest path (the README's picture). */
  let chain: Walk;
  before(async () => {
    ({ graph, walk } = await storyWalk());
    ({ walk: chain } = await storyWalk({ bot: 'bot2' }));
  });

  test('roots are named the way code names them and coloured by role, with a legend', async () => {
    const webview = await openWebview(bed.browser, bed.server, { theme: 'dark', height: 1000 }, chain);
    const titles = await svgTexts(webview, 'g.node text.title');
    assert.ok(titles.includes('Processor.instanceMap'), `titles: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => t.startsWith('module ')), `titles: ${titles.join(' | ')}`);
    const edgeLabels = await svgTexts(webview, 'g.edge-label text');
    for (const label of ['.instanceMap', 'get("bot2")', '.loader']) assert.ok(edgeLabels.includes(label), `edge label ${label} in ${edgeLabels.join(' | ')}`);

    // The static map is a solid orange block on the (thicker) shortest path; the target has a red frame.
    assert.equal(await webview.page.$eval('g.node.role-static-map text.title', (el) => el.textContent), 'Processor.instanceMap');
    assert.ok(await webview.page.$('g.node.role-static-map.on-path'), 'the static map is on the shortest path');
    assert.equal(await style(webview, 'g.node.role-static-map rect.box', 'fill'), 'rgb(209, 134, 22)');
    assert.equal(await style(webview, 'g.node.role-target rect.box', 'stroke'), 'rgb(241, 76, 76)');
    assert.equal(await style(webview, 'g.node.role-module rect.box', 'stroke'), 'rgb(55, 148, 255)');
    assert.equal(await style(webview, 'path.edge.on-path', 'stroke-width'), '3px');
    assert.equal(await style(webview, 'path.edge:not(.on-path)', 'stroke-width'), '1.2px');

    const legend = await svgTexts(webview, '.legend li');
    for (const entry of ['Target object', 'Static map / collection', 'Global root', 'Module scope root', 'Closure variable', 'GC root (V8)', 'Debugger-only retainer']) {
      assert.ok(legend.includes(entry), `legend has ${entry}`);
    }
    await webview.page.screenshot({ path: join(screenshotsDir, 'static-map-dark.png') });
    await assertClean(webview);
    await webview.page.close();
  });

  test('light and high-contrast themes take their colours from the theme variables', async () => {
    const light = await openWebview(bed.browser, bed.server, { theme: 'light', height: 1000 }, chain);
    assert.equal(await style(light, 'body', 'background-color'), 'rgb(255, 255, 255)');
    assert.equal(await style(light, 'g.node.role-target rect.box', 'stroke'), 'rgb(229, 20, 0)');
    assert.equal(await style(light, 'g.node.role-static-map rect.box', 'fill'), 'rgb(209, 134, 22)');
    await light.page.screenshot({ path: join(screenshotsDir, 'static-map-light.png') });
    await assertClean(light);
    await light.page.close();
    const contrast = await openWebview(bed.browser, bed.server, { theme: 'high-contrast', height: 1000 }, chain);
    assert.equal(await style(contrast, 'body', 'background-color'), 'rgb(0, 0, 0)');
    assert.equal(await style(contrast, 'g.node.role-target rect.box', 'stroke'), 'rgb(244, 135, 113)');
    await contrast.page.screenshot({ path: join(screenshotsDir, 'static-map-high-contrast.png') });
    await contrast.page.close();
  });

  test('selecting a node asks for its details and lists all its retainers; actions post re-walks', async () => {
    const webview = await openWebview(bed.browser, bed.server, { theme: 'dark' }, walk);
    assert.equal(await style(webview, 'g.node.role-global rect.box', 'stroke'), 'rgb(137, 209, 133)');
    let since = await postedCount(webview);
    await webview.page.click(`g.node[data-id="${walk.target}"]`);
    const asked = await answerNextCall(webview, graph, since);
    assert.deepEqual(callOf(asked), { method: 'details', args: [walk.target] });
    await webview.page.waitForSelector('.details ul.retainers li');
    const details = graph.details(walk.target);
    const rows = await svgTexts(webview, '.details ul.retainers li .retainer-pick');
    assert.equal(rows.length, details.retainers.length);
    assert.ok(rows.some((r) => r.startsWith('.loader in Processor')), `rows: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => r.startsWith('.lastLoader in')), `rows: ${rows.join(' | ')}`);
    const facts = await svgTexts(webview, '.details dd');
    assert.ok(facts.includes(`@${walk.target}`));
    assert.ok(facts.includes('ResourceLoader'));
    await webview.page.screenshot({ path: join(screenshotsDir, 'details-pane.png') });

    // Ignore the .lastLoader retainer: the host re-walks and the global cache disappears.
    since = await postedCount(webview);
    await webview.page.click('.details ul.retainers li:has(.edge-name:text-is(".lastLoader")) .retainer-ignore');
    const rewalk = rewalkOf(await answerNextCall(webview, graph, since));
    assert.ok(rewalk.options.ignoredEdges?.some((e) => e.to === walk.target && e.name === 'lastLoader'));
    await webview.page.waitForSelector('g.node.role-global', { state: 'detached' });
    const titles = await svgTexts(webview, 'g.node text.title');
    assert.ok(titles.includes('Processor.instanceMap'));

    // Walk from here on the Processor: a new target.
    const processor = walk.edges.find((e) => e.to === walk.target && e.label === '.loader')?.from;
    await webview.page.click(`g.node[data-id="${processor}"]`);
    await webview.page.waitForSelector('#walk-from-here');
    since = await postedCount(webview);
    await webview.page.click('#walk-from-here');
    const fromHere = (await webview.posted()).slice(since).find((m) => m.method === 'walk');
    assert.equal(rewalkOf(fromHere).target, processor);

    // Reveal source is offered for the class, which has a source position.
    const classNode = walk.nodes.find((n) => n.type === 'closure' && n.name === 'Processor' && n.location);
    assert.ok(classNode, 'the engine reports the Processor class location');
    await webview.page.click(`g.node[data-id="${classNode.id}"]`);
    await webview.page.waitForSelector('#reveal-source:not([disabled])');
    since = await postedCount(webview);
    await webview.page.click('#reveal-source');
    const reveal = (await webview.posted()).slice(since).find((m) => m.method === 'revealSource');
    assert.deepEqual(reveal && callOf(reveal), { method: 'revealSource', args: [classNode.id] });
    await assertClean(webview);
    await webview.page.close();
  });

  test('"+N more" raises the fan-out for that node and the new retainers appear', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, walk);
    const cut = walk.truncated.reduce((most, t) => (t.hidden > most.hidden ? t : most));
    assert.ok(cut.hidden > 1, 'the fixture walk cuts some retainers at fan-out 3');
    assert.equal(await webview.page.$eval(`g.node.more[data-key="${moreKey(cut.id)}"] text.title`, (el) => el.textContent), `+${cut.hidden} more`);
    const before = await webview.page.$$eval('g.node', (els) => els.length);
    const since = await postedCount(webview);
    await webview.page.click(`g.node.more[data-key="${moreKey(cut.id)}"]`);
    const message = rewalkOf(await answerNextCall(webview, graph, since));
    assert.ok(message.options.fanOutOverrides?.[cut.id] === walk.options.fanOut + 10, JSON.stringify(message));
    await webview.page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('g.node').length > n, before);
    await webview.page.close();
  });

  test('toolbar depth and fan-out post a re-walk of the same target', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, walk);
    let since = await postedCount(webview);
    await webview.page.fill('#depth', '3');
    await webview.page.press('#depth', 'Enter');
    const depth = rewalkOf(await answerNextCall(webview, graph, since));
    assert.deepEqual({ target: depth.target, depth: depth.options.depth, fanOut: depth.options.fanOut }, { target: walk.target, depth: 3, fanOut: 3 });
    since = await postedCount(webview);
    await webview.page.fill('#fan-out', '25');
    await webview.page.press('#fan-out', 'Enter');
    const fanOut = rewalkOf(await answerNextCall(webview, graph, since));
    assert.equal(fanOut.options.fanOut, 25);
    await webview.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('#fan-out')?.value === '25');
    // This heap has no weak retainer here: the toggle says so instead of changing nothing (toggles.test.ts flips it where it does).
    assert.equal(await webview.page.$eval('#include-weak', (el) => (el as unknown as { disabled: boolean }).disabled), true);
    await webview.page.close();
  });
});

describe('interactions on a walk with every role', () => {
  test('debugger-only retainers are hidden until toggled, and the toggle is persisted', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    assert.equal(await webview.page.$('g.node.role-debugger'), null);
    const since = await postedCount(webview);
    await webview.page.check('#show-debugger');
    await webview.page.waitForSelector('g.node.role-debugger');
    assert.equal(await style(webview, 'g.node.role-debugger', 'opacity'), '0.6');
    assert.deepEqual((await webview.posted()).slice(since).filter((m) => m.kind === 'call').map(callOf), [{ method: 'saveSettings', args: [{ hideDebugger: false, showInternals: false }] }]);
    // No V8 internal in this walk: the toggle is off limits and says why.
    assert.equal(await webview.page.$eval('#show-internals', (el) => (el as unknown as { disabled: boolean }).disabled), true);
    assert.match((await webview.page.getAttribute('#show-internals', 'title')) ?? '', /no V8 internals/);
    await webview.page.close();
  });

  test('cycles are dashed and labelled; "+N more" with shift asks for all retainers', async () => {
    const walk = handWalk();
    const webview = await openWebview(bed.browser, bed.server, {}, walk);
    assert.equal(await style(webview, 'path.edge.cycle', 'stroke-dasharray'), '6px, 4px');
    assert.ok((await svgTexts(webview, 'g.edge-label.cycle text')).includes('.jobs'));
    const since = await postedCount(webview);
    await webview.page.click(`g.node.more[data-key="${moreKey(4001)}"]`, { modifiers: ['Shift'] });
    const message = rewalkOf(await webview.waitForCall('walk', since));
    assert.equal(message.options.fanOutOverrides?.[4001], 15);
    await webview.page.close();
  });

  test('keyboard: arrows move towards the roots and back, Enter opens details, + and 0 zoom', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    await webview.page.focus('.graph-host');
    const selected = () => webview.page.$eval('g.node.selected', (el) => el.getAttribute('data-key')).catch(() => null);
    await webview.page.keyboard.press('ArrowUp');
    assert.equal(await selected(), nodeKey(5001), 'first arrow selects the target');
    await webview.page.keyboard.press('ArrowUp');
    assert.equal(await selected(), nodeKey(4001), 'up follows the shortest path');
    await webview.page.keyboard.press('ArrowUp');
    assert.equal(await selected(), nodeKey(3001));
    assert.match((await webview.page.textContent('.visually-hidden')) ?? '', /^static map, Processor\.instanceMap, Map\(3\), @3001/);
    await webview.page.keyboard.press('ArrowDown');
    assert.equal(await selected(), nodeKey(4001));
    const since = await postedCount(webview);
    await webview.page.keyboard.press('Enter');
    assert.deepEqual((await webview.waitForCall('details', since)).args, [4001]);
    assert.equal(await webview.page.$eval('.details', (el) => el.hasAttribute('hidden')), false);
    const scale = () => webview.page.$eval('svg.graph g.viewport', (el) => el.getAttribute('transform') ?? '');
    await webview.page.focus('.graph-host');
    await webview.page.keyboard.press('0');
    await webview.page.waitForFunction(() => !(globalThis as unknown as PageGlobals).document.querySelector('svg.graph')?.__transition);
    const before = await scale();
    await webview.page.keyboard.press('+');
    await webview.page.waitForFunction((b) => (globalThis as unknown as PageGlobals).document.querySelector('svg.graph g.viewport')?.getAttribute('transform') !== b, before);
    await webview.page.keyboard.press('0');
    await webview.page.waitForFunction(() => !(globalThis as unknown as PageGlobals).document.querySelector('svg.graph')?.__transition);
    assert.equal(await scale(), before, '0 fits the graph again');
    // Focus is visible on the graph.
    assert.notEqual(await style(webview, '.graph-host', 'outline-style'), 'none');
    await webview.page.close();
  });

  test('left and right move along a level, Escape closes the details', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    await webview.page.click('g.node[data-id="4301"]');
    await webview.page.focus('.graph-host');
    const selected = () => webview.page.$eval('g.node.selected', (el) => el.getAttribute('data-key'));
    const x = (key: string) => webview.page.$eval(`g.node[data-key="${key}"]`, (el) => el.getBoundingClientRect().x);
    await webview.page.keyboard.press('ArrowRight');
    const right = await selected();
    assert.ok(right && right !== nodeKey(4301) && (await x(right)) > (await x(nodeKey(4301))), `moved right to ${right}`);
    await webview.page.keyboard.press('ArrowLeft');
    assert.equal(await selected(), nodeKey(4301));
    await webview.page.keyboard.press('Escape');
    assert.equal(await webview.page.$eval('.details', (el) => el.hasAttribute('hidden')), true);
    await webview.page.close();
  });

  test('an object nothing retains says so', async () => {
    const walk = handWalk();
    const target = walk.nodes.find((n) => n.id === walk.target);
    assert.ok(target);
    target.distance = null;
    const lonely = { ...walk, nodes: [target], edges: [], truncated: [], shortestPath: { nodes: [], edges: [] } };
    const webview = await openWebview(bed.browser, bed.server, {}, lonely);
    assert.match((await webview.page.textContent('.status')) ?? '', /not reachable from any GC root/);
    assert.equal(await webview.page.$$eval('g.node', (els) => els.length), 1);
    await webview.page.close();
  });

  test('search finds a node by label or @id, selects and centres it', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    await webview.page.fill('#search', 'instanceMap');
    await webview.page.press('#search', 'Enter');
    await webview.page.waitForSelector(`g.node.selected[data-key="${nodeKey(3001)}"]`);
    await webview.page.fill('#search', '@4203');
    await webview.page.press('#search', 'Enter');
    await webview.page.waitForSelector(`g.node.selected[data-key="${nodeKey(4203)}"]`);
    assert.equal(await webview.page.textContent('.search-status'), '1 of 1');
    await webview.page.close();
  });

  test('exports: DOT and JSON go to the host, SVG is serialized with theme colours inlined, the path copied as text', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    const since = await postedCount(webview);
    await webview.page.click('#export-dot');
    await webview.page.click('#export-json');
    await webview.page.click('#export-svg');
    await webview.page.click('#copy-path');
    const messages = (await webview.posted()).slice(since).map(callOf);
    assert.deepEqual(messages.slice(0, 2), [{ method: 'exportWalk', args: ['dot'] }, { method: 'exportWalk', args: ['json'] }]);
    const [format, svg] = messages[2].args as [string, string];
    assert.ok(messages[2].method === 'exportWalk' && format === 'svg' && svg);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('Processor.instanceMap'));
    assert.ok(svg.includes('fill: rgb(209, 134, 22)'), 'static-map colour inlined');
    assert.ok(!svg.includes('var(--'), 'no CSS variables left');
    const copy = messages[3];
    assert.equal(copy.method === 'copyText' && (copy.args[0] as string).split('\n')[0], 'module scope of lib/processor.js (system / Context) @1001');
    // The exported SVG renders on its own.
    const page = await bed.browser.newPage();
    await page.setContent(svg);
    assert.ok((await page.$$('svg text')).length > 10);
    await page.close();
    await webview.page.close();
  });

  test('state survives a reload: the walk, selection, details and zoom come back without init', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    await webview.page.click('g.node[data-id="3001"]');
    await webview.page.focus('.graph-host');
    await webview.page.keyboard.press('-');
    await webview.page.waitForTimeout(300);
    const saved = (await webview.state()) as { selection: string; detailsOpen: boolean; transform: { k: number } };
    assert.equal(saved.selection, nodeKey(3001));
    assert.equal(saved.detailsOpen, true);
    const transform = await webview.page.$eval('svg.graph g.viewport', (el) => el.getAttribute('transform'));
    await webview.page.close();

    const reloaded = await openWebview(bed.browser, bed.server, { state: saved });
    await reloaded.page.waitForSelector(`g.node.selected[data-key="${nodeKey(3001)}"]`);
    assert.equal(await reloaded.page.$eval('.details', (el) => el.hasAttribute('hidden')), false);
    assert.equal(await reloaded.page.$eval('svg.graph g.viewport', (el) => el.getAttribute('transform')), transform);
    assert.equal(await reloaded.page.$eval('.details-title', (el) => el.textContent), 'Processor.instanceMap');
    await reloaded.page.close();
  });

  test('busy and error messages from the host are shown as text', async () => {
    const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
    await webview.send({ type: 'busy', message: 'Walking…' });
    assert.equal(await webview.page.textContent('.status'), 'Walking…');
    await webview.send({ type: 'error', message: `No object ${HOSTILE_IMG}` });
    assert.equal(await webview.page.textContent('.status'), `No object ${HOSTILE_IMG}`);
    assert.equal(await webview.page.$('.status img'), null);
    await webview.page.close();
  });
});

test('hostile heap strings are shown literally and run nothing', async () => {
  const title = `Retainers of ${HOSTILE_SCRIPT}`;
  const webview = await openWebview(bed.browser, bed.server, { title }, hostileWalk());
  await webview.page.check('#show-debugger');
  const since = await postedCount(webview);
  await webview.page.click('g.node[data-id="5001"]');
  const asked = await webview.waitForCall('details', since);
  await webview.reply(asked, { node: hostileWalk().nodes[0], retainers: hostileWalk().edges.filter((e) => e.to === 5001).map((edge) => ({ edge, node: hostileWalk().nodes.find((n) => n.id === edge.from) ?? hostileWalk().nodes[0] })) });
  await webview.page.waitForSelector('.details ul.retainers li');
  await webview.page.waitForTimeout(200);
  assert.equal(await webview.page.evaluate('window.__pwned'), undefined, 'no injected script ran');
  assert.equal(await webview.page.$$eval('img', (els) => els.length), 0, 'no <img> element was created');
  assert.equal(await webview.page.$$eval('script', (els) => els.length), 1, 'only the webview bundle is a script');
  const titles = await svgTexts(webview, 'g.node text.title');
  assert.ok(titles.includes(`${HOSTILE_SCRIPT}5001`.slice(0, 43) + '…') || titles.some((t) => t.startsWith('</script><script>')), `titles: ${titles.join(' | ')}`);
  const labels = await svgTexts(webview, 'g.edge-label text');
  assert.ok(labels.includes(HOSTILE_IMG), 'edge labels show the markup as text');
  const rows = await svgTexts(webview, '.details ul.retainers li');
  assert.ok(rows.some((r) => r.includes(HOSTILE_IMG)));
  assert.equal(await webview.page.title(), title, 'the page title is escaped, not parsed');
  assert.equal(await webview.page.textContent('.heading-text'), title);
  await assertClean(webview);
  await webview.page.close();
});

describe('a WeakMap entry drawn from a real snapshot (ESLint 9 keeps its Linter in privateMembers)', () => {
  test('both halves of the entry are drawn as such, with their labels, and the legend says what they mean', async () => {
    const graph = await fixtureGraph('eslintLinter');
    const [linter] = graph.instances('Linter');
    const webview = await openWebview(bed.browser, bed.server, { theme: 'dark', height: 1000 }, graph.walk(linter.id, { fanOut: 3 }));
    assert.equal(await webview.page.$$eval('path.edge.weakmap-entry', (els) => els.length), 2);
    assert.notEqual(await style(webview, 'path.edge.weakmap-entry', 'stroke-dasharray'), 'none');
    const edgeLabels = await svgTexts(webview, 'g.edge-label text');
    assert.ok(edgeLabels.some((label) => /^WeakMap entry keyed by ESLint @\d+$/.test(label)), edgeLabels.join(' | '));
    assert.ok(edgeLabels.some((label) => label.startsWith('key of WeakMap entry in privateMembers')), edgeLabels.join(' | '));
    assert.ok((await svgTexts(webview, '.legend li')).includes('WeakMap entry: held while both the map and the key live'));
    await assertClean(webview);
    await webview.page.close();
  });
});
