/**
 * The Watches view in Run and Debug: each watch, how many of its objects are
 * still alive, and each object (collected or still alive, with "Show
 * Retainers" on the live ones). A tree view rather than a webview: native
 * rows, keyboard and context menus, and heap strings stay plain labels.
 */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { Disposable } from '../disposable';
import type { WatchedObject, Watches, WatchStatus } from './watches';

export const WATCHES_VIEW_ID = 'retainerGraph.watches';

/** A row: a watch, or one object of it. What the row's commands receive. */
export type WatchRow = { kind: 'watch'; watchId: number } | { kind: 'object'; watchId: number; id: number };

export class WatchesTree extends Disposable implements vscode.TreeDataProvider<WatchRow> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  /** One row object per watch and per object: VS Code finds a row to reveal by identity. */
  private readonly rows = new Map<string, WatchRow>();

  constructor(private readonly watches: Watches) {
    super();
    this._register(
      watches.onDidChange(() => {
        const live = new Set(watches.all.map((watch) => watch.watchId));
        for (const [key, row] of this.rows) if (!live.has(row.watchId)) this.rows.delete(key);
        this.changed.fire();
      }),
    );
    const view = this._register(vscode.window.createTreeView(WATCHES_VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    // A new watch comes into sight (Run and Debug, its view expanded) without taking focus from the graph it came from.
    this._register(watches.onDidAdd(({ watchId }) => void view.reveal(this.row(watchId), { select: false, focus: false }).then(undefined, () => undefined)));
  }

  getParent(row: WatchRow): WatchRow | undefined {
    return row.kind === 'object' ? this.row(row.watchId) : undefined;
  }

  private row(watchId: number, id?: number): WatchRow {
    const key = id === undefined ? `${watchId}` : `${watchId}:${id}`;
    let row = this.rows.get(key);
    if (!row) {
      row = id === undefined ? { kind: 'watch', watchId } : { kind: 'object', watchId, id };
      this.rows.set(key, row);
    }
    return row;
  }

  getChildren(row?: WatchRow): WatchRow[] {
    if (!row) return this.watches.all.map((watch) => this.row(watch.watchId));
    if (row.kind !== 'watch') return [];
    const watch = this.watches.all.find((candidate) => candidate.watchId === row.watchId);
    return watch && watch.objects.length > 1 ? watch.objects.map((object) => this.row(row.watchId, object.id)) : [];
  }

  getTreeItem(row: WatchRow): vscode.TreeItem {
    const watch = this.watches.all.find((candidate) => candidate.watchId === row.watchId);
    if (!watch) return new vscode.TreeItem('(removed)');
    const status = watch.status();
    if (row.kind === 'watch') {
      const single = status.objects.length === 1 ? status.objects[0] : undefined;
      const item = new vscode.TreeItem(status.label, status.objects.length > 1 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = summary(status);
      item.tooltip = tooltip(status);
      item.iconPath = new vscode.ThemeIcon(status.ended ? 'debug-disconnect' : status.alive === 0 && status.collected > 0 ? 'pass' : status.alive > 0 ? 'eye' : 'watch');
      item.contextValue = status.ended ? 'retainerGraph.watchEnded' : single?.state === 'alive' ? 'retainerGraph.watchAlive' : 'retainerGraph.watch';
      item.command = { command: Commands.CheckWatch, title: 'Check Now', arguments: [row] };
      return item;
    }
    const object = status.objects.find((candidate) => candidate.id === row.id);
    const item = new vscode.TreeItem(`@${row.id}${object?.className ? ` ${object.className}` : ''}`);
    item.description = object ? stateText(object) : '';
    item.iconPath = new vscode.ThemeIcon(object?.state === 'collected' ? 'pass' : object?.state === 'alive' ? 'circle-filled' : 'circle-outline');
    item.contextValue = object?.state === 'alive' && !status.ended ? 'retainerGraph.watchedAlive' : 'retainerGraph.watched';
    return item;
  }
}

function stateText(object: WatchedObject): string {
  return object.state === 'alive' ? 'still alive' : object.state === 'collected' ? 'collected' : 'not checked';
}

/** `collected`, `still alive`, `3 of 14 still alive`. */
export function summary(status: WatchStatus): string {
  if (status.ended) return 'ended';
  if (status.objects.length === 1) return stateText(status.objects[0]);
  if (status.alive === 0 && status.collected === status.objects.length) return `all ${status.objects.length} collected`;
  return `${status.alive} of ${status.objects.length} still alive`;
}

function tooltip(status: WatchStatus): string {
  const lines = [`${status.label} in ${status.target}`, summary(status)];
  if (status.lastCheck) lines.push(`Checked ${status.checks} time${status.checks === 1 ? '' : 's'}, last at ${new Date(status.lastCheck).toLocaleTimeString()}`);
  if (status.note) lines.push(status.note);
  if (status.ended) lines.push(status.ended);
  lines.push('Snapshot ids live only while the inspector session that assigned them is open: this watch holds it open; a restart ends the watch.');
  return lines.join('\n');
}
