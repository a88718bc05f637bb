/**
 * A custom editor for `*.heapsnapshot`: opening a production snapshot loads
 * it in its own engine worker and goes straight to the class list (a quick
 * pick) → instance → retainer graph, drawn in the editor itself. The snapshot
 * is released when the editor closes.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { loadSnapshotFile } from './capture';
import type { RetainerGraphCommands } from './commands';
import { MessageLog, UserCancelled, describeError, isCancellation } from './messages';
import type { PanelManager } from './panel';
import type { SnapshotStore } from './snapshots';

export const HEAP_SNAPSHOT_EDITOR = 'retainerGraph.heapSnapshot';

export class HeapSnapshotEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly store: SnapshotStore,
    private readonly panels: PanelManager,
    private readonly commands: RetainerGraphCommands,
    private readonly messages: MessageLog,
  ) {}

  static register(provider: HeapSnapshotEditorProvider): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(HEAP_SNAPSHOT_EDITOR, provider, {
      webviewOptions: { retainContextWhenHidden: true, enableFindWidget: true },
      supportsMultipleEditorsPerDocument: false,
    });
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => this.store.release(`file:${uri.toString()}`) };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = basename(document.uri.fsPath);
    const view = this.panels.adopt(panel, undefined, name, `editor:${document.uri.toString()}`);
    view.notify({ type: 'busy', message: `Loading ${name}…` });
    void (async () => {
      try {
        const snapshot = await loadSnapshotFile(this.store, document.uri);
        view.notify({ type: 'busy', message: 'Pick a class in the list at the top of the window…' });
        await this.commands.pickAndShow(snapshot, {}, (walk, title) => view.show(walk, `${name}: ${title}`, snapshot));
      } catch (error) {
        if (error instanceof UserCancelled) {
          view.notify({ type: 'error', message: 'No class picked. Run "Retainer Graph: Show Retainers of a Class…" to pick one from this snapshot.' });
          return;
        }
        if (!isCancellation(error)) this.messages.error(error);
        view.notify({ type: 'error', message: isCancellation(error) ? 'Loading was cancelled; reopen the file to try again.' : describeError(error) });
      }
    })();
  }
}
