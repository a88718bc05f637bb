/**
 * One heap snapshot of a live target, with a cancellable progress
 * notification: V8's progress, then parsing (which overlaps the capture:
 * chunks stream into the engine worker as V8 writes them), then indexing.
 * Cancel at any moment stops V8's side (InspectorSession cleans up), kills the
 * worker (its memory goes back at once) and keeps nothing.
 */
import * as vscode from 'vscode';
import { CancelledError, type InspectorSession, type RemoteObjectHandle } from '../inspector';
import type { EngineProgress } from '../protocol/engineApi';
import type { KeptSnapshot, SnapshotStore } from './snapshots';
import { UserFacingError } from './messages';

/** Something we can take a snapshot of: a process behind an inspector or a debug session. */
export interface LiveTarget {
  /** Identifies the target for the kept snapshot and the one-capture-at-a-time rule. */
  readonly key: string;
  /** How messages name it: `127.0.0.1:9229`, `debug session "Launch app"`. */
  readonly label: string;
  connect(): Promise<InspectorSession>;
}

export interface CaptureResult {
  snapshot: KeptSnapshot;
  /** Snapshot ids of the objects `pick` returned, in order. */
  ids: number[];
}

/** Weights of the phases in the progress bar (V8 dominates: ~70 % before the first chunk). */
const V8_SHARE = 70;
const PARSE_SHARE = 20;

export async function captureSnapshot(
  store: SnapshotStore,
  target: LiveTarget,
  pick?: (session: InspectorSession) => Promise<RemoteObjectHandle[]>,
): Promise<CaptureResult> {
  const capture = store.beginCapture(target.key);
  if (!capture) {
    throw new UserFacingError(`A heap snapshot of ${target.label} is already in progress; wait for it to finish or cancel it.`);
  }
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Retainer Graph: heap snapshot of ${target.label}`, cancellable: true },
      (progress, token) => {
        const forward = token.onCancellationRequested(() => capture.cancel());
        return runCapture(store, target, pick, progress, capture.token).finally(() => forward.dispose());
      },
    );
  } finally {
    capture.finish();
  }
}

async function runCapture(
  store: SnapshotStore,
  target: LiveTarget,
  pick: ((session: InspectorSession) => Promise<RemoteObjectHandle[]>) | undefined,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<CaptureResult> {
  let reported = 0;
  const report = (percent: number, message: string) => {
    const increment = Math.max(0, Math.min(100, percent) - reported);
    reported += increment;
    progress.report({ message, increment });
  };
  const abort = new AbortController();
  const cancelled = () => token.isCancellationRequested;
  const checkCancel = () => {
    if (cancelled()) throw new CancelledError();
  };

  report(0, 'connecting…');
  const log = store.log;
  log.info(`snapshot of ${target.label}`);
  const session = await log.time('connect', () => target.connect());
  const engine = store.createEngine();
  const onCancel = token.onCancellationRequested(() => {
    abort.abort();
    void engine.terminate();
  });
  try {
    checkCancel();
    const handles = pick ? await log.time('evaluate', () => pick(session)) : [];
    checkCancel();
    await engine.beginSnapshot();
    engine.onProgress((p: EngineProgress) => {
      if (p.phase === 'index') report(V8_SHARE + PARSE_SHARE + 10 * (p.fraction ?? 0), 'indexing…');
    });
    let chunks = 0;
    const captureStarted = Date.now();
    const ids = await session.captureSnapshot(handles, {
      signal: abort.signal,
      onChunk: (chunk) => {
        chunks++;
        engine.addChunk(chunk);
      },
      onProgress: ({ done, total }) => {
        if (total > 0) report((V8_SHARE * done) / total, `V8 is writing the snapshot (${Math.round((100 * done) / total)} %)…`);
      },
    });
    log.info(`V8 snapshot (${chunks} chunks, parsed as they arrived): ${Date.now() - captureStarted} ms`);
    checkCancel();
    if (chunks === 0) throw new UserFacingError(`${target.label} sent an empty heap snapshot; try again.`);
    report(V8_SHARE + PARSE_SHARE, 'parsing and indexing…');
    const summary = await log.time('finish parsing + index', () => engine.endSnapshot());
    log.info(`${summary.nodeCount} nodes, ${summary.edgeCount} edges, ${summary.totalSize} bytes`);
    checkCancel();
    const snapshot: KeptSnapshot = { key: target.key, label: target.label, engine, summary, takenAt: new Date() };
    store.keep(snapshot);
    engine.onProgress(undefined);
    return { snapshot, ids };
  } catch (error) {
    void engine.terminate();
    log.info(cancelled() ? 'cancelled; snapshot discarded' : `failed: ${error instanceof Error ? error.message : String(error)}`);
    if (cancelled()) throw new CancelledError();
    throw error;
  } finally {
    onCancel.dispose();
    await session.close();
  }
}

/** Loads a `.heapsnapshot` file into its own engine worker, with the same cancellable progress. */
export async function loadSnapshotFile(store: SnapshotStore, uri: vscode.Uri): Promise<KeptSnapshot> {
  const key = `file:${uri.toString()}`;
  const existing = store.get(key);
  if (existing) return existing;
  const label = vscode.workspace.asRelativePath(uri);
  const capture = store.beginCapture(key);
  if (!capture) throw new UserFacingError(`${label} is already loading.`);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Retainer Graph: loading ${label}`, cancellable: true },
      async (progress, progressToken) => {
        const forward = progressToken.onCancellationRequested(() => capture.cancel());
        const token = capture.token;
        const engine = store.createEngine();
        const onCancel = token.onCancellationRequested(() => void engine.terminate());
        let size = 0;
        try {
          size = (await vscode.workspace.fs.stat(uri)).size;
        } catch {
          // The engine will report the unreadable file with a better message.
        }
        let reported = 0;
        engine.onProgress((p) => {
          const percent = p.phase === 'parse' ? (size > 0 && p.bytes ? (80 * p.bytes) / size : reported) : 80 + 20 * (p.fraction ?? 0);
          const increment = Math.max(0, Math.min(100, percent) - reported);
          reported += increment;
          progress.report({ increment, message: p.phase === 'parse' ? 'parsing…' : 'indexing…' });
        });
        try {
          const summary = await store.log.time(`load ${label}`, () => engine.loadFile(uri.fsPath));
          const snapshot: KeptSnapshot = { key, label, engine, summary, takenAt: new Date() };
          store.keep(snapshot);
          engine.onProgress(undefined);
          return snapshot;
        } catch (error) {
          void engine.terminate();
          if (token.isCancellationRequested) throw new CancelledError('loading the snapshot was cancelled');
          throw error;
        } finally {
          onCancel.dispose();
          forward.dispose();
        }
      },
    );
  } finally {
    capture.finish();
  }
}
