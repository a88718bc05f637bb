// Browser e2e as a user: the packaged .vsix installed into VS Code's server,
// the leaky demo open, the UI driven with Playwright in Debian's Chromium.
// Each flow ends at the retainer graph and saves a screenshot to
// test-results/screenshots/ (`npm run screenshots` refreshes the README's copies).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { demoDir, packageVsix, repoRoot, startUserSession, type UserSession } from '../harness/userSession';
import { screenshotsDir } from '../harness/screenshots';
import { answer, contextMenu, notifications, openFile, openFromExplorer, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const graphNode = 'svg.graph g.node';

function graphIn(session: UserSession, selector = graphNode): Promise<Frame> {
  return webviewFrame(session.page, selector, 90_000);
}

/**
 * Runs one flow; on failure saves what the page showed to test-results/ and
 * says where, before `cleanUp` changes the page (e.g. stops the debug session).
 */
function flow(name: string, body: (step: (what: string) => void) => Promise<void>, cleanUp?: () => Promise<void>): void {
  it(name, async (t) => {
    const start = Date.now();
    const steps: string[] = [];
    const step = (what: string): void => { steps.push(`${((Date.now() - start) / 1000).toFixed(1)}s ${what}`); };
    try {
      // A clean workbench: no editors or notifications left from the flow before.
      await runCommand(session.page, 'Notifications: Clear All Notifications');
      await runCommand(session.page, 'View: Close All Editors');
      await runCommand(session.page, 'View: Show Explorer');
      step('workbench ready');
      await body(step);
    } catch (error) {
      const file = join(repoRoot, 'test-results', `e2e-${name.slice(0, 2).replace(/\W/g, '')}-failure.png`);
      await screenshot(session.page, file).catch(() => undefined);
      const seen = JSON.stringify(await notifications(session.page));
      throw new Error(`${(error as Error).message}\nScreenshot: ${file}\nNotifications: ${seen}\nSteps: ${steps.join('; ')}`);
    } finally {
      if (cleanUp) await cleanUp().then(() => step('cleaned up'), (error: Error) => step(`clean-up failed: ${error.message.split('\n')[0]}`));
      t.diagnostic(steps.join('; '));
    }
  });
}

let session: UserSession;

describe('Retainer Graph in VS Code, as a user', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    session = await startUserSession({ vsix: packageVsix() });
  });
  after(async () => {
    await session?.close();
  });

  flow('a. attach from the command palette → expression → graph with Processor.instanceMap highlighted', async () => {
    const { page } = session;
    await runCommand(page, 'Retainer Graph: Attach to a Node Process…');
    await pick(page, 'server.js');
    await answer(page, "process.mainModule.require('./lib/processor').Processor.instanceMap.get('bot1').resourceLoader", 'Show Retainers in');
    const frame = await graphIn(session, `${graphNode}.role-static-map`);
    const staticMapRoot = frame.locator(`${graphNode}.role-static-map`).first();
    assert.match(await staticMapRoot.textContent() ?? '', /instanceMap/, 'the static-map root is named after Processor.instanceMap');
    assert.ok(await frame.locator(`${graphNode}.role-target`).count() >= 1, 'the target ResourceLoader is drawn');
    await page.waitForTimeout(1000); // let the layout transition settle for the screenshot
    await screenshot(page, join(screenshotsDir, 'attach-expression.png'));
  });

  flow('b. debug the demo, stop at a breakpoint, right-click a variable → Show Retainers → graph', async (step) => {
    const { page } = session;
    // Open lib/botServer.js at the line that stores the new Processor, and set a breakpoint there.
    await openFile(page, 'lib/botServer.js');
    await page.keyboard.press('Control+G');
    const line = lineOf(join(demoDir, 'lib', 'botServer.js'), 'this.current = processor;');
    await answer(page, `:${line}`);
    await page.keyboard.press('F9');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    step('breakpoint set');
    await runCommand(page, 'Debug: Select and Start Debugging');
    await pick(page, 'Debug the leaky bot server');
    step('debugging started');
    // The demo loads its first bot at once and another every 2 s, so it stops here soon.
    await page.getByText(/paused on breakpoint/i).first().waitFor({ timeout: 90_000 });
    step('paused');
    // Open the Local scope in the Variables view (VS Code does not always expand it).
    const localScope = page.locator('.debug-view-content .monaco-list-row', { hasText: /^\s*Local/ }).first();
    await localScope.waitFor({ timeout: 30_000 });
    if ((await localScope.getAttribute('aria-expanded')) === 'false') await localScope.click();
    const variable = page.locator('.debug-view-content .monaco-list-row', { hasText: /^\s*processor\b/ }).first();
    await variable.waitFor({ timeout: 30_000 });
    step('variable shown');
    const tabs = page.locator('.tabs-container .tab');
    const tabsBefore = await tabs.count();
    for (let attempt = 1; ; attempt++) {
      await contextMenu(page, variable, 'Show Retainers');
      step('Show Retainers clicked');
      // A snapshot shows its progress at once and ends in a new editor tab; when
      // neither shows, the click fell between menu frames: click again.
      const progress = page.locator('.notifications-toasts', { hasText: 'Retainer Graph: heap snapshot' });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !(await progress.isVisible()) && (await tabs.count()) === tabsBefore) await page.waitForTimeout(200);
      if (Date.now() < deadline) break;
      if (attempt === 2) throw new Error('Show Retainers started no heap snapshot, twice');
    }
    step('snapshot started');
    const frame = await graphIn(session);
    step('graph drawn');
    assert.ok(await frame.locator(`${graphNode}.role-static-map`).count() >= 1, 'Processor.instanceMap is among the roots');
    await page.waitForTimeout(1000);
    await screenshot(page, join(screenshotsDir, 'debug-variable.png'));
  }, async () => {
    await runCommand(session.page, 'Debug: Stop', 20_000);
    await runCommand(session.page, 'Remove All Breakpoints', 20_000);
  });

  flow('c. open a .heapsnapshot file → pick a class → graph', async () => {
    const { page } = session;
    const file = join(demoDir, 'e2e-leak.heapsnapshot');
    execFileSync(process.execPath, ['writeSnapshot.js', file], { cwd: demoDir });
    try {
      // The debug flow's empty Debug Console would take half the editor's height.
      await runCommand(page, 'View: Hide Panel');
      await openFromExplorer(page, 'e2e-leak.heapsnapshot');
      // The custom editor loads it and goes straight to the class list…
      await pick(page, 'ResourceLoader', { title: 'Classes in', filter: 'ResourceLoader', timeoutMs: 120_000 });
      // …then one of its instances.
      await pick(page, 'The first of', { title: 'ResourceLoader:' });
      const frame = await graphIn(session, `${graphNode}.role-static-map`);
      assert.match(await frame.locator(`${graphNode}.role-static-map`).first().textContent() ?? '', /instanceMap/);
      await runCommand(page, 'Notifications: Clear All Notifications');
      await page.mouse.move(700, 850); // no tooltip over the graph
      await page.waitForTimeout(1000);
      await screenshot(page, join(screenshotsDir, 'heapsnapshot-editor.png'));
    } finally {
      rmSync(file, { force: true });
    }
  });
});

function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not found in ${file}`);
  return index + 1;
}
