// The memory chart: its geometry in plain code (where readings, snapshots,
// paused spans and pinned counts land), and the Memory view's page in
// headless Chromium fed a series the way the host posts it, with a hostile
// class name that must stay text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemorySeries, MemoryViewApi, MemoryViewEvent } from '../../src/protocol/memoryChart';
import { chartGeometry, statusText } from '../../webview/live/chartGeometry';
import { openRpcPage, pageTestBed } from './pageHarness';
import { HOSTILE_IMG } from './walks';

const MB = 1024 * 1024;

function series(overrides: Partial<MemorySeries> = {}): MemorySeries {
  const recent = Array.from({ length: 60 }, (_, i) => ({ at: 100_000 + i * 1000, used: (10 + i / 10) * MB, total: 20 * MB }));
  return { label: '127.0.0.1:9229', older: [], recent, markers: [{ at: 130_000, label: 'snapshot 2' }], paused: [{ from: 140_000, to: 145_000 }], pinned: [{ className: 'ResourceLoader', points: [{ at: 110_000, count: 4 }, { at: 150_000, count: 7 }] }], state: 'stopped', ...overrides };
}

describe('chart geometry', () => {
  test('readings span the width, a snapshot and a paused span land where they happened, counts on their own scale', () => {
    const g = chartGeometry(series(), 452, 140, 159_000);
    const xs = g.used.split(' ').map((p) => Number(p.split(',')[0]));
    assert.equal(xs.length, 60);
    assert.equal(xs[0], 52, 'the first reading at the left edge of the plot');
    assert.equal(xs.at(-1), 412, 'the last at the right edge');
    assert.equal(Math.round(g.markers[0].x), Math.round(52 + (30 / 59) * 360));
    assert.equal(Math.round(g.paused[0].x), Math.round(52 + (40 / 59) * 360));
    assert.equal(g.maxBytes, 20 * MB);
    assert.equal(g.maxCount, 7);
    const [low, high] = g.pinned[0].points.split(' ').map((p) => Number(p.split(',')[1]));
    assert.ok(high < low, 'a higher count is drawn higher');
  });

  test('folded buckets draw a band; an open paused span runs to now', () => {
    const g = chartGeometry(series({ older: [{ from: 40_000, to: 69_000, usedMin: 5 * MB, usedMax: 9 * MB, total: 20 * MB }], paused: [{ from: 150_000, to: null }], state: 'paused' }), 452, 140, 170_000);
    assert.equal(g.band.split(' ').length, 2);
    assert.equal(Math.round(g.paused[0].x + g.paused[0].width), 412);
    assert.match(statusText(series({ state: 'paused' })), /^Paused in the debugger/);
  });
});

describe('the Memory view page', () => {
  const bed = pageTestBed();  test('draws the series it is sent, names the pinned class as text, and says when nothing is charted', async () => {
    const page = await openRpcPage<MemoryViewApi, MemoryViewEvent>(bed.browser, bed.server, '/memory', { width: 420, height: 300 });
    await page.page.waitForFunction(() => (globalThis as unknown as { __posted: { method: string }[] }).__posted.some((m) => m.method === 'ready'));
    await page.send({ type: 'series', series: null, hint: 'Run "Retainer Graph: Show Memory Chart"' });
    await page.page.waitForSelector('.hint:not([hidden])');
    await page.send({ type: 'series', series: series({ pinned: [{ className: HOSTILE_IMG, points: [{ at: 150_000, count: 7 }] }] }) });
    await page.page.waitForSelector('.memory[data-readings="60"]');
    assert.equal(await page.page.locator('.memory-chart polyline.used').count(), 1);
    assert.equal(await page.page.locator('.memory-chart .snapshot-marker').count(), 1);
    assert.equal(await page.page.locator('.memory-chart .paused-span').count(), 1);
    assert.match((await page.page.locator('.memory-legend').textContent()) ?? '', /<img src=x onerror/);
    assert.equal(await page.page.locator('.memory-legend img').count(), 0, 'a class name is text, never HTML');
    assert.equal(await page.page.evaluate('window.__pwned'), undefined);
    assert.match((await page.page.locator('.memory-status').textContent()) ?? '', /^Stopped/);
    // The chart takes the view's height (the user sizes the pane), its axes and status inside the view.
    const fits = async () => {
      const chart = await page.page.locator('.memory-chart').boundingBox();
      const status = await page.page.locator('.memory-status').boundingBox();
      return { chart: chart?.height ?? 0, statusBottom: (status?.y ?? 0) + (status?.height ?? 0), view: page.page.viewportSize()?.height ?? 0 };
    };
    const short = await fits();
    assert.ok(short.chart > 180 && short.statusBottom <= short.view, JSON.stringify(short));
    await page.page.setViewportSize({ width: 420, height: 500 });
    let tall = await fits();
    for (let tries = 0; tall.chart <= short.chart && tries < 50; tries++) tall = await page.page.waitForTimeout(100).then(fits);
    assert.ok(tall.chart >= short.chart + 180 && tall.statusBottom <= tall.view, JSON.stringify(tall));
    assert.deepEqual(page.errors.filter((e) => !e.includes('404')), [], 'no page errors (the favicon aside)');
    assert.deepEqual(await page.cspViolations(), []);
    await page.page.close();
  });
});
