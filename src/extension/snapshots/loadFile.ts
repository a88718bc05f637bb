/** A `.heapsnapshot` file loaded into its own engine worker (kept until released or its editor closes). */
import * as vscode from 'vscode';
import { loadCancellably } from './cancellableLoad';
import { fileKey } from './snapshotKeys';
import type { KeptSnapshot, SnapshotStore } from './snapshotStore';

/** Parsing is ~80 % of loading a file; indexing the rest. */
const PARSE_SHARE = 80;

export async function loadSnapshotFile(store: SnapshotStore, uri: vscode.Uri): Promise<KeptSnapshot> {
  const key = fileKey(uri);
  const existing = store.get(key);
  if (existing) return existing;
  const label = vscode.workspace.asRelativePath(uri);
  const request = { key, label, title: `loading ${label}`, alreadyRunning: `${label} is already loading.` };
  const { snapshot } = await loadCancellably(store, request, async ({ engine, report }) => {
    let size = 0;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      // The engine will report the unreadable file with a better message.
    }
    engine.onProgress((p) => {
      if (p.phase === 'parse') report(size > 0 && p.bytes ? (PARSE_SHARE * p.bytes) / size : 0, 'parsing…');
      else report(PARSE_SHARE + (100 - PARSE_SHARE) * (p.fraction ?? 0), 'indexing…');
    });
    const summary = await store.log.time(`load ${label}`, () => engine.loadFile(uri.fsPath));
    return { summary, value: undefined };
  });
  return snapshot;
}
