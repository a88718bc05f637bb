/**
 * Work on a snapshot under a cancellable progress notification, for captures,
 * files and growth recordings alike. The one place Cancel is wired: the
 * notification's button and `SnapshotStore.cancelCaptures` both cancel the
 * work's token, which aborts its `signal`.
 *
 * `loadCancellably` loads one snapshot into a fresh engine worker: Cancel
 * terminates the worker (its memory goes back at once), and nothing is kept;
 * on success the snapshot is kept in the store, replacing the previous one of
 * its target.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../../inspector';
import type { SnapshotSummary } from '../../protocol/engineApi';
import { UserFacingError } from '../errors';
import type { EngineClient } from './engineClient';
import type { SnapshotKey } from './snapshotKeys';
import type { KeptSnapshot, SnapshotStore } from './snapshotStore';

export interface LoadRequest {
  key: SnapshotKey;
  /** How messages name the target. */
  label: string;
  /** The notification's title, after "Retainer Graph: ". */
  title: string;
  /** Said when a load of `key` is already running. */
  alreadyRunning: string;
}

/** What cancellable work is handed. */
export interface ProgressContext {
  /** Aborted when the user cancels (hand it to InspectorSession). */
  readonly signal: AbortSignal;
  /** Moves the bar to `percent` of the whole (never back) and says what is happening. */
  report(percent: number, message: string): void;
  /** Throws CancelledError once the user cancelled. */
  checkCancel(): void;
}

/** What a load step is handed. */
export interface LoadContext extends ProgressContext {
  /** A fresh worker; terminated on cancel or failure. */
  readonly engine: EngineClient;
}

/**
 * Runs `work` under the notification, with `key` marked busy (a second run
 * for it is refused with `alreadyRunning`). Rejects with CancelledError as
 * soon as the user cancels, even when `work` takes a while to notice; what
 * `work` does afterwards is its own to clean up.
 */
export async function runCancellably<T>(store: SnapshotStore, request: Omit<LoadRequest, 'label'>, work: (context: ProgressContext) => Promise<T>): Promise<T> {
  const busy = store.beginCapture(request.key);
  if (!busy) throw new UserFacingError(request.alreadyRunning);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Retainer Graph: ${request.title}`, cancellable: true },
      async (progress, notificationToken) => {
        const forward = notificationToken.onCancellationRequested(() => busy.cancel());
        const token = busy.token;
        const abort = new AbortController();
        let onCancel: vscode.Disposable | undefined;
        const cancelled = new Promise<never>((_, reject) => {
          onCancel = token.onCancellationRequested(() => {
            abort.abort();
            reject(new CancelledError());
          });
        });
        let reported = 0;
        const context: ProgressContext = {
          signal: abort.signal,
          report: (percent, message) => {
            const increment = Math.max(0, Math.min(100, percent) - reported);
            reported += increment;
            progress.report({ message, increment });
          },
          checkCancel: () => {
            if (token.isCancellationRequested) throw new CancelledError();
          },
        };
        const working = work(context);
        working.catch(() => undefined); // settles after a cancel too; nobody waits for it then
        try {
          const value = await Promise.race([working, cancelled]);
          context.checkCancel();
          return value;
        } finally {
          onCancel?.dispose();
          forward.dispose();
        }
      },
    );
  } finally {
    busy.finish();
  }
}

export async function loadCancellably<T>(
  store: SnapshotStore,
  request: LoadRequest,
  load: (context: LoadContext) => Promise<{ summary: SnapshotSummary; value: T }>,
): Promise<{ snapshot: KeptSnapshot; value: T }> {
  let engine: EngineClient | undefined;
  try {
    const { summary, value } = await runCancellably(store, request, (context) => {
      engine = store.createEngine();
      return load({ ...context, engine });
    });
    const snapshot: KeptSnapshot = { key: request.key, label: request.label, engine: engine!, summary, takenAt: new Date() };
    store.keep(snapshot);
    snapshot.engine.onProgress(undefined);
    return { snapshot, value };
  } catch (error) {
    if (!engine) throw error; // refused before it began
    // Cancel or failure: the worker and everything it parsed go at once.
    void engine.terminate();
    store.log.info(error instanceof CancelledError ? 'cancelled; snapshot discarded' : `failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
