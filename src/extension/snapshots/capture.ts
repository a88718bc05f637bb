/**
 * One heap snapshot of a live target: V8's progress, then parsing (which
 * overlaps the capture: chunks stream into the engine worker as V8 writes
 * them), then indexing, under loadCancellably's notification. A chunk the
 * engine cannot parse stops V8 at once, as Cancel does, instead of letting it
 * write the rest of a heap that can never be read.
 */
import { CancelledError, type InspectorSession, type RemoteObjectHandle } from '../../inspector';
import type { SnapshotSummary } from '../../protocol/engineApi';
import { UserFacingError } from '../errors';
import type { ActivityLog } from '../messages';
import { loadCancellably, type LoadContext } from './cancellableLoad';
import type { SnapshotKey } from './snapshotKeys';
import type { KeptSnapshot, SnapshotStore } from './snapshotStore';

/** Something we can take a snapshot of: a process behind an inspector or a debug session. */
export interface LiveTarget {
  /** Identifies the target for the kept snapshot and the one-capture-at-a-time rule. */
  readonly key: SnapshotKey;
  /** How messages name it: `127.0.0.1:9229`, `debug session "Launch app"`. */
  readonly label: string;
  connect(): Promise<InspectorSession>;
}

/** Evaluates what the snapshot is about, on the open session, before it is taken. */
export type PickObjects = (session: InspectorSession) => Promise<RemoteObjectHandle[]>;

export interface CaptureResult {
  snapshot: KeptSnapshot;
  /** Snapshot ids of the objects `pick` returned, in order. */
  ids: number[];
}

/** Weights of the phases in the progress bar (V8 dominates: ~70 % before the first chunk). */
const V8_SHARE = 70;
const PARSE_SHARE = 20;

export async function captureSnapshot(store: SnapshotStore, target: LiveTarget, pick?: PickObjects): Promise<CaptureResult> {
  const log = store.log;
  const request = {
    key: target.key,
    label: target.label,
    title: `heap snapshot of ${target.label}`,
    alreadyRunning: `A heap snapshot of ${target.label} is already in progress; wait for it to finish or cancel it.`,
  };
  const { snapshot, value: ids } = await loadCancellably(store, request, async (context) => {
    context.report(0, 'connecting…');
    log.info(`snapshot of ${target.label}`);
    const session = await log.time('connect', () => target.connect());
    try {
      context.checkCancel();
      const handles = pick ? await log.time('evaluate', () => pick(session)) : [];
      context.checkCancel();
      return await streamSnapshot(session, handles, target.label, context, log);
    } finally {
      await session.close();
    }
  });
  return { snapshot, ids };
}

export interface StreamOptions {
  /** How growth reports name the snapshot. */
  name?: string;
  /** Each chunk as it arrives, after the engine has it (a copy to disk). */
  onChunk?: (chunk: string) => void;
  /** While allocation tracking runs: end it with this snapshot. */
  stopAllocationTracking?: boolean;
}

/**
 * One snapshot over an open session, parsed in the engine as V8 writes it.
 * The engine is told to begin without waiting for its answer: chunks queue
 * behind the call, and in a growth recording the previous snapshot is
 * digested meanwhile, while V8 is still busy before its first chunk.
 */
export async function streamSnapshot(
  session: InspectorSession,
  handles: readonly RemoteObjectHandle[],
  label: string,
  { engine, signal, report, checkCancel }: LoadContext,
  log: ActivityLog,
  options: StreamOptions = {},
): Promise<{ summary: SnapshotSummary; value: number[] }> {
  const begun = engine.beginSnapshot(options.name);
  begun.catch(() => undefined); // awaited below, once V8 is done
  engine.onProgress((p) => {
    if (p.phase === 'index') report(V8_SHARE + PARSE_SHARE + 10 * (p.fraction ?? 0), 'indexing…');
  });
  // The capture stops on the user's Cancel or on the engine's first parse error.
  const stop = new AbortController();
  let rejected: Error | undefined;
  const onCancel = () => stop.abort();
  signal.addEventListener('abort', onCancel, { once: true });
  engine.onChunksRejected((error) => {
    rejected ??= error;
    stop.abort();
  });
  // The engine read the closing brace: go on without V8's reply (it comes after V8 freed its copy).
  // Listened to from the engine's answer to beginSnapshot on, so no event of an earlier snapshot counts.
  let readToEndAt = 0;
  const complete = begun.then(
    () =>
      new Promise<void>((resolve) =>
        engine.onSnapshotComplete(() => {
          readToEndAt = Date.now();
          resolve();
        }),
      ),
    () => new Promise<void>(() => undefined), // endSnapshot reports the failure
  );
  let chunks = 0;
  let lastChunkAt = 0;
  const captureStarted = Date.now();
  let ids: number[];
  try {
    ids = await session.captureSnapshot(handles, {
      signal: stop.signal,
      label: options.name ?? 'snapshot',
      stopAllocationTracking: options.stopAllocationTracking,
      complete,
      onChunk: (chunk) => {
        chunks++;
        lastChunkAt = Date.now();
        engine.addChunk(chunk);
        options.onChunk?.(chunk);
      },
      onProgress: ({ done, total }) => {
        if (total > 0) report((V8_SHARE * done) / total, `V8 is writing the snapshot (${Math.round((100 * done) / total)} %)…`);
      },
    });
  } catch (error) {
    if (rejected && error instanceof CancelledError && !signal.aborted) {
      log.info(`the snapshot could not be parsed after ${chunks} chunks; V8 was stopped`);
      throw rejected;
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', onCancel);
    engine.onChunksRejected(undefined);
    engine.onSnapshotComplete(undefined);
  }
  log.info(`V8 snapshot (${chunks} chunks, parsed as they arrived): ${Date.now() - captureStarted} ms`);
  if (readToEndAt > 0) log.info(`the engine read it to the end ${readToEndAt - lastChunkAt} ms after the last chunk came; V8 had not replied yet`);
  log.mark('last chunk', lastChunkAt);
  await begun;
  checkCancel();
  if (chunks === 0) throw new UserFacingError(`${label} sent an empty heap snapshot; try again.`);
  report(V8_SHARE + PARSE_SHARE, 'parsing and indexing…');
  const summary = await log.time('finish parsing + index', () => engine.endSnapshot());
  log.info(`from V8's last chunk to the indexed graph: ${Date.now() - lastChunkAt} ms`);
  log.info(`${summary.nodeCount} nodes, ${summary.edgeCount} edges, ${summary.totalSize} bytes`);
  return { summary, value: ids };
}
