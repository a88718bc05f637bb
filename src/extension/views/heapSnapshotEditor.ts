/**
 * A custom editor for `*.heapsnapshot`: opening a production snapshot loads
 * it in its own engine worker and goes straight to the class list (a quick
 * pick) → instance → retainer graph, drawn in the editor itself. The snapshot
 * is released when the editor closes.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { describeError, isCancellation, UserCancelled } from '../errors';
import type { Services } from '../services';
import { loadSnapshotFile } from '../snapshots/loadFile';
import { fileKey } from '../snapshots/snapshotKeys';

export const HEAP_SNAPSHOT_EDITOR = 'retainerGraph.heapSnapshot';

export class HeapSnapshotEditorProvider implements vscode.CustomReadonlyEditorProvider {
  private constructor(private readonly services: Services) {}

  static register(services: Services): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(HEAP_SNAPSHOT_EDITOR, new HeapSnapshotEditorProvider(services), {
      webviewOptions: { retainContextWhenHidden: true, enableFindWidget: true },
      supportsMultipleEditorsPerDocument: false,
    });
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => this.services.store.release(fileKey(uri)) };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const { store, panels, show, messages } = this.services;
    const name = basename(document.uri.fsPath);
    const view = panels.adopt(panel, undefined, name, `editor:${document.uri.toString()}`);
    view.notify({ type: 'busy', message: `Loading ${name}…` });
    void (async () => {
      try {
        const snapshot = await loadSnapshotFile(store, document.uri);
        view.notify({ type: 'busy', message: 'Pick a class in the list at the top of the window…' });
        const shown = await show.pickAndShow(snapshot, {}, { show: (walk, title) => view.show(walk, `${name}: ${title}`, snapshot) });
        if ('mergedPaths' in shown) {
          view.notify({ type: 'error', message: `The merged paths of every ${shown.mergedPaths.className} are in the Growth view. Run "Retainer Graph: Show Retainers of a Class…" to draw one object here.` });
        }
      } catch (error) {
        if (error instanceof UserCancelled) {
          view.notify({ type: 'error', message: 'No class picked. Run "Retainer Graph: Show Retainers of a Class…" to pick one from this snapshot.' });
          return;
        }
        if (!isCancellation(error)) messages.error(error);
        view.notify({ type: 'error', message: isCancellation(error) ? 'Loading was cancelled; reopen the file to try again.' : describeError(error) });
      }
    })();
  }
}
