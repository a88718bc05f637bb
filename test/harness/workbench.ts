// Drives VS Code's web workbench the way a user does: command palette, quick
// picks, input boxes, context menus, and the webviews (nested iframes, found
// through page.frames()). Selectors are VS Code's own stable class names.
import type { Frame, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const quickInput = '.quick-input-widget';

/** Opens the workbench and waits until the explorer shows the folder. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/**
 * Runs a command by its palette title, e.g. "Retainer Graph: Attach to a Node Process…".
 * Retries while the palette does not list it yet (contributed commands appear
 * only once the (remote) extension host has scanned the extensions) and when
 * the palette closes under us (a webview taking focus back closes it).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const box = page.locator(`${quickInput} .quick-input-box input`);
      await box.fill(`>${title}`, { timeout: 3000 });
      const row = page.locator(`${quickInput} .monaco-list-row`).filter({ hasText: title, visible: true }).first();
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click({ timeout: 3000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`The command palette never offered "${title}" (${(error as Error).message.split('\n')[0]})`);
    }
  }
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a user would. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop() ?? relativePath;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const box = page.locator(`${quickInput} .quick-input-box input`);
  await box.waitFor({ state: 'visible' });
  await box.fill(relativePath);
  const row = page.locator(`${quickInput} .monaco-list-row`).filter({ hasText: name, visible: true }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
}

/**
 * Opens a file by clicking it in the Explorer, as a user does right after a
 * tool wrote it (Quick Open's file index can lag behind a new file for a
 * while; the Explorer follows the file watcher).
 */
export async function openFromExplorer(page: Page, name: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name, visible: true }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    await openFile(page, name);
    return;
  }
  await row.click();
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 30_000 });
}

/**
 * Waits for a quick pick (optionally one whose title contains `title`) whose
 * rows include `text`, then picks that row.
 */
export async function pick(page: Page, text: string | RegExp, options: { timeoutMs?: number; filter?: string; title?: string | RegExp } = {}): Promise<void> {
  const timeout = options.timeoutMs ?? 30_000;
  const widget = page.locator(quickInput).filter({ hasText: options.title, visible: true });
  const box = widget.locator('.quick-input-box input');
  await box.waitFor({ state: 'visible', timeout });
  if (options.filter !== undefined) await box.fill(options.filter);
  const row = widget.locator('.monaco-list-row').filter({ hasText: text, visible: true }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/** Answers an input box (optionally one whose title or prompt contains `expecting`). */
export async function answer(page: Page, value: string, expecting?: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const widget = page.locator(quickInput).filter({ hasText: expecting, visible: true });
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const box = widget.locator('.quick-input-box input');
  await box.fill(value);
  await box.press('Enter');
}

/**
 * Right-clicks `target` and picks `item` from its context menu. Lists re-render
 * under the pointer (the Variables view does on every refresh), so the menu is
 * opened again until it shows the item.
 */
export async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const action = menu.locator('.action-item', { hasText: item }).first();
  for (let attempt = 1; ; attempt++) {
    // A menu still open from an earlier attempt would swallow the right-click.
    if (await menu.isVisible()) await page.keyboard.press('Escape');
    await target.click({ button: 'right' });
    try {
      await action.waitFor({ state: 'visible', timeout: 5000 });
      // The workbench can drop a click that lands while the menu is still
      // settling; a chosen item closes the menu, so an open menu means retry.
      await action.click({ timeout: 5000, delay: 50 });
      await menu.waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * The webview frame that contains `selector`. VS Code nests each webview in
 * two iframes; the inner one holds the extension's HTML. Fails at once when
 * VS Code shows an error instead (error toasts hide themselves after a while).
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const errors = await errorNotifications(page);
    if (errors.length) throw new Error(`VS Code showed an error instead of ${selector}: ${errors.join(' | ')}`);
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch { /* frame navigated or detached meanwhile */ }
    }
    await page.waitForTimeout(250);
  }
  const texts = await Promise.all(page.frames().map((f) => f.url()));
  throw new Error(`No webview showed ${selector} within ${timeoutMs / 1000}s (frames: ${texts.join(', ')})`);
}

/** Visible notification texts (errors and progress), for failure messages. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []);
}

async function errorNotifications(page: Page): Promise<string[]> {
  const items = page.locator('.notifications-toasts .notification-list-item').filter({ has: page.locator('.codicon-error') });
  return items.locator('.notification-list-item-message').allInnerTexts().catch(() => []);
}

/** The whole window, or only `of` (one view, for a README image that shows just it). */
export async function screenshot(page: Page, path: string, of?: Locator): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  // A clip of the window, not the locator's own screenshot: that scrolls the workbench to it, shifting later shots.
  const clip = of ? await of.boundingBox() : null;
  if (of && !clip) throw new Error(`nothing to screenshot for ${path}: the element is not shown`);
  if (clip) await page.screenshot({ path, clip });
  else await page.screenshot({ path });
}
