// The webview's calls to the extension host, over the same rpc.ts as the
// engine worker, in Chromium: each reply goes to the call it answers, a stale
// re-walk never replaces a newer one, and a failed call shows the host's words
// as text. The test plays the host and decides the order of the replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Walk } from '../../src/protocol/walk';
import { openWebview, pageTestBed, postedCount, type PageGlobals, type WebviewPage } from './pageHarness';
import { handWalk, HOSTILE_IMG } from './walks';

const bed = pageTestBed();

/** The hand walk cut down to its target alone: easy to tell from the whole one on screen. */
function targetOnly(walk: Walk): Walk {
  const target = walk.nodes.filter((n) => n.id === walk.target);
  return { ...walk, nodes: target, edges: [], truncated: [], shortestPath: { nodes: [walk.target], edges: [] } };
}

/** Page errors, without the favicon the test server does not serve. */
const pageErrors = (webview: WebviewPage) => webview.errors.filter((e) => !e.includes('favicon') && !e.includes('404'));

const drawnNodes = (webview: WebviewPage) => webview.page.$$eval('g.node', (els) => els.length);

function statusShows(webview: WebviewPage, text: string): Promise<unknown> {
  return webview.page.waitForFunction((expected) => (globalThis as unknown as PageGlobals).document.querySelector('.status')?.textContent === expected, text);
}

/** Messages are handled in order: once this busy text shows, every message sent before it was handled. */
async function settle(webview: WebviewPage, marker: string): Promise<void> {
  await webview.send({ type: 'busy', message: marker });
  await statusShows(webview, marker);
}

async function changeDepth(webview: WebviewPage, depth: number) {
  const since = await postedCount(webview);
  await webview.page.fill('#depth', String(depth));
  await webview.page.press('#depth', 'Enter');
  return webview.waitForCall('walk', since);
}

test('re-walk replies answered out of order: each goes to its own call, and only the newest is drawn', async () => {
  const walk = handWalk();
  const webview = await openWebview(bed.browser, bed.server, {}, walk);
  const whole = await drawnNodes(webview);
  assert.ok(whole > 3, `the hand walk draws ${whole} nodes`);

  const older = await changeDepth(webview, 3);
  const newer = await changeDepth(webview, 5);
  assert.notEqual(older.seq, newer.seq, 'each call has its own sequence number');
  assert.deepEqual([older.args[1].depth, newer.args[1].depth], [3, 5]);

  // The newer call is answered first with the target alone, then the older one with the whole walk.
  await webview.reply(newer, { ...targetOnly(walk), options: newer.args[1] });
  await webview.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('g.node').length === 1);
  await webview.reply(older, { ...walk, options: older.args[1] });
  await settle(webview, 'replies handled');
  assert.equal(await drawnNodes(webview), 1, 'the older reply did not replace the newer walk');
  assert.equal(await webview.page.inputValue('#depth'), '5');
  assert.deepEqual(pageErrors(webview), []);
  await webview.page.close();
});

test('a failed call shows the host\'s words as text and leaves the graph as it was', async () => {
  const webview = await openWebview(bed.browser, bed.server, {}, handWalk());
  const drawn = await drawnNodes(webview);

  const rewalk = await changeDepth(webview, 2);
  const words = `The snapshot this graph came from was released; take a new snapshot to walk again. ${HOSTILE_IMG}`;
  await webview.replyError(rewalk, words);
  await statusShows(webview, words);
  assert.equal(await webview.page.$eval('.status', (el) => el.getAttribute('data-kind')), 'error');
  assert.equal(await webview.page.$('.status img'), null, 'the message is text, never markup');
  assert.equal(await drawnNodes(webview), drawn, 'the graph is still drawn');

  const since = await postedCount(webview);
  await webview.page.click('g.node[data-id="4001"]');
  const details = await webview.waitForCall('details', since);
  await webview.replyError(details, 'The heap engine stopped (exit code 1).');
  await statusShows(webview, 'The heap engine stopped (exit code 1).');
  assert.equal(await webview.page.evaluate('window.__pwned'), undefined);
  assert.deepEqual(pageErrors(webview), []);
  await webview.page.close();
});

test('the same walk re-sent with its retained sizes while a re-walk is on its way does not drop the re-walk', async () => {
  const walk = handWalk();
  const webview = await openWebview(bed.browser, bed.server, {}, walk);
  const rewalk = await changeDepth(webview, 3);
  const sized: Walk = { ...walk, nodes: walk.nodes.map((n) => ({ ...n, retainedSize: n.selfSize * 2 })) };
  await webview.send({ type: 'init', walk: sized, title: 'Retainers of ResourceLoader @5001', settings: { hideDebugger: true, showInternals: false } });
  await webview.reply(rewalk, { ...targetOnly(walk), options: rewalk.args[1] });
  await webview.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('g.node').length === 1);
  assert.deepEqual(pageErrors(webview), []);
  await webview.page.close();
});
