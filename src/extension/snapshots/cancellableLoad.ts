/**
 * Loading one snapshot into a fresh engine worker under a cancellable progress
 * notification, for captures and files alike. The one place Cancel is wired:
 * the notification's button and `SnapshotStore.cancelCaptures` abort `signal`
 * and terminate the worker (its memory goes back at once), and nothing is
 * kept. On success the snapshot is kept in the store, replacing the previous
 * one of its target.
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

/** What a load step is handed. */
export interface LoadContext {
  /** A fresh worker; terminated on cancel or failure. */
  readonly engine: EngineClient;
  /** Aborted when the user cancels (hand it to InspectorSession). */
  readonly signal: AbortSignal;
  /** Moves the bar to `percent` of the whole (never back) and says what is happening. */
  report(percent: number, message: string): void;
  /** Throws CancelledError once the user cancelled. */
  checkCancel(): void;
}

export async function loadCancellably<T>(
  store: SnapshotStore,
  request: LoadRequest,
  load: (context: LoadContext) => Promise<{ summary: SnapshotSummary; value: T }>,
): Promise<{ snapshot: KeptSnapshot; value: T }> {
  const busy = store.beginCapture(request.key);
  if (!busy) throw new UserFacingError(request.alreadyRunning);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Retainer Graph: ${request.title}`, cancellable: true },
      async (progress, notificationToken) => {
        const forward = notificationToken.onCancellationRequested(() => busy.cancel());
        const token = busy.token;
        const abort = new AbortController();
        const engine = store.createEngine();
        const onCancel = token.onCancellationRequested(() => {
          abort.abort();
          void engine.terminate();
        });
        let reported = 0;
        const context: LoadContext = {
          engine,
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
        try {
          const { summary, value } = await load(context);
          context.checkCancel();
          const snapshot: KeptSnapshot = { key: request.key, label: request.label, engine, summary, takenAt: new Date() };
          store.keep(snapshot);
          engine.onProgress(undefined);
          return { snapshot, value };
        } catch (error) {
          void engine.terminate();
          const cancelled = token.isCancellationRequested;
          store.log.info(cancelled ? 'cancelled; snapshot discarded' : `failed: ${error instanceof Error ? error.message : String(error)}`);
          if (cancelled) throw new CancelledError();
          throw error;
        } finally {
          onCancel.dispose();
          forward.dispose();
        }
      },
    );
  } finally {
    busy.finish();
  }
}
