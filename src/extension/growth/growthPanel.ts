/**
 * One Growth view: a webview panel with the same page rules as the retainer
 * graph view (renderWebviewHtml: strict CSP, a nonce, resources only from
 * dist/ and media/, heap strings as text), its calls answered by
 * GrowthViewHost over rpc.ts, and its model's changes sent as events. The
 * page is `WEBVIEW_PAGES.growth`.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { MergedPaths } from '../../protocol/growth';
import type { MemorySeries } from '../../protocol/memoryChart';
import type { GrowthSource, GrowthViewApi, GrowthViewEvent, PathsScope, ToGrowthHost, ToGrowthView } from '../../protocol/growthView';
import type { GrowthReport } from '../../protocol/growth';
import { isToServer, serveRpc } from '../../protocol/rpc';
import { renderWebviewHtml, WEBVIEW_PAGES } from '../../protocol/webviewHtml';
import { Disposable } from '../disposable';
import { inUserWords, UserFacingError } from '../errors';
import type { KeptSnapshot } from '../snapshots/snapshotStore';
import type { GrowthChange, GrowthModel } from './growthModel';

/** The panel's view type: tests and the e2e suite find Growth views by it (and by their title, `Growth — …`). */
export const GROWTH_VIEW_TYPE = 'retainerGraph.growth';

/** Opens the single-object retainer graph of one object of a snapshot. */
export type ShowObject = (snapshot: KeptSnapshot, id: number) => Promise<unknown>;

/** Open one class's merged paths at once. */
export interface GrowthFocus {
  className: string;
  scope: PathsScope;
}

/** What the view shows now: what `init` carries. */
export interface GrowthViewState {
  title: string;
  source: GrowthSource;
  report: GrowthReport | null;
  focus: GrowthFocus | undefined;
  /** The memory chart shown above the suspects (a live recording's). */
  memory: MemorySeries | null;
}

export class GrowthPanel extends Disposable {
  private ready = false;
  /** The last busy or error message, for a page that starts listening after it was sent. */
  private notice: Extract<GrowthViewEvent, { type: 'busy' | 'error' }> | undefined;
  /** Events posted to the page, oldest first (the test API reads them). */
  readonly posted: GrowthViewEvent[] = [];
  /** The host's side of the page's calls (the test API calls it as the page would). */
  readonly api: GrowthViewApi;
  private readonly disposedEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    readonly model: GrowthModel,
    private readonly focus: GrowthFocus | undefined,
    showObject: ShowObject,
  ) {
    super();
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.api = new GrowthViewHost(this, model, showObject);
    const serve = serveRpc<GrowthViewApi, GrowthViewEvent>(this.api, (message) => this.postMessage(message));
    this._register(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isToServer(message)) void serve(message as ToGrowthHost);
      }),
    );
    this._register(model.onDidChange((change) => this.changed(change)));
    this._register(
      panel.onDidDispose(() => {
        this.disposedEmitter.fire();
        this.dispose();
      }),
    );
  }

  state(): GrowthViewState {
    return { title: this.model.title, source: this.model.source, report: this.model.report, focus: this.focus, memory: this.model.memory ?? null };
  }

  webviewReady(): void {
    this.ready = true;
    const { title, source, report, focus, memory } = this.state();
    this.post({ type: 'init', title, source, report, ...(focus ? { focus } : {}), ...(memory ? { memory } : {}) });
    if (this.notice) this.post(this.notice);
  }

  private changed(change: GrowthChange): void {
    if (change.type === 'memory') {
      // Every second: not kept in `posted`, which keeps the view's other events for tests.
      if (this.ready) this.postMessage({ kind: 'event', event: change });
      return;
    }
    if (change.type === 'busy' || change.type === 'error') this.notice = change;
    else this.notice = undefined;
    if (this.ready) this.post(change);
  }

  private post(event: GrowthViewEvent): void {
    this.posted.push(event);
    if (this.posted.length > 100) this.posted.shift();
    this.postMessage({ kind: 'event', event });
  }

  private postMessage(message: ToGrowthView): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    return renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.growth.script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.growth.style)).toString(),
      nonce: randomBytes(18).toString('base64'),
      title: this.model.title,
    });
  }
}

/** The host's side of the Growth view's calls; failures come back in the user's words. */
class GrowthViewHost implements GrowthViewApi {
  constructor(
    private readonly view: GrowthPanel,
    private readonly model: GrowthModel,
    private readonly showObjectOf: ShowObject,
  ) {}

  ready(): void {
    this.view.webviewReady();
  }

  mergedPaths(className: string, scope: PathsScope, options: { byAllocationSite?: boolean } = {}): Promise<MergedPaths> {
    return inUserWords(() => this.model.latest().engine.mergedPaths(className, scope, options));
  }

  pin(className: string, pinned: boolean): Promise<void> {
    return inUserWords(async () => {
      if (!this.model.pin || !this.model.source.recording) throw new UserFacingError('Classes can be pinned while a live process is being recorded.');
      await this.model.pin(className, pinned);
    });
  }

  watchGroup(className: string, scope: PathsScope, groupIndex: number, label: string, options: { byAllocationSite?: boolean } = {}): Promise<{ alive: number; collected: number }> {
    return inUserWords(async () => {
      if (!this.model.watch || !this.model.source.recording) throw new UserFacingError('Objects can be watched while the recording of a live process runs (its inspector session keeps their ids).');
      const ids = await this.model.latest().engine.mergedPathIds(className, scope, groupIndex, options);
      return this.model.watch(ids, label);
    });
  }

  showObject(id: number): Promise<void> {
    return inUserWords(async () => {
      await this.showObjectOf(this.model.latest(), id);
    });
  }

  takeNext(): Promise<void> {
    return inUserWords(() => this.model.takeNext());
  }

  stop(): Promise<void> {
    return inUserWords(() => this.model.stop());
  }

  save(): Promise<void> {
    return inUserWords(() => this.model.save());
  }
}
