// The Growth view's merged paths of a class with 100,000 new objects on 504
// paths (test/fixtures/growthMany.js, merged by the engine), timed in
// Chromium from the host's answer to the painted frame. Figures go to the
// test output (recorded in docs/webview-performance.md); nothing here is
// timed against a bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrowthViewApi, GrowthViewEvent, ToGrowthView } from '../../src/protocol/growthView';
import { fixtureSeries } from '../fixtures/series';
import { growthOf } from './growthData';
import { openRpcPage, pageTestBed } from './pageHarness';

const bed = pageTestBed();

interface PathsTiming {
  /** From posting the answer to the second animation frame after it (painted). */
  totalMs: number;
  /** Rows built, measured and drawn (the `rg:paths` measure). */
  drawMs: number;
  /** From postMessage until the page starts drawing (structured clone + dispatch + reply matching). */
  messageMs: number;
  rows: number;
}

test('merged paths of 100,000 new objects on 504 paths: drawn capped, timed to the painted frame', async (t) => {
  const files = await fixtureSeries('growthMany');
  const growth = await growthOf(files, { retainedSizes: false });
  const mergeStart = performance.now();
  const paths = growth.mergedPaths('Item', 'new');
  const mergeMs = performance.now() - mergeStart;
  assert.equal(paths.objects, 100_000);
  assert.equal(paths.groups.length, 504);

  const timings: PathsTiming[] = [];
  for (let run = 0; run < 3; run++) {
    const page = await openRpcPage<GrowthViewApi, GrowthViewEvent>(bed.browser, bed.server, '/growth', { width: 700, height: 900 });
    await page.send({ type: 'init', title: 'Growth', source: { label: '2 files', recording: false, snapshots: 2, canSave: false }, report: growth.report });
    await page.page.click('.classes tbody tr[data-key="Item"]');
    const call = await page.waitForCall('mergedPaths');
    assert.deepEqual(call.args, ['Item', 'new']);
    const message = JSON.stringify({ kind: 'reply', seq: call.seq, ok: paths } satisfies ToGrowthView);
    const timing = (await page.page.evaluate(`new Promise((resolve) => {
      performance.clearMeasures();
      performance.clearMarks();
      const start = performance.now();
      window.postMessage(${message}, '*');
      const poll = () => {
        const draw = performance.getEntriesByName('rg:paths')[0];
        if (!draw) return setTimeout(poll, 5);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({
          totalMs: performance.now() - start,
          drawMs: draw.duration,
          messageMs: performance.getEntriesByName('rg:paths-start')[0].startTime - start,
          rows: document.querySelectorAll('g.path-row').length,
        })));
      };
      poll();
    })`)) as PathsTiming;
    timings.push(timing);
    assert.equal(await page.page.textContent('.paths-headline'), '100,000 new Item since snapshot 1: 30,000 via Registry.byId.get(*), 10,000 via sessions[*][*], 9,999 via list.head(.next)+, 50,001 by 501 more paths');
    assert.ok(timing.rows < 200, `${timing.rows} rows drawn`);
    assert.ok(await page.page.$('g.path-row.more'), 'the rest behind "+N more groups"');
    await page.page.close();
  }
  t.diagnostic(`engine merge (Node): ${mergeMs.toFixed(0)} ms; view: ${JSON.stringify(timings.map((x) => ({ ...x, totalMs: Math.round(x.totalMs), drawMs: Math.round(x.drawMs), messageMs: Math.round(x.messageMs) })))}`);
});
