/**
 * Plays the extension host's side of the webview calls with the real
 * engine: walks, "what it holds" and details are answered from a HeapGraph,
 * as GraphViewApi answers them from the engine worker.
 */
import type { HeapGraph } from '../../src/engine/index';
import type { ToHost } from '../../src/protocol/webview';
import type { Walk, WalkOptions } from '../../src/protocol/walk';
import type { PageGlobals, WebviewPage } from './pageHarness';

/** Waits for the next call posted after `since` that is not a notification, answers it from the engine, returns it. */
export async function answerNextCall(webview: WebviewPage, graph: HeapGraph, since: number): Promise<ToHost> {
  const handle = await webview.page.waitForFunction((n) => (globalThis as unknown as PageGlobals).__posted.slice(n).find((m) => m.kind === 'call' && m.method !== 'saveSettings'), since);
  const message = (await handle.jsonValue()) as ToHost;
  if (message.kind !== 'call') return message;
  if (message.method === 'walk') {
    const [target, options] = message.args as [number, WalkOptions];
    await webview.reply(message, graph.walk(target, options));
  } else if (message.method === 'references') {
    const [target, options] = message.args as [number, WalkOptions];
    await webview.reply(message, graph.references(target, options));
  } else if (message.method === 'details') {
    await webview.reply(message, graph.details((message.args as [number])[0]));
  }
  return message;
}

/** The walk and title the page last said it shows (the `showing` notification). */
export async function lastShowing(webview: WebviewPage): Promise<{ walk: Walk; title: string } | undefined> {
  const posted = await webview.posted();
  const last = posted.filter((m) => m.kind === 'notify' && m.method === 'showing').at(-1);
  if (!last) return undefined;
  const [walk, title] = last.args as [Walk, string];
  return { walk, title };
}
