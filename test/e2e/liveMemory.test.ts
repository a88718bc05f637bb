// The README's "Confirm the fix" as a user does it, in VS Code's server in
// Chromium with the packaged .vsix, on the demo: Show Memory Chart beside the
// debugger, and its line climbs while bots leak; a leaked bot's
// ResourceLoader → Watch Until Collected, and the Watches view comes into
// sight saying still alive; the README's fix applied to the running server
// (GET /fix) → Check Now says collected. The demo loads bots only when asked
// (GET /load), so the climb is the test's doing. Screenshots in
// test-results/e2e/ (memory-chart.png, watch-still-alive.png and
// watch-collected.png are the README's).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { get } from 'node:http';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { packageVsix, repoRoot, startUserSession, type UserSession } from '../harness/userSession';
import { answer, notifications, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const shots = join(repoRoot, 'test-results', 'e2e');
/** Bots load only on GET /load. */
const DEMO = { BOT_INTERVAL_MS: String(24 * 3600_000), MAX_BOTS: '1000' };
/** The demo folder sits in this repository: no offer to open it, over the screenshots; watches check only when asked. */
const SETTINGS = { 'git.openRepositoryInParentFolders': 'never', 'retainerGraph.watchCheckEverySeconds': 0 };
/** Bots loaded while the chart runs: each keeps a ~2 MB ResourceLoader. */
const LEAKED = 8;
let session: UserSession;

/** GET `path` of the demo on its own connection, as a browser tab does. */
function demo(path: string): Promise<void> {
  const port = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(session.demoOutput())?.[1];
  if (!port) throw new Error(`the demo did not say its port: ${session.demoOutput()}`);
  return new Promise((ok, fail) => {
    get(`http://127.0.0.1:${port}${path}`, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.once('end', () => (response.statusCode === 200 ? ok() : fail(new Error(`GET ${path}: ${response.statusCode}`))));
    }).once('error', fail);
  });
}

function paneHeader(page: Page, title: string) {
  return page.locator('.pane-header').filter({ has: page.getByText(title, { exact: true }) }).first();
}

async function setExpanded(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = paneHeader(page, title);
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
}

/** "Heap used 31.5 MB" in the chart's legend, in bytes. */
async function heapUsed(chart: Frame): Promise<number> {
  const legend = (await chart.locator('.memory-legend .key.used').textContent()) ?? '';
  const [, value, unit] = /Heap used ([\d.]+) (B|KB|MB|GB)/.exec(legend) ?? [];
  assert.ok(value, `the legend: ${legend}`);
  return Number(value) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(unit);
}

async function readings(chart: Frame): Promise<number> {
  return Number(await chart.locator('.memory').getAttribute('data-readings'));
}

async function nextReading(chart: Frame): Promise<void> {
  const seen = await readings(chart);
  await chart.locator(`.memory:not([data-readings="${seen}"])`).waitFor({ timeout: 30_000 });
}

describe('Confirm the fix: the memory chart, Watch Until Collected', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    session = await startUserSession({ vsix: packageVsix(), settings: SETTINGS, demoEnv: DEMO });
  });
  after(async () => {
    await session?.close();
  });

  it('the chart climbs while bots leak; a leaked ResourceLoader is still alive, and collected after GET /fix', async () => {
    const { page } = session;
    try {
      // bot2 loaded and unloaded: the static map keeps it.
      await demo('/load');
      await demo('/load');
      await runCommand(page, 'Retainer Graph: Show Memory Chart');
      await pick(page, 'server.js');
      const chart = await webviewFrame(page, '.memory-chart polyline.used', 90_000);
      // Attached, not debugging: the debugger's own views are empty; folded, they leave the chart room.
      for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints']) await setExpanded(page, title, false);
      // A wider side bar, as a user drags it, so the views' rows read whole.
      const sidebar = await page.locator('.part.sidebar').boundingBox();
      assert.ok(sidebar);
      await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
      await page.mouse.down();
      await page.mouse.move(620, sidebar.y + sidebar.height / 2, { steps: 8 });
      await page.mouse.up();

      await nextReading(chart);
      const before = await heapUsed(chart);
      for (let i = 0; i < LEAKED; i++) {
        await demo('/load');
        await nextReading(chart);
      }
      await nextReading(chart);
      const grown = await heapUsed(chart);
      assert.ok(grown - before > (LEAKED * 1024 ** 2), `heap used climbed by more than 1 MB a bot: ${before} → ${grown}`);
      assert.equal(await chart.locator('.memory').getAttribute('data-state'), 'running');

      // A leaked bot's ResourceLoader, its graph, Watch Until Collected from its details.
      await setExpanded(page, 'Watches Until Collected (Retainer Graph)', false);
      await runCommand(page, 'Retainer Graph: Show Retainers of Expression…');
      await answer(page, "process.mainModule.require('./lib/processor').Processor.instanceMap.get('bot2').resourceLoader", 'Show Retainers of Expression');
      const graph = await webviewFrame(page, 'svg.graph g.node.role-target', 90_000);
      await graph.locator('svg.graph g.node.role-target').first().click();
      await graph.locator('#watch-until-collected').click();
      await graph.locator('.status', { hasText: 'still alive when the watch began' }).waitFor({ timeout: 60_000 });
      // The Watches view came into sight by itself (it was folded).
      const row = page.locator('.monaco-list-row', { hasText: 'ResourceLoader @' }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.equal(await paneHeader(page, 'Watches Until Collected (Retainer Graph)').getAttribute('aria-expanded'), 'true');
      assert.match((await row.textContent()) ?? '', /still alive/);
      // The snapshot is marked on the chart.
      await chart.locator('.memory-chart .snapshot-marker').first().waitFor({ state: 'attached', timeout: 30_000 });
      await page.mouse.move(900, 880); // no tooltip over the views
      await page.waitForTimeout(500);
      await screenshot(page, join(shots, 'memory-chart.png'), page.locator('.pane').filter({ has: paneHeader(page, 'Memory (Retainer Graph)') }));
      await screenshot(page, join(shots, 'watch-still-alive.png'));

      await demo('/fix');
      await row.click(); // a watch's row runs Check Now
      await page.locator('.monaco-list-row', { hasText: 'ResourceLoader @' }).filter({ hasText: 'collected' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.notifications-toasts', { hasText: 'was collected: the fix works' }).waitFor({ timeout: 30_000 });
      // The check's GC freed every unloaded bot: the next readings fall.
      await nextReading(chart);
      await nextReading(chart);
      const fixed = await heapUsed(chart);
      assert.ok(fixed < grown - (LEAKED * 1024 ** 2), `heap used fell by more than 1 MB a leaked bot after the fix: ${grown} → ${fixed}`);
      await page.mouse.move(900, 880);
      await page.waitForTimeout(500);
      await screenshot(page, join(shots, 'watch-collected.png'));
    } catch (error) {
      await screenshot(page, join(shots, 'live-failure.png')).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nNotifications: ${JSON.stringify(await notifications(page))}\nScreenshot: ${join(shots, 'live-failure.png')}`);
    }
  });
});
