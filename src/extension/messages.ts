/**
 * Errors turned into what a person reads: one sentence, what happened and
 * what to do. Only the command boundary calls this; below it errors stay typed.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../inspector';
import { RemoteError } from '../protocol/rpc';
import { NO_SNAPSHOT_ERROR, UNKNOWN_OBJECT_ERROR } from '../protocol/engineApi';
import { EngineStoppedError } from './engineClient';

export class UserCancelled extends Error {
  override name = 'UserCancelled';
  constructor() {
    super('Cancelled.');
  }
}

/** A problem already phrased for the user. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

export function isCancellation(error: unknown): boolean {
  return error instanceof UserCancelled || error instanceof CancelledError || (error instanceof EngineStoppedError && error.message === 'Cancelled.');
}

export function describeError(error: unknown): string {
  if (error instanceof RemoteError && error.remoteName === UNKNOWN_OBJECT_ERROR) {
    return 'The object was collected before the snapshot, so nothing retains it any more.';
  }
  if (error instanceof RemoteError && error.remoteName === NO_SNAPSHOT_ERROR) {
    return 'The snapshot this graph came from was released; take a new snapshot to walk again.';
  }
  const text = error instanceof Error ? error.message : String(error);
  return sentence(text);
}

/** "the expression threw: x" → "The expression threw: x." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Something went wrong.';
  const first = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}

/** The last messages shown, for the test API. */
export class MessageLog {
  readonly shown: { severity: 'error' | 'info' | 'warning'; text: string }[] = [];

  error(error: unknown): void {
    if (isCancellation(error)) {
      this.record('info', 'Cancelled.');
      return;
    }
    const text = describeError(error);
    this.record('error', text);
    void vscode.window.showErrorMessage(`Retainer Graph: ${text}`);
  }

  info(text: string): void {
    this.record('info', text);
    void vscode.window.showInformationMessage(`Retainer Graph: ${text}`);
  }

  warning(text: string): void {
    this.record('warning', text);
    void vscode.window.showWarningMessage(`Retainer Graph: ${text}`);
  }

  private record(severity: 'error' | 'info' | 'warning', text: string): void {
    this.shown.push({ severity, text });
    if (this.shown.length > 50) this.shown.shift();
  }
}

/** The "Retainer Graph" output channel: what happened and how long each step took. */
export class ActivityLog implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Retainer Graph', { log: true });
  readonly lines: string[] = [];

  info(text: string): void {
    this.channel.info(text);
    this.lines.push(text);
    if (this.lines.length > 200) this.lines.shift();
  }

  /** Runs `work`, logging how long it took under `step`. */
  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.info(`${step}: ${Date.now() - started} ms`);
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
