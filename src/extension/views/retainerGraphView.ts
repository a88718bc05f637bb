/**
 * One retainer graph webview (a panel or a custom editor): the page with a
 * strict CSP and nonce, resources only from dist/ and media/, its calls
 * answered by GraphViewApi over rpc.ts, and the walk it shows. It survives
 * reloads: the webview keeps its walk with setState, and a restored view
 * shows it and says re-walking needs a new snapshot.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { isToServer, serveRpc } from '../../protocol/rpc';
import type { ToHost, ToWebview, ViewSettings, WebviewApi, WebviewEvent } from '../../protocol/webview';
import { renderWebviewHtml, WEBVIEW_PAGES } from '../../protocol/webviewHtml';
import type { Walk } from '../../protocol/walk';
import { readConfig } from '../config';
import { Disposable } from '../disposable';
import { UserFacingError } from '../errors';
import type { KeptSnapshot } from '../snapshots/snapshotStore';
import type { WalkExporters } from './exporters';
import { GraphViewApi, type GraphViewState, type ObjectWatcher } from './graphViewApi';

export const RESTORED_NOTICE = 'This graph was restored without its heap snapshot; to re-walk it, take a new snapshot (run a Retainer Graph command again).';
export const RELEASED_NOTICE = 'The heap snapshot behind this graph was released (a newer snapshot of the same process replaced it, or the process ended); run a Retainer Graph command again to walk a new one.';

export class RetainerGraphView extends Disposable implements GraphViewState {
  private walk: Walk | undefined;
  private title: string;
  private ready = false;
  private initialized = false;
  /** Events for a page that is not listening yet. */
  private pending: WebviewEvent[] = [];
  private readonly disposedEmitter = this._register(new vscode.EventEmitter<void>());
  /** What the webview's calls reach (the test API drives it as the webview does). */
  readonly api: WebviewApi;
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    exporters: WalkExporters,
    /** Where re-walks go; undefined after a reload or when the snapshot was released. */
    private snapshot: KeptSnapshot | undefined,
    title: string,
    private readonly onWalkShown: (walk: Walk, title: string) => void = () => undefined,
    private readonly watcher?: ObjectWatcher,
  ) {
    super();
    this.title = title;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.api = new GraphViewApi(this, exporters, watcher);
    const serve = serveRpc<WebviewApi, WebviewEvent>(this.api, (message) => this.postMessage(message));
    this._register(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isToServer(message)) void serve(message as ToHost);
      }),
    );
    this._register(
      panel.onDidDispose(() => {
        this.disposedEmitter.fire();
        this.dispose();
      }),
    );
  }

  get currentWalk(): Walk | undefined {
    return this.walk;
  }

  get source(): KeptSnapshot | undefined {
    return this.snapshot;
  }

  /** Shows a new walk (of `snapshot`, or of the same snapshot as before). */
  show(walk: Walk, title: string, snapshot: KeptSnapshot | undefined = this.snapshot): void {
    this.walk = walk;
    this.title = title;
    this.snapshot = snapshot;
    this.panel.title = title;
    this.onWalkShown(walk, title);
    this.fillRetainedSizes(walk);
    if (!this.ready) return; // `ready` sends init
    if (!this.initialized) this.sendInit();
    else this.post({ type: 'walk', walk, title });
  }

  /** A message in the view (while nothing is drawn yet, or on failure). */
  notify(event: Extract<WebviewEvent, { type: 'busy' | 'error' }>): void {
    this.post(event);
  }

  webviewReady(): void {
    this.ready = true;
    this.initialized = false;
    this.sendInit();
    for (const queued of this.pending.splice(0)) this.postMessage({ kind: 'event', event: queued });
  }

  liveSnapshot(): KeptSnapshot {
    if (this.snapshot?.engine.isStopped) throw new UserFacingError(RELEASED_NOTICE);
    if (!this.snapshot) throw new UserFacingError(RESTORED_NOTICE);
    return this.snapshot;
  }

  walkShown(walk: Walk, title: string): void {
    this.walk = walk;
    this.title = title;
    this.panel.title = title;
    this.onWalkShown(walk, title);
    this.fillRetainedSizes(walk);
  }

  /**
   * The worker computes retained sizes in the background after the first
   * walk; when they are ready, the same walk is fetched again and re-sent as
   * `init`, which the webview treats as "same walk, keep the user's view".
   */
  private fillRetainedSizes(walk: Walk): void {
    const snapshot = this.snapshot;
    if (!snapshot || walk.nodes.every((n) => n.retainedSize !== null)) return;
    const stillShown = (): boolean => this.walk === walk && this.snapshot === snapshot && !snapshot.engine.isStopped;
    void snapshot.engine
      .computeRetainedSizes()
      .then(async () => {
        if (!stillShown()) return;
        const sized = await snapshot.engine.walkLike(walk.direction, walk.target, walk.options);
        if (!stillShown()) return;
        this.walk = sized;
        this.onWalkShown(sized, this.title);
        if (this.initialized) this.sendInit();
      })
      .catch(() => undefined); // sizes are a bonus: the graph without them stays correct
  }

  private post(event: WebviewEvent): void {
    if (!this.ready) {
      this.pending.push(event);
      return;
    }
    this.postMessage({ kind: 'event', event });
  }

  private sendInit(): void {
    if (!this.walk) return;
    this.initialized = true;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    this.postMessage({ kind: 'event', event: { type: 'init', walk: this.walk, title: this.title, settings: currentSettings(), folders, live: this.snapshot !== undefined && this.watcher?.canWatch(this.snapshot) === true } });
  }

  private postMessage(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    return renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.graph.script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', WEBVIEW_PAGES.graph.style)).toString(),
      nonce: randomBytes(18).toString('base64'),
      title: this.title,
    });
  }
}

function currentSettings(): ViewSettings {
  return { hideDebugger: readConfig('hideDebuggerRetainers'), showInternals: false };
}
