/**
 * The Memory view: a webview view in Run and Debug, under the Variables and
 * Call Stack views, so the chart sits beside the debugger without taking an
 * editor column (a panel would cover the code being stepped through). It
 * shows one target's chart, the one "Show Memory Chart" was last run on,
 * until its target ends or the user stops it (the view's title button).
 * Same page rules as every webview: strict CSP, a nonce, text only.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { MemorySeries, MemoryViewApi, MemoryViewEvent } from '../../protocol/memoryChart';
import { isToServer, serveRpc, type ToClient, type ToServer } from '../../protocol/rpc';
import { renderWebviewHtml, WEBVIEW_PAGES } from '../../protocol/webviewHtml';
import { Disposable } from '../disposable';
import type { LiveTarget } from '../snapshots/capture';
import type { LiveMonitors, MonitorUse } from './liveMonitors';

export const MEMORY_VIEW_ID = 'retainerGraph.memory';
const IDLE_HINT = 'Run "Retainer Graph: Show Memory Chart" while debugging or attached: the heap of that process over time, every snapshot marked.';

export class MemoryView extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private use: MonitorUse | undefined;
  private listener: vscode.Disposable | undefined;
  /** The series last shown, kept after its chart stopped. */
  private shown: MemorySeries | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly monitors: LiveMonitors,
  ) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(MEMORY_VIEW_ID, this, { webviewOptions: { retainContextWhenHidden: true } }));
    this._register({ dispose: () => this.stop() });
  }

  /** The series the view shows now (the test API reads it). */
  get series(): MemorySeries | null {
    return this.use?.monitor.toJSON() ?? this.shown;
  }

  /** Shows `target`'s chart (starting it if needed) and brings the view forward. */
  async show(target: LiveTarget): Promise<MemorySeries> {
    if (this.use?.monitor.target.key !== target.key || !this.use.monitor.running) {
      const use = await this.monitors.use(target);
      this.stop();
      this.use = use;
      this.listener = use.monitor.onDidChange(() => this.post());
    }
    await vscode.commands.executeCommand(`${MEMORY_VIEW_ID}.focus`);
    this.post();
    return this.use.monitor.toJSON();
  }

  /** Stops showing the running chart (it stops unless a recording uses it too); the last series stays on screen. */
  stop(): void {
    if (!this.use) return;
    this.shown = this.use.monitor.toJSON();
    this.listener?.dispose();
    this.listener = undefined;
    this.use.release();
    this.use = undefined;
    if (this.shown.state !== 'stopped') this.shown = { ...this.shown, state: 'stopped', message: 'The chart was stopped.' };
    this.post();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.memory.script)).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.memory.style)).toString(),
      nonce: randomBytes(18).toString('base64'),
      title: 'Memory',
    });
    const api: MemoryViewApi = {
      ready: () => {
        this.ready = true;
        this.post();
      },
    };
    const serve = serveRpc<MemoryViewApi, MemoryViewEvent>(api, (message) => void view.webview.postMessage(message as ToClient<MemoryViewEvent>));
    const received = view.webview.onDidReceiveMessage((message: unknown) => {
      if (isToServer(message)) void serve(message as ToServer<MemoryViewApi>);
    });
    view.onDidDispose(() => {
      received.dispose();
      if (this.view === view) this.view = undefined;
      // Nobody sees it any more: let go of the target.
      this.stop();
    });
  }

  private post(): void {
    if (!this.view || !this.ready) return;
    const series = this.series;
    const event: MemoryViewEvent = { type: 'series', series, ...(series ? {} : { hint: IDLE_HINT }) };
    void this.view.webview.postMessage({ kind: 'event', event } satisfies ToClient<MemoryViewEvent>);
  }
}
