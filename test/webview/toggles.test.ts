// Every toolbar toggle either visibly changes the graph or says, disabled,
// that it has nothing to change here; its count says how much it would add.
// Real snapshots; the host's re-walks answered by the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeapGraph } from '../../src/engine/index';
import { fixtureGraph } from '../engine/helpers/fixtureGraph';
import { answerNextCall } from './engineHost';
import { openWebview, pageTestBed, postedCount, rewalkOf, type PageGlobals, type WebviewPage } from './pageHarness';
import { demoGraph, handWalk } from './walks';

const bed = pageTestBed();

const drawn = (webview: WebviewPage): Promise<number> => webview.page.$$eval('g.node', (els) => els.length);
const toggle = (webview: WebviewPage, id: string) =>
  webview.page.$eval(`#${id}`, (el) => {
    const box = el as unknown as { disabled: boolean; checked: boolean };
    return { disabled: box.disabled, checked: box.checked, title: el.getAttribute('title') ?? '', label: el.parentElement?.textContent ?? '' };
  });

/** Flips a toggle that re-walks, answers from the engine, and waits for the new drawing. */
async function flip(webview: WebviewPage, graph: HeapGraph, id: string): Promise<ReturnType<typeof rewalkOf>> {
  const before = await drawn(webview);
  const since = await postedCount(webview);
  await webview.page.click(`#${id}`);
  const asked = rewalkOf(await answerNextCall(webview, graph, since));
  await webview.page.waitForFunction((n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('g.node').length !== n, before);
  return asked;
}

test('"Weak edges" on a WeakRef target: counted, and turning it on draws the WeakRef', async () => {
  const graph = await fixtureGraph('weak');
  const [target] = graph.instances('WeakRefTarget');
  const webview = await openWebview(bed.browser, bed.server, {}, graph.walk(target.id));
  const off = await toggle(webview, 'include-weak');
  assert.equal(off.disabled, false);
  assert.match(off.label, /Weak edges \(\d+\)/);
  assert.match(off.title, /^Draw the \d+ weak retainers? this graph leaves out$/);
  assert.equal(await webview.page.$('path.edge.weak'), null);
  const asked = await flip(webview, graph, 'include-weak');
  assert.equal(asked.options.includeWeak, true);
  await webview.page.waitForSelector('path.edge.weak');
  assert.ok(await webview.page.$('g.node:has(text.title:text-is("WeakRef"))'), 'the WeakRef is drawn');
  assert.match((await toggle(webview, 'include-weak')).title, /^Hide the \d+ weak retainers? drawn$/);
  await webview.page.close();
});

test('"V8 internals" on the demo: counted, and turning it on draws them', async () => {
  const graph = await demoGraph();
  const [loader] = graph.instances('ResourceLoader', 1);
  const walk = graph.walk(loader.id);
  const webview = await openWebview(bed.browser, bed.server, {}, walk);
  const off = await toggle(webview, 'show-internals');
  assert.equal(off.disabled, false);
  const count = Number(/V8 internals \((\d+)\)/.exec(off.label)?.[1]);
  assert.equal(count, (walk.filtered ?? []).reduce((sum, f) => sum + f.internal, 0), 'the count is what the walk left out');
  const before = await drawn(webview);
  const asked = await flip(webview, graph, 'show-internals');
  assert.equal(asked.options.includeInternals, true);
  assert.ok((await drawn(webview)) > before, 'more nodes are drawn');
  await webview.page.waitForSelector('g.node.role-internal');
  await webview.page.close();
});

test('a toggle with nothing to change on this graph is disabled and says so; one that has something flips the drawing', async () => {
  const graph = await fixtureGraph('staticMap');
  const [loader] = graph.instances('ResourceLoader', 1);
  const webview = await openWebview(bed.browser, bed.server, {}, graph.walk(loader.id));
  for (const [id, what] of [['include-weak', 'weak retainers'], ['show-debugger', 'retainers that exist only because a debugger is attached']] as const) {
    const state = await toggle(webview, id);
    assert.equal(state.disabled, true, `${id} has nothing to add here`);
    assert.match(state.title, new RegExp(`^This graph has no ${what}`));
  }
  await webview.page.close();

  // The hand-built walk has a debugger-only retainer: the toggle counts it and draws it.
  const withDebugger = await openWebview(bed.browser, bed.server, {}, handWalk());
  const state = await toggle(withDebugger, 'show-debugger');
  assert.equal(state.disabled, false);
  assert.match(state.label, /Debugger retainers \(1\)/);
  const before = await drawn(withDebugger);
  await withDebugger.page.click('#show-debugger');
  await withDebugger.page.waitForSelector('g.node.role-debugger');
  assert.equal(await drawn(withDebugger), before + 1);
  await withDebugger.page.close();
});
