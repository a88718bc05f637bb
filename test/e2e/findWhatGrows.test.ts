// The README's "Find what grows" walkthrough as a user does it, in VS Code's
// server in Chromium with the packaged .vsix: record growth of the leaking
// demo (Take Next from the status bar), read the suspects and ResourceLoader's
// merged paths, save the recording; restart the demo with the fix, record
// again, and compare the saved recording beside the new one. The demo loads
// bots only when asked (GET /load, as a user can in a browser), so every count
// the test reads is exact. Screenshots go to test-results/e2e/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { demoDir, packageVsix, repoRoot, startUserSession, waitForText, type UserSession } from '../harness/userSession';
import { contextMenu, notifications, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const shots = join(repoRoot, 'test-results', 'e2e');
/** Bots load only on GET /load: nothing depends on how fast snapshots are. */
const DEMO = { BOT_INTERVAL_MS: String(24 * 3600_000), MAX_BOTS: '1000' };
/** The demo folder sits in this repository: no offer to open it, over the screenshots. */
const SETTINGS = { 'git.openRepositoryInParentFolders': 'never' };
/** Bots loaded between two snapshots. */
const STEP = 3;
const SAVED = /^heap-[\d-]+-\d\.heapsnapshot$/;

let vsix: string;
let session: UserSession | undefined;

function savedFiles(): string[] {
  return readdirSync(demoDir).filter((name) => SAVED.test(name)).sort();
}

function removeSaved(): void {
  for (const name of savedFiles()) rmSync(join(demoDir, name), { force: true });
}

/** The demo's HTTP address, from the line it prints when it starts. */
function demoUrl(user: UserSession): string {
  const url = /leaky bot server on (http:\/\/\S+\/)/.exec(user.demoOutput())?.[1];
  assert.ok(url, `the demo printed its address: ${user.demoOutput()}`);
  return url;
}

/**
 * Loads `count` bots, as opening http://127.0.0.1:3000/load does. Each on its
 * own connection, closed after it: a kept-alive socket would be growth too.
 */
async function loadBots(user: UserSession, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${demoUrl(user)}load`, { agent: false, headers: { connection: 'close' } }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode));
      }).once('error', reject);
    });
    assert.equal(status, 200);
  }
}

function statusItem(page: Page, text: string | RegExp) {
  return page.locator('.statusbar-item', { hasText: text }).first();
}

/** Clicks "Take Next" in the status bar and waits until it counts `snapshots`. */
async function takeNext(page: Page, snapshots: number): Promise<void> {
  await statusItem(page, `${snapshots - 1} snapshot${snapshots === 2 ? '' : 's'} — Take Next`).click();
  await statusItem(page, `${snapshots} snapshots — Take Next`).waitFor({ timeout: 180_000 });
}

/**
 * Record Growth… on the demo, then two Take Next with STEP bots loaded before
 * each. One bot is loaded first: the first snapshot comes after start-up work
 * (the first request sets up Node's HTTP parser), as a user exercises an app once
 * before recording.
 */
async function recordThreeSnapshots(user: UserSession): Promise<Frame> {
  const { page } = user;
  await loadBots(user, 1);
  await runCommand(page, 'Retainer Graph: Record Growth…');
  await pick(page, 'server.js');
  // Allocation stacks are offered, off by default: heap snapshots only, as most recordings are.
  await pick(page, 'Heap snapshots only', { title: 'Record Growth' });
  await statusItem(page, '1 snapshot — Take Next').waitFor({ timeout: 180_000 });
  await loadBots(user, STEP);
  await takeNext(page, 2);
  await loadBots(user, STEP);
  await takeNext(page, 3);
  const frame = await webviewFrame(page, '.source-bar .snapshots li:nth-child(3)', 120_000);
  await frame.locator('.source-label', { hasText: '· 3 snapshots' }).waitFor({ timeout: 60_000 });
  return frame;
}

async function texts(frame: Frame, selector: string): Promise<string[]> {
  return (await frame.locator(selector).allInnerTexts()).map((text) => text.trim());
}

async function onFailure(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const file = join(shots, `${name}-failure.png`);
    if (session) await screenshot(session.page, file).catch(() => undefined);
    const seen = session ? JSON.stringify(await notifications(session.page)) : '[]';
    throw new Error(`${(error as Error).message}\nScreenshot: ${file}\nNotifications: ${seen}`);
  }
}

describe('Find what grows: record the leak, fix it, record again, compare', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    removeSaved();
    vsix = packageVsix();
    session = await startUserSession({ vsix, settings: SETTINGS, demoEnv: DEMO });
  });
  after(async () => {
    await session?.close();
    removeSaved();
  });

  it('the Growth view names Processor.instanceMap first; ResourceLoader\'s merged paths show the static map and BotServer.current apart; the recording is saved', async () => {
    await onFailure('growth-before', async () => {
      const user = session!;
      const { page } = user;
      await runCommand(page, 'View: Close All Editors');
      const frame = await recordThreeSnapshots(user);

      // Suspects first, the static map at the top, in one sentence.
      const suspects = await texts(frame, '.suspect-list .suspect');
      assert.ok(suspects.length >= 1, 'a suspect');
      assert.match(suspects[0], new RegExp(`^Processor\\.instanceMap \\(static map\\): \\+${STEP} entries per snapshot, holding Processor, `), suspects.join(' | '));
      const processor = frame.locator('.classes tbody tr[data-key="Processor"]');
      assert.equal(await processor.locator('td[data-column="count"]').getAttribute('title'), `2 → ${2 + STEP} → ${2 + 2 * STEP}`);
      // Retained sizes come in the background: the sentence then says what each step keeps.
      await frame.locator('.suspect-list .suspect', { hasText: 'retained per step' }).first().waitFor({ timeout: 120_000 });
      await page.waitForTimeout(500);
      await screenshot(page, join(shots, 'growth-suspects.png'));

      // ResourceLoader in the class table → the merged paths of its new instances.
      await frame.locator('.classes tbody tr[data-key="ResourceLoader"]').click();
      const headline = frame.locator('.paths-headline');
      await headline.filter({ hasText: 'new ResourceLoader since snapshot 1' }).waitFor({ timeout: 60_000 });
      const newLoaders = 2 * STEP;
      assert.equal(
        (await headline.textContent())?.trim(),
        `${newLoaders} new ResourceLoader since snapshot 1: ${newLoaders - 1} via Processor.instanceMap.get(*).resourceLoader, 1 via this.current.resourceLoader`,
      );
      // The tree: the static map's branch with its count, BotServer.current's apart.
      const rows = await frame.$$eval('g.path-row', (elements) =>
        elements.map((row) => ({ step: row.querySelector('text.step')?.textContent ?? '', title: row.querySelector('text.title')?.textContent ?? '', count: row.querySelector('text.count')?.textContent ?? '', node: row.querySelector('g.node')?.getAttribute('class') ?? '' })),
      );
      const map = rows.find((row) => row.title.includes('Processor.instanceMap'));
      assert.ok(map, `rows: ${JSON.stringify(rows)}`);
      assert.match(map.node, /role-static-map/);
      assert.equal(map.count, `×${newLoaders - 1}`);
      // The bot loaded now: also held by BotServer.current, through Node's timer list.
      const server = rows.find((row) => row.title === 'BotServer');
      assert.ok(server, `rows: ${JSON.stringify(rows)}`);
      assert.equal(server.count, '×1');
      assert.ok(rows.some((row) => row.step.startsWith('.current') && row.count === '×1'), `rows: ${JSON.stringify(rows)}`);
      // More room for the tree: the bar above it dragged up, until both branches show.
      const bar = await frame.locator('.splitter').boundingBox();
      const workspace = await frame.locator('.workspace').boundingBox();
      assert.ok(bar && workspace);
      await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + bar.width / 2, workspace.y + 10, { steps: 8 });
      await page.mouse.up();
      await page.waitForTimeout(500);
      await screenshot(page, join(shots, 'growth-merged-paths.png'));

      // Save Snapshots… into the demo folder (the dialog opens on it), then Stop.
      await frame.locator('#save').click();
      const dialog = page.locator('.quick-input-widget').filter({ hasText: 'Save the 3 snapshots of', visible: true });
      await dialog.waitFor({ timeout: 30_000 });
      await dialog.locator('.quick-input-action', { hasText: 'Save Snapshots Here' }).click();
      await page.locator('.notifications-toasts', { hasText: /Saved 3 snapshots of .* to / }).waitFor({ timeout: 60_000 });
      assert.equal(savedFiles().length, 3, `saved: ${savedFiles().join(', ')}`);
      await statusItem(page, 'Stop').click();
      await statusItem(page, 'Take Next').waitFor({ state: 'hidden', timeout: 30_000 });
      await frame.locator('#take-next').waitFor({ state: 'hidden', timeout: 30_000 });
    });
  });

  it('after the fix (DEMO_FIXED=1, restarted), a new recording has no suspect; the saved recording compared beside it grows at every step', async () => {
    await onFailure('growth-after', async () => {
      // Ctrl+C and `DEMO_FIXED=1 npm start`: VS Code and the demo start afresh; the saved files stay in the folder.
      await session?.close();
      session = undefined;
      session = await startUserSession({ vsix, settings: SETTINGS, demoEnv: { ...DEMO, DEMO_FIXED: '1' } });
      const user = session;
      const { page } = user;
      await waitForText(user.demoOutput, 'with the fix applied', 10_000, 'the demo saying it runs with the fix');

      const after = await recordThreeSnapshots(user);
      // Retained sizes in: the report is final.
      await after.locator('.classes th[data-column="retainedDelta"]').waitFor({ timeout: 120_000 });
      const left = await texts(after, '.suspect-list .suspect');
      assert.deepEqual(left, [], 'no suspect after the fix');
      assert.match((await after.locator('.no-suspects').textContent()) ?? '', /^No leak suspects in 3 snapshots of server\.js .*: no collection grew at every step/);
      await screenshot(page, join(shots, 'growth-after-fix.png'));
      // One bot at a time: each step replaced it.
      assert.equal(await after.locator('.classes tbody tr[data-key="Processor"] td[data-column="count"]').getAttribute('title'), '1 → 1 → 1');
      await statusItem(page, 'Stop').click();
      await statusItem(page, 'Take Next').waitFor({ state: 'hidden', timeout: 30_000 });

      // The saved recording: select its three files in the Explorer → Compare Heap Snapshots.
      await runCommand(page, 'View: Show Explorer');
      const files = savedFiles();
      const row = (name: string) => page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name, visible: true }).first();
      // Ctrl+click selects without opening the file; Shift+click extends the selection.
      await row(files[0]).click({ modifiers: ['Control'] });
      await row(files[2]).click({ modifiers: ['Shift'] });
      await contextMenu(page, row(files[1]), 'Compare Heap Snapshots');
      const before = await webviewFrame(page, '.source-label:text-matches("heap ?snapshot") ~ .snapshots li:nth-child(3)', 180_000);
      await before.locator('.suspect-list .suspect').first().waitFor({ timeout: 60_000 });
      const suspects = await texts(before, '.suspect-list .suspect');
      assert.match(suspects[0], new RegExp(`^Processor\\.instanceMap \\(static map\\): \\+${STEP} entries per snapshot, holding Processor, `), suspects.join(' | '));
      assert.deepEqual(await before.$$eval('.source-bar .snapshots li', (items) => items.map((item) => item.textContent)), files.map((name, i) => `${i + 1}${name}`), 'oldest first');
      // Beside the new recording: growth per step before the fix, none after.
      await runCommand(page, 'View: Move Editor into Right Group');
      // The Explorer has done its part: its width goes to the two views.
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      await page.mouse.move(300, 800); // no tooltip over the views
      await page.waitForTimeout(800);
      await screenshot(page, join(shots, 'growth-before-after.png'));
    });
  });
});
