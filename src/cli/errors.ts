/**
 * The CLI's failures and their words: every failure a user can cause ends as
 * one line on stderr (exit 1), bad usage as the reason and the usage line
 * (exit 2). The extension words the same errors for its medium in
 * src/extension/errors.ts.
 */
import { UnknownObjectError } from '../engine/index';
import { CancelledError, ConnectionError, ExpressionError, InspectorError, ObjectIdsLostError, ObjectNotAvailableError, PrimitiveValueError, SnapshotInProgressError, TargetExitedError } from '../inspector/index';

/** Bad usage: exit 2 with the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The walk could not be made: exit 1 with this one-line reason. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/** The one-line reason for every failure a user can cause; undefined for bugs (they keep their stack). */
export function failureText(error: unknown): string | undefined {
  if (error instanceof CliFailure) return error.message;
  if (error instanceof ConnectionError || error instanceof PrimitiveValueError || error instanceof TargetExitedError || error instanceof SnapshotInProgressError) return error.message;
  if (error instanceof ObjectIdsLostError || error instanceof ObjectNotAvailableError) return error.message;
  if (error instanceof ExpressionError) return error.message;
  if (error instanceof CancelledError) return 'cancelled; the target process was left as it was';
  if (error instanceof UnknownObjectError) return error.message;
  if (error instanceof InspectorError) return `the inspector refused a request: ${error.message}`;
  return undefined;
}
