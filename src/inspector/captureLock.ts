/**
 * Never two snapshots of one target at once: a snapshot blocks the target's
 * main thread and can need several times its heap, and interleaved chunk
 * streams would corrupt both. Keyed by the WebSocket URL of the target (or of
 * js-debug's proxy), process-wide, so separate sessions to one target share it.
 */
import { SnapshotInProgressError } from './errors';

const busy = new Set<string>();

/** Takes the lock for `key` or throws SnapshotInProgressError; call the returned function to release it. */
export function acquireCaptureLock(key: string, label: string): () => void {
  if (busy.has(key)) throw new SnapshotInProgressError(label);
  busy.add(key);
  let released = false;
  return () => {
    if (!released) busy.delete(key);
    released = true;
  };
}

export function isCaptureInProgress(key: string): boolean {
  return busy.has(key);
}
