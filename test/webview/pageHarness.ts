/**
 * Serves the webview exactly as the host builds it (renderWebviewHtml + the
 * dist bundle) from a local http server, and stubs `acquireVsCodeApi()` — the
 * VS Code webview API boundary — with an in-page recorder.
 */
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/protocol/webviewHtml';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webview';
import type { Walk } from '../../src/protocol/walk';
import { launchChromium } from '../harness/browser';
import { provideChromium } from '../harness/provision';
import { THEMES, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..');
const STUB_SOURCE = readFileSync(join(__dirname, 'fixtures', 'vscodeApiStub.js'), 'utf8');

/** Builds only the webview bundle (scripts/build.mjs's own options), so these tests do not depend on the other bundles compiling. */
export async function buildWebview(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'webview'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The page globals the tests read from functions run in the page. The root
 * tsconfig has no DOM types, and string predicates would need eval, which
 * the page's CSP (rightly) forbids when Playwright polls them.
 */
export interface PageElement {
  getAttribute(name: string): string | null;
  value?: string;
  __transition?: unknown;
}

export interface PageGlobals {
  __posted: WebviewToHost[];
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): { length: number } };
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(title = 'Retainers of ResourceLoader @5001'): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const pageTitle = url.searchParams.get('title') ?? title;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderWebviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css`, nonce: 'dGVzdG5vbmNl', title: pageTitle }));
      return;
    }
    const file = normalize(url.pathname).replace(/^\/+/, '');
    if (!file.startsWith('dist/')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(ROOT, file));
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launchBrowser(): Promise<Browser> {
  return launchChromium(provideChromium());
}

export interface OpenOptions {
  theme?: ThemeName;
  /** What `vscode.getState()` returns at start (a previous session's state). */
  state?: unknown;
  width?: number;
  height?: number;
  title?: string;
}

export interface WebviewPage {
  page: Page;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<WebviewToHost[]>;
  /** Waits for a posted message of this type (after `since` earlier ones). */
  waitForPosted<T extends WebviewToHost['type']>(type: T, since?: number): Promise<Extract<WebviewToHost, { type: T }>>;
  send(message: HostToWebview): Promise<void>;
  state(): Promise<unknown>;
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  errors: string[];
}

/** Opens the webview page, waits for `ready`, and optionally answers with `init`. */
export async function openWebview(browser: Browser, server: PageServer, options: OpenOptions = {}, init?: Walk): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const theme = THEMES[options.theme ?? 'dark'];
  // tsx compiles test code with esbuild's keepNames, which wraps functions in `__name(...)`;
  // functions handed to the page need that helper to exist there.
  await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
  const stubArgs = JSON.stringify({ state: options.state, vars: theme.vars, bodyClass: theme.bodyClass });
  await page.addInitScript({ content: `${STUB_SOURCE}\ninstallVsCodeStub(${stubArgs});` });
  const url = options.title ? `${server.origin}/?title=${encodeURIComponent(options.title)}` : `${server.origin}/`;
  await page.goto(url);
  const webview: WebviewPage = {
    page,
    errors,
    posted: () => page.evaluate('window.__posted') as Promise<WebviewToHost[]>,
    waitForPosted: async (type, since = 0) => {
      const handle = await page.waitForFunction(({ type, since }) => (globalThis as unknown as PageGlobals).__posted.slice(since).find((m) => m.type === type), { type, since });
      return (await handle.jsonValue()) as never;
    },
    send: async (message) => {
      await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    },
    state: () => page.evaluate('window.__getState()'),
    cspViolations: () => page.evaluate('window.__violations') as Promise<string[]>,
  };
  await webview.waitForPosted('ready');
  if (init) {
    const target = init.nodes.find((n) => n.id === init.target);
    const title = options.title ?? `Retainers of ${target?.name ?? ''} @${init.target}`;
    await webview.send({ type: 'init', walk: init, title, settings: { hideDebugger: true, showInternals: false } });
    await page.waitForSelector('g.node');
  }
  return webview;
}

/** Number of messages posted so far (to wait for the next one). */
export async function postedCount(webview: WebviewPage): Promise<number> {
  return (await webview.posted()).length;
}
