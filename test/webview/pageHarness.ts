/**
 * Serves the webview exactly as the host builds it (renderWebviewHtml + the
 * dist bundle) from a local http server, and stubs `acquireVsCodeApi()` — the
 * VS Code webview API boundary — with an in-page recorder.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, cpSync, mkdirSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/protocol/webviewHtml';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webview';
import type { Walk } from '../../src/protocol/walk';
import { THEMES, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** Builds only the webview bundle, with the options scripts/build.mjs uses, so these tests do not depend on the other bundles compiling. */
export async function buildWebview(): Promise<void> {
  mkdirSync(DIST, { recursive: true });
  cpSync(join(ROOT, 'webview', 'styles.css'), join(DIST, 'webview.css'));
  await esbuild.build({
    entryPoints: [join(ROOT, 'webview', 'main.ts')],
    outfile: join(DIST, 'webview.js'),
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    target: 'es2022',
    platform: 'browser',
    format: 'iife',
  });
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
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
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
  await page.addInitScript(
    ({ state, vars, bodyClass }) => {
      const w = window as unknown as Record<string, unknown>;
      const posted: unknown[] = [];
      const violations: string[] = [];
      let saved = state;
      let acquired = false;
      w.__posted = posted;
      w.__violations = violations;
      w.__getState = () => saved;
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      w.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi may only be called once');
        acquired = true;
        return {
          postMessage: (message: unknown) => posted.push(JSON.parse(JSON.stringify(message))),
          getState: () => saved,
          setState: (next: unknown) => {
            saved = JSON.parse(JSON.stringify(next));
          },
        };
      };
      // VS Code puts the theme's colours on <html> and the theme kind on <body>.
      const applyTheme = () => {
        for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
      };
      if (document.documentElement) applyTheme();
      else {
        const observer = new MutationObserver(() => {
          if (!document.documentElement) return;
          observer.disconnect();
          applyTheme();
        });
        observer.observe(document, { childList: true });
      }
      document.addEventListener('DOMContentLoaded', () => document.body.classList.add(bodyClass));
    },
    { state: options.state, vars: theme.vars, bodyClass: theme.bodyClass },
  );
  const url = options.title ? `${server.origin}/?title=${encodeURIComponent(options.title)}` : `${server.origin}/`;
  await page.goto(url);
  const webview: WebviewPage = {
    page,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    waitForPosted: async (type, since = 0) => {
      const handle = await page.waitForFunction(
        ({ type, since }) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(since).find((m) => m.type === type),
        { type, since },
      );
      return (await handle.jsonValue()) as never;
    },
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>),
    state: () => page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState()),
    cspViolations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  };
  await webview.waitForPosted('ready');
  if (init) {
    await webview.send({ type: 'init', walk: init, title: options.title ?? 'Retainers of ResourceLoader @5001', settings: { hideDebugger: true, showInternals: false } });
    await page.waitForSelector('g.node');
  }
  return webview;
}

/** Number of messages posted so far (to wait for the next one). */
export async function postedCount(webview: WebviewPage): Promise<number> {
  return (await webview.posted()).length;
}
