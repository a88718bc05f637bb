/**
 * The extension's one place where errors become the words a person reads: one
 * sentence, what happened and what to do. Below the command and webview
 * boundaries errors stay typed; only describeError words them. (The CLI words
 * the same errors for a terminal in src/cli/run.ts.)
 */
import { CancelledError } from '../inspector';
import { NO_SNAPSHOT_ERROR, SNAPSHOT_FORMAT_ERROR, UNKNOWN_OBJECT_ERROR } from '../protocol/engineApi';
import { RemoteError } from '../protocol/rpc';
import { EngineStoppedError } from './snapshots/engineClient';

/** The user dismissed a quick pick, input box or dialog: nothing to report. */
export class UserCancelled extends Error {
  override name = 'UserCancelled';
  constructor() {
    super('Cancelled.');
  }
}

/** A problem already phrased for the user where it was found (a missing argument, a class that does not exist). */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/** The object evaluated before the snapshot is not in it: only our own handle held it, and V8 collected it. */
export class ObjectCollectedError extends Error {
  override name = 'ObjectCollectedError';
  constructor(readonly id: number) {
    super(`object @${id} is not in the snapshot`);
  }
}

/** Is this an error the engine raised with this name, on the other side of the worker boundary? */
export function isRemoteError(error: unknown, name: string): error is RemoteError {
  return error instanceof RemoteError && error.remoteName === name;
}

export function isCancellation(error: unknown): boolean {
  return error instanceof UserCancelled || error instanceof CancelledError || (error instanceof EngineStoppedError && error.cancelled);
}

export function describeError(error: unknown): string {
  if (isCancellation(error)) return 'Cancelled.';
  if (error instanceof ObjectCollectedError) return collected(error.id);
  if (isRemoteError(error, UNKNOWN_OBJECT_ERROR)) return collected(undefined);
  if (isRemoteError(error, NO_SNAPSHOT_ERROR)) return 'The snapshot this graph came from was released; take a new snapshot to walk again.';
  if (isRemoteError(error, SNAPSHOT_FORMAT_ERROR)) return sentence(`The heap snapshot cannot be read: ${error.message}`);
  const text = error instanceof Error ? error.message : String(error);
  return sentence(text);
}

function collected(id: number | undefined): string {
  return `The object was collected before the snapshot${id === undefined ? '' : ` (id @${id} is not in it)`}, so nothing retains it any more.`;
}

/** Runs a webview's call; a failure comes back in the user's words, which the webview shows as text. */
export async function inUserWords<T>(work: () => Promise<T> | Thenable<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UserFacingError(describeError(error));
  }
}

/** "the expression threw: x" → "The expression threw: x." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Something went wrong.';
  const first = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}
