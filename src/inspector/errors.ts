/**
 * Typed failures of the inspector layer. Messages are written for a person:
 * one sentence saying what happened (and, where it helps, what to do).
 */

/** A CDP method failed; names the method so logs point at the protocol step. */
export class InspectorError extends Error {
  override readonly name = 'InspectorError';
  constructor(readonly method: string, readonly detail: string) {
    super(`${method} failed: ${detail}`);
  }
}

/** Could not reach an inspector at all (port closed, not an inspector, timed out). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** The target process exited or closed the connection while we worked; partial data was discarded. */
export class TargetExitedError extends Error {
  override readonly name = 'TargetExitedError';
  constructor(message = 'the target process exited during the heap snapshot; the partial snapshot was discarded') {
    super(message);
  }
}

/** The caller cancelled (AbortSignal); the target was cleaned up before this was thrown. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'the heap snapshot was cancelled') {
    super(message);
  }
}

/** The expression threw in the target; `exceptionText` is what the target reported. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(readonly exceptionText: string) {
    super(`the expression threw: ${exceptionText}`);
  }
}

/** The expression evaluated to a primitive, which has no retainers to walk. */
export class PrimitiveValueError extends Error {
  override readonly name = 'PrimitiveValueError';
  constructor(readonly type: string, readonly value: string) {
    super(`the expression evaluated to ${type === 'null' || type === 'undefined' ? type : `the ${type} ${value}`}, not an object; primitives have no retainers to show`);
  }
}

/** A second snapshot of the same target was requested while one is running. */
export class SnapshotInProgressError extends Error {
  override readonly name = 'SnapshotInProgressError';
  constructor(endpoint: string) {
    super(`a heap snapshot of ${endpoint} is already in progress; wait for it to finish or cancel it`);
  }
}

/**
 * The process holds no snapshot object ids now, or renumbered them: V8 keeps
 * ids only while the inspector session that assigned them (the one that took
 * the snapshot) stays open, and forgets them for the whole process when such
 * a session closes. Old ids then name nothing, or other objects.
 */
export class ObjectIdsLostError extends Error {
  override readonly name = 'ObjectIdsLostError';
  constructor(readonly reason: 'none' | 'renumbered') {
    super(
      reason === 'none'
        ? 'the process holds no heap snapshot ids: ids exist only while the inspector session that took the snapshot stays open (closing it, or restarting the process, ends them)'
        : 'the process renumbered its heap snapshot ids (an inspector session that held them closed): the ids watched so far name nothing now; take a new snapshot',
    );
  }
}

/** A snapshot id names no object the process still has (collected, or an id of another session). */
export class ObjectNotAvailableError extends Error {
  override readonly name = 'ObjectNotAvailableError';
  constructor(
    readonly id: number,
    what = 'object',
  ) {
    super(`the ${what} @${id} is not in the process: it was collected, or the id comes from a snapshot of another inspector session`);
  }
}
