/**
 * The retainer graph panel: hosts brief D's webview (strict CSP, nonce,
 * resources only from dist/ and media/), answers its messages against the
 * snapshot the walk came from, and survives reloads (the webview keeps its
 * walk with setState; a restored panel shows it and says re-walking needs a
 * new snapshot).
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { renderWebviewHtml } from '../protocol/webviewHtml';
import type { HostToWebview, ViewSettings, WebviewToHost } from '../protocol/webview';
import type { Walk, WalkOptions } from '../protocol/walk';
import { Disposable } from './disposable';
import { readConfig, writeConfig } from './contributions';
import { describeError } from './messages';
import type { KeptSnapshot } from './snapshots';

export const PANEL_VIEW_TYPE = 'retainerGraph.panel';

const RESTORED_NOTICE = 'This graph was restored without its heap snapshot; to re-walk it, take a new snapshot (run a Retainer Graph command again).';

/** Text exports done on the host side (the webview serializes SVG itself). */
export interface WalkExporters {
  dot(walk: Walk): string;
  json(walk: Walk): string;
}

/** Something that can show a walk in a webview: a panel or a custom editor. */
export class RetainerGraphView extends Disposable {
  private walk: Walk | undefined;
  private title: string;
  private ready = false;
  private initialized = false;
  private pending: HostToWebview[] = [];
  private readonly disposedEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly exporters: WalkExporters,
    /** Where re-walks go; undefined after a reload or when the snapshot was released. */
    private snapshot: KeptSnapshot | undefined,
    title: string,
    private readonly onWalkShown: (walk: Walk, title: string) => void = () => undefined,
  ) {
    super();
    this.title = title;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this._register(panel.webview.onDidReceiveMessage((message: WebviewToHost) => void this.receive(message)));
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
    else this.post({ type: 'walk', walk });
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
        const sized = await snapshot.engine.walk(walk.target, walk.options);
        if (!stillShown()) return;
        this.walk = sized;
        this.onWalkShown(sized, this.title);
        if (this.initialized) this.sendInit();
      })
      .catch(() => undefined); // sizes are a bonus: the graph without them stays correct
  }

  /** A message in the view (while nothing is drawn yet, or on failure). */
  notify(message: HostToWebview): void {
    this.post(message);
  }

  private post(message: HostToWebview): void {
    if (!this.ready) {
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    if (!this.walk) return;
    this.initialized = true;
    void this.panel.webview.postMessage({ type: 'init', walk: this.walk, title: this.title, settings: currentSettings() } satisfies HostToWebview);
  }

  private async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.initialized = false;
        this.sendInit();
        for (const queued of this.pending.splice(0)) void this.panel.webview.postMessage(queued);
        return;
      case 'rewalk':
        return this.rewalk(message.target, message.options);
      case 'details':
        return this.details(message.id);
      case 'revealSource':
        return this.revealSource(message.id);
      case 'export':
        return this.export(message.format, message.svg);
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Retainer Graph: copied to the clipboard', 3000);
        return;
      case 'settingsChanged':
        await writeConfig('hideDebuggerRetainers', message.settings.hideDebugger);
        return;
      default: {
        const unknown: never = message;
        console.warn('Retainer Graph: unknown webview message', unknown);
      }
    }
  }

  private liveSnapshot(): KeptSnapshot | undefined {
    if (this.snapshot?.engine.isStopped) this.snapshot = undefined;
    if (!this.snapshot) {
      this.post({ type: 'error', message: RESTORED_NOTICE });
    }
    return this.snapshot;
  }

  private async rewalk(target: number, options: WalkOptions): Promise<void> {
    const snapshot = this.liveSnapshot();
    if (!snapshot) return;
    this.post({ type: 'busy', message: 'Walking the retainers…' });
    try {
      // Toolbar depth/fan-out apply to this graph only; the settings stay the user's defaults.
      const walk = await snapshot.engine.walk(target, options);
      this.walk = walk;
      this.onWalkShown(walk, this.title);
      this.fillRetainedSizes(walk);
      this.post({ type: 'walk', walk });
    } catch (error) {
      this.post({ type: 'error', message: describeError(error) });
    }
  }

  private async details(id: number): Promise<void> {
    const snapshot = this.liveSnapshot();
    if (!snapshot) return;
    try {
      this.post({ type: 'details', details: await snapshot.engine.details(id) });
    } catch (error) {
      this.post({ type: 'error', message: describeError(error) });
    }
  }

  private async revealSource(id: number): Promise<void> {
    const node = this.walk?.nodes.find((candidate) => candidate.id === id);
    const location = node?.location;
    const uri = location?.url ? sourceUri(location.url) : undefined;
    if (!location || !uri) {
      this.post({ type: 'error', message: 'The snapshot does not say which file this function comes from.' });
      return;
    }
    try {
      const position = new vscode.Position(location.line, location.column);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
    } catch {
      this.post({ type: 'error', message: `Cannot open ${uri.fsPath || uri.toString()}; is the file in this workspace?` });
    }
  }

  private async export(format: 'dot' | 'json' | 'svg', svg: string | undefined): Promise<void> {
    const walk = this.walk;
    if (!walk) return;
    const text = format === 'svg' ? svg : format === 'dot' ? this.exporters.dot(walk) : this.exporters.json(walk);
    if (text === undefined) return;
    const filters: Record<string, Record<string, string[]>> = { dot: { Graphviz: ['dot', 'gv'] }, json: { JSON: ['json'] }, svg: { SVG: ['svg'] } };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultName = `retainers-${walk.target}.${format}`;
    const uri = await vscode.window.showSaveDialog({
      filters: filters[format],
      defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
      saveLabel: `Export ${format.toUpperCase()}`,
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    void vscode.window.setStatusBarMessage(`Retainer Graph: saved ${vscode.workspace.asRelativePath(uri)}`, 5000);
  }

  private html(): string {
    const webview = this.panel.webview;
    return renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.css')).toString(),
      nonce: randomBytes(18).toString('base64'),
      title: this.title,
    });
  }
}

export function currentSettings(): ViewSettings {
  return { hideDebugger: readConfig('hideDebuggerRetainers'), showInternals: false };
}

/** A file path or file:// URL from the heap's script names; anything else (node:internal, http) is not openable. */
export function sourceUri(url: string): vscode.Uri | undefined {
  if (url.startsWith('file://')) {
    try {
      return vscode.Uri.file(fileURLToPath(url));
    } catch {
      return undefined;
    }
  }
  if (url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url)) return vscode.Uri.file(url);
  return undefined;
}

/** Keeps panels (one per snapshot target), restores them after a reload. */
export class PanelManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly views = new Map<string, RetainerGraphView>();
  lastWalk: { walk: Walk; title: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly exporters: WalkExporters,
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this));
    this._register({ dispose: () => this.views.forEach((view) => view.dispose()) });
  }

  /** Shows `walk` in the panel of its snapshot's target, creating the panel if needed. */
  show(walk: Walk, title: string, snapshot: KeptSnapshot | undefined): RetainerGraphView {
    const key = snapshot?.key ?? `walk:${walk.target}`;
    let view = this.views.get(key);
    if (!view || view.isDisposed) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, vscode.ViewColumn.Beside, { retainContextWhenHidden: true, enableFindWidget: true });
      view = this.adopt(panel, snapshot, title, key);
    } else {
      view.panel.reveal(undefined, false);
    }
    view.show(walk, title, snapshot);
    return view;
  }

  /** Wraps an existing webview panel (custom editor, restored panel). */
  adopt(panel: vscode.WebviewPanel, snapshot: KeptSnapshot | undefined, title: string, key: string): RetainerGraphView {
    const view = new RetainerGraphView(panel, this.extensionUri, this.exporters, snapshot, title, (walk, shownTitle) => {
      this.lastWalk = { walk, title: shownTitle };
    });
    this.views.set(key, view);
    view.onDidDispose(() => {
      if (this.views.get(key) === view) this.views.delete(key);
    });
    return view;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (state ?? {}) as { walk?: Walk; title?: string };
    const title = typeof saved.title === 'string' ? saved.title : 'Retainer Graph';
    const view = this.adopt(panel, undefined, title, `restored:${Date.now()}:${Math.random()}`);
    if (saved.walk && Array.isArray(saved.walk.nodes)) {
      view.show(saved.walk, title, undefined);
      view.notify({ type: 'error', message: RESTORED_NOTICE });
    }
  }
}
