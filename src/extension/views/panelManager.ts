/**
 * The retainer graph panels: each query opens its own tab, as each file
 * opens its own editor, so two instances can be compared side by side (drag
 * a tab to split); navigation inside one graph ("Walk from here", "Show what
 * it holds") keeps a back/forward history in its panel. Restored after a reload.
 */
import * as vscode from 'vscode';
import type { Walk } from '../../protocol/walk';
import { Disposable } from '../disposable';
import type { KeptSnapshot } from '../snapshots/snapshotStore';
import type { WalkExporters } from './exporters';
import type { ObjectWatcher } from './graphViewApi';
import { RESTORED_NOTICE, RetainerGraphView } from './retainerGraphView';

export const PANEL_VIEW_TYPE = 'retainerGraph.panel';

/** A graph panel waiting for its walk (PanelManager.open). */
export interface PendingGraph {
  show(walk: Walk, title: string, snapshot: KeptSnapshot): void;
  close(): void;
}

export class PanelManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly views = new Map<string, RetainerGraphView>();
  private queries = 0;
  /** The walk most recently drawn in any view, and that view (for the test API). */
  lastWalk: { walk: Walk; title: string } | undefined;
  lastView: RetainerGraphView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly exporters: WalkExporters,
    private readonly watcher?: ObjectWatcher,
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this));
    this._register({ dispose: () => this.views.forEach((view) => view.dispose()) });
  }

  /** Shows `walk` in a new panel beside the editor (next to the other graphs once there are some). */
  show(walk: Walk, title: string, snapshot: KeptSnapshot | undefined): RetainerGraphView {
    const view = this.newView(title, snapshot);
    view.show(walk, title, snapshot);
    return view;
  }

  /**
   * A new panel before its walk exists: it says `waiting` (a live snapshot
   * takes seconds to minutes) while its page loads, so once the walk comes
   * only the drawing is left. `close` when the question fails instead.
   */
  open(title: string, waiting: string): PendingGraph {
    const view = this.newView(title, undefined);
    view.notify({ type: 'busy', message: waiting });
    return { show: (walk, shownTitle, snapshot) => view.show(walk, shownTitle, snapshot), close: () => view.panel.dispose() };
  }

  private newView(title: string, snapshot: KeptSnapshot | undefined): RetainerGraphView {
    const latest = [...this.views].reverse().find(([key, view]) => key.startsWith('query:') && !view.isDisposed)?.[1];
    // A graph opened Beside reports its column only once the window has placed it. Until then it is the
    // active editor there (the window opens panels in call order, focused), so Active joins its group.
    const column = latest === undefined ? vscode.ViewColumn.Beside : (latest.panel.viewColumn ?? vscode.ViewColumn.Active);
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, column, { retainContextWhenHidden: true, enableFindWidget: true });
    return this.adopt(panel, snapshot, title, `query:${++this.queries}`);
  }

  /** Wraps an existing webview panel (custom editor, restored panel). */
  adopt(panel: vscode.WebviewPanel, snapshot: KeptSnapshot | undefined, title: string, key: string): RetainerGraphView {
    const view: RetainerGraphView = new RetainerGraphView(panel, this.extensionUri, this.exporters, snapshot, title, (walk, shownTitle) => {
      this.lastWalk = { walk, title: shownTitle };
      this.lastView = view;
    }, this.watcher);
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
