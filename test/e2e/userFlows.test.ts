// Browser e2e as a user: the packaged .vsix installed into VS Code's server,
// the leaky demo open, the UI driven with Playwright in Debian's Chromium.
// Each flow ends at the retainer graph and saves a screenshot to
// media/screenshots/ (the README shows them).
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { demoDir, packageVsix, repoRoot, startUserSession, type UserSession } from '../harness/userSession';
import { answer, notifications, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const screenshots = join(repoRoot, 'media', 'screenshots');
const graphNode = 'svg.graph g.node';

/** Fails with what the user would see (notifications) when the graph does not come. */
async function graphIn(session: UserSession, selector = graphNode): Promise<Frame> {
  try {
    return await webviewFrame(session.page, selector, 90_000);
  } catch (error) {
    await screenshot(session.page, join(repoRoot, 'test-results', `failure-${Date.now()}.png`));
    throw new Error(`${(error as Error).message}\nNotifications: ${JSON.stringify(await notifications(session.page))}`);
  }
}

describe('Retainer Graph in VS Code, as a user', { timeout: 15 * 60_000 }, () => {
  let session: UserSession;

  before(async () => {
    session = await startUserSession({ vsix: packageVsix() });
  });
  after(async () => {
    await session?.close();
  });
  beforeEach(async () => {
    await runCommand(session.page, 'View: Close All Editors');
  });

  it('a. attach from the command palette → expression → graph with Processor.instanceMap highlighted', async () => {
    const { page } = session;
    await runCommand(page, 'Retainer Graph: Attach to a Node Process…');
    await pick(page, 'server.js');
    await answer(page, "process.mainModule.require('./lib/processor').Processor.instanceMap.get('bot1').resourceLoader");
    const frame = await graphIn(session, `${graphNode}.role-static-map`);
    const staticMapRoot = frame.locator(`${graphNode}.role-static-map`).first();
    assert.match(await staticMapRoot.textContent() ?? '', /instanceMap/, 'the static-map root is named after Processor.instanceMap');
    assert.ok(await frame.locator(`${graphNode}.role-target`).count() >= 1, 'the target ResourceLoader is drawn');
    await page.waitForTimeout(1000); // let the layout transition settle for the screenshot
    await screenshot(page, join(screenshots, 'attach-expression.png'));
  });

  it('b. debug the demo, stop at a breakpoint, right-click a variable → Show Retainers → graph', async () => {
    const { page } = session;
    // Open lib/botServer.js at the line that stores the new Processor, and set a breakpoint there.
    await page.keyboard.press('Control+P');
    await answer(page, 'lib/botServer.js');
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    await page.keyboard.press('Control+G');
    const line = lineOf(join(demoDir, 'lib', 'botServer.js'), 'this.current = processor;');
    await answer(page, String(line));
    await page.keyboard.press('F9');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });

    await runCommand(page, 'Debug: Select and Start Debugging');
    await pick(page, 'Debug the leaky bot server');
    // Paused: the Variables view lists the frame's locals.
    const variable = page.locator('.debug-view-content .monaco-list-row', { hasText: /^\s*processor\b/ }).first();
    await variable.waitFor({ timeout: 60_000 });
    await variable.click({ button: 'right' });
    await page.locator('.monaco-menu .action-item', { hasText: 'Show Retainers' }).first().click();
    const frame = await graphIn(session);
    assert.ok(await frame.locator(`${graphNode}.role-static-map`).count() >= 1, 'Processor.instanceMap is among the roots');
    await page.waitForTimeout(1000);
    await screenshot(page, join(screenshots, 'debug-variable.png'));
    await runCommand(page, 'Debug: Stop');
  });

  it('c. open a .heapsnapshot file → pick a class → graph', async () => {
    const { page } = session;
    const file = join(demoDir, 'e2e-leak.heapsnapshot');
    execFileSync(process.execPath, ['writeSnapshot.js', file], { cwd: demoDir });
    try {
      await page.keyboard.press('Control+P');
      await answer(page, 'e2e-leak.heapsnapshot');
      await pick(page, 'ResourceLoader', { filter: 'ResourceLoader', timeoutMs: 90_000 });
      // Then one instance of it.
      await pick(page, /ResourceLoader|@/, { timeoutMs: 30_000 });
      const frame = await graphIn(session, `${graphNode}.role-static-map`);
      assert.match(await frame.locator(`${graphNode}.role-static-map`).first().textContent() ?? '', /instanceMap/);
      await page.waitForTimeout(1000);
      await screenshot(page, join(screenshots, 'heapsnapshot-editor.png'));
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
