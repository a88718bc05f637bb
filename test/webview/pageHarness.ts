/**
 * Serves the webview exactly as the host builds it (renderWebviewHtml + the
 * dist bundle) from a local http server, and stubs `acquireVsCodeApi()` — the
 * VS Code webview API boundary — with an in-page recorder. Tests play the
 * host: they read the calls the page posts and answer them, or send events.
 */
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { renderWebviewHtml, WEBVIEW_PAGES, type WebviewPageKind } from '../../src/protocol/webviewHtml';
import type { ArgsOf, Call, MethodOf, ResultOf, ToClient, ToServer } from '../../src/protocol/rpc';
import type { ToHost, WebviewApi, WebviewEvent } from '../../src/protocol/webview';
import type { Walk } from '../../src/protocol/walk';
import { launchChromium } from '../harness/browser';
import { provideChromium } from '../harness/provision';
import { THEMES, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..');
const STUB_SOURCE = readFileSync(join(__dirname, 'fixtures', 'vscodeApiStub.js'), 'utf8');

/** Builds only the webview bundles (scripts/build.mjs's own options), so these tests do not depend on the other bundles compiling. */
export async function buildWebview(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'webview', 'growthView', 'memoryView'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The page globals the tests read from functions run in the page. The root
 * tsconfig has no DOM types, and string predicates would need eval, which
 * the page's CSP (rightly) forbids when Playwright polls them.
 */
export interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
  value?: string;
  __transition?: unknown;
}

export interface PageGlobals {
  __posted: { kind: string; method: string }[];
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
    // `/` is the retainer graph, `/growth` the Growth view: the HTML the host serves, with each page's bundle.
    const kind: WebviewPageKind | undefined = url.pathname === '/' ? 'graph' : url.pathname === '/growth' ? 'growth' : url.pathname === '/memory' ? 'memory' : undefined;
    if (kind) {
      const pageTitle = url.searchParams.get('title') ?? title;
      const bundle = WEBVIEW_PAGES[kind];
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderWebviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/${bundle.script}`, styleUri: `${origin}/dist/${bundle.style}`, nonce: 'dGVzdG5vbmNl', title: pageTitle }));
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

/** The page server and Chromium a test file (or suite) shares. */
export interface PageTestBed {
  browser: Browser;
  server: PageServer;
}

/**
 * Builds the pages and starts the server and Chromium before the tests of
 * the file (or of the suite it is called in), and closes them after.
 */
export function pageTestBed(): PageTestBed {
  const bed = {} as PageTestBed;
  before(async () => {
    await buildWebview();
    bed.server = await startPageServer();
    bed.browser = await launchBrowser();
  });
  after(async () => {
    await bed.browser?.close();
    await bed.server?.close();
  });
  return bed;
}

export interface OpenOptions {
  theme?: ThemeName;
  /** What `vscode.getState()` returns at start (a previous session's state). */
  state?: unknown;
  width?: number;
  height?: number;
  title?: string;
}

export type HostMethod = MethodOf<WebviewApi>;

/** A call the page made to the host, `args` typed by its method. */
export type HostCall<M extends HostMethod = HostMethod> = Call<WebviewApi, M>;

/** A webview page driven as its host: `Api` is what the page calls, `E` the events the host sends. */
export interface RpcPage<Api, E> {
  page: Page;
  /** Messages the page posted to the host (calls and the `ready` notification), in order. */
  posted(): Promise<ToServer<Api>[]>;
  /** Waits for a call of `method` posted after the first `since` messages. */
  waitForCall<M extends MethodOf<Api>>(method: M, since?: number): Promise<Call<Api, M>>;
  /** Answers a call as the host does. */
  reply<M extends MethodOf<Api>>(call: Call<Api, M>, result: ResultOf<Api, M>): Promise<void>;
  /** Fails a call as the host does: the message is already in the user's words. */
  replyError(call: Call<Api>, message: string): Promise<void>;
  /** Sends a host event. */
  send(event: E): Promise<void>;
  state(): Promise<unknown>;
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  errors: string[];
}

export type WebviewPage = RpcPage<WebviewApi, WebviewEvent>;

/** Opens the retainer graph page, waits for `ready`, and optionally answers with `init`. */
export async function openWebview(browser: Browser, server: PageServer, options: OpenOptions = {}, init?: Walk): Promise<WebviewPage> {
  const webview = await openRpcPage<WebviewApi, WebviewEvent>(browser, server, '/', options);
  if (init) {
    const target = init.nodes.find((n) => n.id === init.target);
    const title = options.title ?? `Retainers of ${target?.name ?? ''} @${init.target}`;
    await webview.send({ type: 'init', walk: init, title, settings: { hideDebugger: true, showInternals: false } });
    await webview.page.waitForSelector('g.node');
  }
  return webview;
}

/** Opens a page at `path` with the VS Code API stubbed and the theme applied, and waits for its `ready`. */
export async function openRpcPage<Api, E>(browser: Browser, server: PageServer, path: string, options: OpenOptions = {}): Promise<RpcPage<Api, E>> {
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
  const url = `${server.origin}${path}${options.title ? `?title=${encodeURIComponent(options.title)}` : ''}`;
  await page.goto(url);
  const post = async (message: ToClient<E>): Promise<void> => {
    await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  };
  const waitForPosted = async (kind: 'call' | 'notify', method: MethodOf<Api>, since: number): Promise<ToServer<Api>> => {
    const handle = await page.waitForFunction(
      ({ kind, method, since }) => (globalThis as unknown as PageGlobals).__posted.slice(since).find((m) => m.kind === kind && m.method === method),
      { kind, method: String(method), since },
    );
    return (await handle.jsonValue()) as ToServer<Api>;
  };
  const rpcPage: RpcPage<Api, E> = {
    page,
    errors,
    posted: () => page.evaluate('window.__posted') as Promise<ToServer<Api>[]>,
    waitForCall: async (method, since = 0) => (await waitForPosted('call', method, since)) as never,
    reply: (call, result) => post({ kind: 'reply', seq: call.seq, ok: result }),
    replyError: (call, message) => post({ kind: 'reply', seq: call.seq, error: { name: 'UserFacingError', message } }),
    send: (event) => post({ kind: 'event', event }),
    state: () => page.evaluate('window.__getState()'),
    cspViolations: () => page.evaluate('window.__violations') as Promise<string[]>,
  };
  await waitForPosted('notify', 'ready' as MethodOf<Api>, 0);
  return rpcPage;
}

/** Number of messages posted so far (to wait for the next one). */
export async function postedCount(webview: { posted(): Promise<readonly unknown[]> }): Promise<number> {
  return (await webview.posted()).length;
}

/** A posted message as method and arguments, for comparing sequences of calls. */
export function callOf(message: ToHost): { method: string; args: unknown[] } {
  return { method: message.method, args: message.args as unknown[] };
}

/** The target and options of a re-walk call; fails on any other call. */
export function rewalkOf(message: ToHost | undefined): { target: ArgsOf<WebviewApi, 'walk'>[0]; options: ArgsOf<WebviewApi, 'walk'>[1] } {
  if (message?.method !== 'walk') throw new Error(`expected a walk call, got ${JSON.stringify(message)}`);
  const [target, options] = message.args as ArgsOf<WebviewApi, 'walk'>;
  return { target, options };
}
