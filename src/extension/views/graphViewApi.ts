/**
 * The host's side of the webview contract (WebviewApi): re-walks and details
 * against the snapshot the shown walk came from, revealing sources, exports,
 * the clipboard and settings. Every failure is rethrown in the user's words
 * (errors.ts), which the webview shows as text.
 */
import * as vscode from 'vscode';
import { fileURLToPath } from 'node:url';
import type { AllocationFrame } from '../../protocol/allocations';
import type { NodeDetails, Walk, WalkOptions } from '../../protocol/walk';
import type { ExportFormat, ViewSettings, WebviewApi } from '../../protocol/webview';
import { writeConfig } from '../config';
import { inUserWords, UserFacingError } from '../errors';
import type { KeptSnapshot } from '../snapshots/snapshotStore';
import type { WalkExporters } from './exporters';

/** What the calls need from the view they serve. */
export interface GraphViewState {
  readonly currentWalk: Walk | undefined;
  /** The snapshot re-walks go to; throws (in the user's words) when it is gone. */
  liveSnapshot(): KeptSnapshot;
  /** The webview shows this walk now, under this title. */
  walkShown(walk: Walk, title: string): void;
  /** The webview's script runs and listens. */
  webviewReady(): void;
}

/** Watch Until Collected for graphs of live processes (Watches, src/extension/live/watches.ts). */
export interface ObjectWatcher {
  /** Can objects of this snapshot be watched (a live process, its ids still meaningful)? */
  canWatch(snapshot: KeptSnapshot): boolean;
  /** Watches `ids` of `snapshot`'s process; resolves with the first check's answer per id. */
  watch(snapshot: KeptSnapshot, ids: number[], label: string): Promise<{ alive: number; collected: number }>;
}

const EXPORT_FILTERS: Record<ExportFormat, Record<string, string[]>> = { dot: { Graphviz: ['dot', 'gv'] }, json: { JSON: ['json'] }, svg: { SVG: ['svg'] } };

export class GraphViewApi implements WebviewApi {
  constructor(
    private readonly view: GraphViewState,
    private readonly exporters: WalkExporters,
    private readonly watcher: ObjectWatcher | undefined,
  ) {}

  ready(): void {
    this.view.webviewReady();
  }

  walk(target: number, options: WalkOptions): Promise<Walk> {
    // Toolbar depth/fan-out apply to this graph only; the settings stay the user's defaults.
    return inUserWords(() => this.view.liveSnapshot().engine.walk(target, options));
  }

  references(target: number, options: WalkOptions): Promise<Walk> {
    return inUserWords(() => this.view.liveSnapshot().engine.references(target, options));
  }

  showing(walk: Walk, title: string): void {
    this.view.walkShown(walk, title);
  }

  details(id: number): Promise<NodeDetails> {
    return inUserWords(() => this.view.liveSnapshot().engine.details(id));
  }

  revealSource(id: number): Promise<void> {
    return inUserWords(async () => {
      const node = this.view.currentWalk?.nodes.find((candidate) => candidate.id === id);
      const location = node?.location;
      const uri = location?.url ? sourceUri(location.url) : undefined;
      // The view offers "Reveal source" only where a file is known; this is for a stale click.
      if (!location || !uri) throw new UserFacingError('The snapshot does not say which file this object comes from.');
      try {
        const position = new vscode.Position(location.line, location.column);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
      } catch {
        throw new UserFacingError(`Cannot open ${uri.fsPath || uri.toString()}; is the file in this workspace?`);
      }
    });
  }

  revealFrame(frame: AllocationFrame): Promise<void> {
    return inUserWords(async () => {
      const uri = frame.scriptName ? sourceUri(frame.scriptName) : undefined;
      if (!uri) throw new UserFacingError(`${frame.file || frame.functionName || 'This frame'} is not a file on disk.`);
      try {
        const position = new vscode.Position(frame.line ?? 0, frame.column ?? 0);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
      } catch {
        throw new UserFacingError(`Cannot open ${uri.fsPath || uri.toString()}; is the file in this workspace?`);
      }
    });
  }

  watchObject(id: number, label: string): Promise<'alive' | 'collected'> {
    return inUserWords(async () => {
      const snapshot = this.view.liveSnapshot();
      if (!this.watcher?.canWatch(snapshot)) throw new UserFacingError('Only objects of a live process can be watched; this snapshot was read from a file.');
      const { alive } = await this.watcher.watch(snapshot, [id], label);
      return alive > 0 ? 'alive' : 'collected';
    });
  }

  exportWalk(format: ExportFormat, svg?: string): Promise<void> {
    return inUserWords(async () => {
      const walk = this.view.currentWalk;
      if (!walk) return;
      const text = format === 'svg' ? svg : format === 'dot' ? this.exporters.dot(walk) : this.exporters.json(walk);
      if (text === undefined) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const defaultName = `retainers-${walk.target}.${format}`;
      const uri = await vscode.window.showSaveDialog({
        filters: EXPORT_FILTERS[format],
        defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
        saveLabel: `Export ${format.toUpperCase()}`,
      });
      if (!uri) return;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      void vscode.window.setStatusBarMessage(`Retainer Graph: saved ${vscode.workspace.asRelativePath(uri)}`, 5000);
    });
  }

  copyText(text: string): Promise<void> {
    return inUserWords(async () => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage('Retainer Graph: copied to the clipboard', 3000);
    });
  }

  saveSettings(settings: ViewSettings): Promise<void> {
    return inUserWords(() => writeConfig('hideDebuggerRetainers', settings.hideDebugger));
  }
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
