// Browser e2e as a user, on the demo (the packaged .vsix in VS Code's server,
// driven in Chromium): Show Memory Chart beside the debugger, and its chart
// moves; a leaked bot's ResourceLoader → Watch Until Collected says still
// alive; the README's fix applied to the running server (GET /fix) → the
// Watches view's Check Now says collected. Screenshots in test-results/e2e/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { get } from 'node:http';
import { join } from 'node:path';
import { packageVsix, repoRoot, startUserSession, type UserSession } from '../harness/userSession';
import { answer, notifications, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const shots = join(repoRoot, 'test-results', 'e2e');
let session: UserSession;

function demoPort(): number {
  const port = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(session.demoOutput())?.[1];
  if (!port) throw new Error(`the demo did not say its port: ${session.demoOutput()}`);
  return Number(port);
}

function fix(): Promise<void> {
  return new Promise((ok, fail) => get(`http://127.0.0.1:${demoPort()}/fix`, (r) => (r.resume(), r.on('end', () => ok()))).on('error', fail));
}

describe('live memory in VS Code, as a user', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    session = await startUserSession({ vsix: packageVsix(), settings: { 'retainerGraph.watchCheckEverySeconds': 0 } });
  });
  after(async () => {
    await session?.close();
  });

  it('the memory chart moves; a watch says still alive with the leak and collected after the fix', async () => {
    const { page } = session;
    try {
      await runCommand(page, 'Retainer Graph: Show Memory Chart');
      await pick(page, 'server.js');
      const chart = await webviewFrame(page, '.memory-chart polyline.used', 90_000);
      const readings = async () => Number(await chart.locator('.memory').getAttribute('data-readings'));
      const first = await readings();
      await page.waitForTimeout(3000);
      assert.ok((await readings()) > first, 'new readings every second');
      assert.match((await chart.locator('.memory-legend').textContent()) ?? '', /Heap used \d/);
      await screenshot(page, join(shots, 'memory-chart.png'));

      await runCommand(page, 'Retainer Graph: Show Retainers of Expression…');
      await answer(page, "process.mainModule.require('./lib/processor').Processor.instanceMap.get('bot2').resourceLoader", 'Show Retainers of Expression');
      const graph = await webviewFrame(page, 'svg.graph g.node.role-target', 90_000);
      await graph.locator('svg.graph g.node.role-target').first().click();
      await graph.locator('#watch-until-collected').click();
      await graph.locator('.status', { hasText: 'still alive' }).waitFor({ timeout: 60_000 });
      await screenshot(page, join(shots, 'watch-still-alive.png'));

      await runCommand(page, 'View: Show Run and Debug');
      const header = page.locator('.pane-header', { hasText: 'Watches Until Collected' }).first();
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
      const row = page.locator('.monaco-list-row', { hasText: 'ResourceLoader @' }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /still alive/);

      await fix();
      await row.click(); // a watch's row runs Check Now
      await page.locator('.monaco-list-row', { hasText: 'ResourceLoader @' }).filter({ hasText: 'collected' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.notifications-toasts', { hasText: 'were collected: the fix works' }).waitFor({ timeout: 30_000 });
      await screenshot(page, join(shots, 'watch-collected.png'));
    } catch (error) {
      await screenshot(page, join(shots, 'failure.png')).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nNotifications: ${JSON.stringify(await notifications(page))}\nScreenshot: ${join(shots, 'failure.png')}`);
    }
  });
});
