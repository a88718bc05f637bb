// Render timings in Chromium: a 500-node walk, panning it, and a 5,000-node walk
// that the view collapses. Figures go to the test output (recorded in
// docs/webview-performance.md); the bounds asserted are loose on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWebview, pageTestBed, type WebviewPage } from './pageHarness';
import { syntheticWalk } from './walks';
import type { Walk } from '../../src/protocol/walk';
import type { ToWebview } from '../../src/protocol/webview';

const bed = pageTestBed();

interface Timing {
  /** From posting `init` to the first painted frame after it. */
  totalMs: number;
  layoutMs: number;
  renderMs: number;
  /** All of handling the walk message (layout, render, fit, persist). */
  walkMs: number;
  persistMs: number;
  /** From postMessage until the page starts handling it (structured clone + dispatch). */
  messageMs: number;
  drawnNodes: number;
}

/** Sends the walk and times it in the page, up to the next painted frame. */
async function timeInit(webview: WebviewPage, walk: Walk): Promise<Timing> {
  const message = JSON.stringify({ kind: 'event', event: { type: 'init', walk, title: 'timing', settings: { hideDebugger: true, showInternals: true } } } satisfies ToWebview);
  return (await webview.page.evaluate(`new Promise((resolve) => {
    performance.clearMeasures();
    const start = performance.now();
    window.postMessage(${message}, '*');
    const poll = () => {
      const layout = performance.getEntriesByName('rg:layout')[0];
      const render = performance.getEntriesByName('rg:render')[0];
      if (!layout || !render) return setTimeout(poll, 5);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({
        totalMs: performance.now() - start,
        layoutMs: layout.duration,
        renderMs: render.duration,
        walkMs: performance.getEntriesByName('rg:walk')[0]?.duration,
        persistMs: performance.getEntriesByName('rg:persist')[0]?.duration,
        messageMs: performance.getEntriesByName('rg:walk-start')[0]?.startTime - start,
        drawnNodes: document.querySelectorAll('g.node').length,
      })));
    };
    poll();
  })`)) as Timing;
}

/** Pans the drawn graph for ~1 s through d3-zoom's own transform and reports frame intervals. */
async function panFrames(webview: WebviewPage): Promise<{ frames: number; meanMs: number; p95Ms: number; maxMs: number }> {
  await webview.page.mouse.move(600, 500);
  await webview.page.mouse.down();
  const sampling = webview.page.evaluate(`new Promise((resolve) => {
    const intervals = [];
    let last = performance.now();
    const end = last + 1000;
    const frame = (now) => {
      intervals.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame);
      else {
        intervals.sort((a, b) => a - b);
        resolve({
          frames: intervals.length,
          meanMs: intervals.reduce((a, b) => a + b, 0) / intervals.length,
          p95Ms: intervals[Math.floor(intervals.length * 0.95)],
          maxMs: intervals[intervals.length - 1],
        });
      }
    };
    requestAnimationFrame(frame);
  })`);
  for (let i = 0; i < 40; i++) await webview.page.mouse.move(600 - i * 8, 500 - i * 5);
  await webview.page.mouse.up();
  return (await sampling) as { frames: number; meanMs: number; p95Ms: number; maxMs: number };
}

test('a 500-node walk renders in well under a second and pans smoothly', async (t) => {
  const webview = await openWebview(bed.browser, bed.server);
  const walk = syntheticWalk(500);
  const first = await timeInit(webview, walk);
  const transformBefore = await webview.page.$eval('g.viewport', (el) => el.getAttribute('transform'));
  const pan = await panFrames(webview);
  const transformAfter = await webview.page.$eval('g.viewport', (el) => el.getAttribute('transform'));
  t.diagnostic(`500 nodes: ${JSON.stringify(first)}; pan: ${JSON.stringify(pan)}`);
  assert.equal(first.drawnNodes, 500 + walk.truncated.length);
  assert.notEqual(transformAfter, transformBefore, 'dragging pans the graph');
  assert.ok(first.totalMs < 10000, `500-node render took ${first.totalMs.toFixed(0)} ms`);
  await webview.page.close();
});

test('a 2,000-node walk still renders whole', async (t) => {
  const webview = await openWebview(bed.browser, bed.server);
  const timing = await timeInit(webview, syntheticWalk(2000));
  t.diagnostic(`2000 nodes: ${JSON.stringify(timing)}`);
  assert.ok(timing.drawnNodes >= 2000);
  assert.ok(timing.totalMs < 30000, `2000-node render took ${timing.totalMs.toFixed(0)} ms`);
  await webview.page.close();
});

test('a 5,000-node walk collapses behind "+N more" instead of freezing', async (t) => {
  const webview = await openWebview(bed.browser, bed.server);
  const timing = await timeInit(webview, syntheticWalk(5000));
  t.diagnostic(`5000 nodes: ${JSON.stringify(timing)}`);
  assert.ok(timing.drawnNodes < 1500, `drew ${timing.drawnNodes} nodes`);
  assert.match((await webview.page.textContent('.status')) ?? '', /collapsed behind "\+N more"/);
  assert.ok(timing.totalMs < 15000, `collapsed 5000-node render took ${timing.totalMs.toFixed(0)} ms`);
  await webview.page.close();
});
