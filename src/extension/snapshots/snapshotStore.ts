/**
 * The last snapshot of each target, kept in its own engine worker for
 * re-walks (new depth, fan-out, another object) until the user takes a new
 * one of that target, the target or debug session ends, or the user releases
 * them. Replacing or releasing one terminates its worker: the memory goes back
 * at once.
 */
import * as vscode from 'vscode';
import type { SnapshotSummary } from '../../protocol/engineApi';
import type { ActivityLog } from '../messages';
import { EngineClient } from './engineClient';
import type { SnapshotKey } from './snapshotKeys';

export interface KeptSnapshot {
  /** Which target it came from. */
  readonly key: SnapshotKey;
  /** How messages name the target. */
  readonly label: string;
  readonly engine: EngineClient;
  readonly summary: SnapshotSummary;
  readonly takenAt: Date;
}

export class SnapshotStore implements vscode.Disposable {
  private readonly kept = new Map<SnapshotKey, KeptSnapshot>();
  private readonly capturing = new Map<SnapshotKey, vscode.CancellationTokenSource>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a snapshot is kept or released. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workerPath: string,
    /** Where capture steps and their timings are written. */
    readonly log: ActivityLog,
  ) {}

  /** A fresh engine worker for a new snapshot. */
  createEngine(): EngineClient {
    return new EngineClient(this.workerPath);
  }

  get(key: SnapshotKey): KeptSnapshot | undefined {
    const snapshot = this.kept.get(key);
    if (snapshot && snapshot.engine.isStopped) {
      this.kept.delete(key);
      return undefined;
    }
    return snapshot;
  }

  /** The most recent snapshot kept, of any target. */
  latest(): KeptSnapshot | undefined {
    let best: KeptSnapshot | undefined;
    for (const key of [...this.kept.keys()]) {
      const snapshot = this.get(key);
      if (snapshot && (!best || snapshot.takenAt > best.takenAt)) best = snapshot;
    }
    return best;
  }

  keys(): SnapshotKey[] {
    return [...this.kept.keys()].filter((key) => this.get(key));
  }

  anyCapturing(): boolean {
    return this.capturing.size > 0;
  }

  isCapturing(key: SnapshotKey): boolean {
    return this.capturing.has(key);
  }

  /**
   * Marks `key` busy until `finish` is called; undefined when it already is.
   * `token` is cancelled by `cancelCaptures` (the same path as the
   * notification's Cancel button, which feeds it too).
   */
  beginCapture(key: SnapshotKey): { token: vscode.CancellationToken; cancel(): void; finish(): void } | undefined {
    if (this.capturing.has(key)) return undefined;
    const source = new vscode.CancellationTokenSource();
    this.capturing.set(key, source);
    return {
      token: source.token,
      cancel: () => source.cancel(),
      finish: () => {
        if (this.capturing.get(key) === source) this.capturing.delete(key);
        source.dispose();
      },
    };
  }

  /** Cancels every capture or load in progress. */
  cancelCaptures(): void {
    for (const source of this.capturing.values()) source.cancel();
  }

  /** Cancels the capture or load of `key`, if one is in progress. */
  cancelCapture(key: SnapshotKey): void {
    this.capturing.get(key)?.cancel();
  }

  /** Keeps `snapshot` as the one of its target, releasing the previous one. */
  keep(snapshot: KeptSnapshot): void {
    const previous = this.kept.get(snapshot.key);
    this.kept.set(snapshot.key, snapshot);
    if (previous && previous.engine !== snapshot.engine) void previous.engine.terminate();
    this.changed.fire();
  }

  release(key: SnapshotKey): void {
    const snapshot = this.kept.get(key);
    if (!snapshot) return;
    this.kept.delete(key);
    void snapshot.engine.terminate();
    this.changed.fire();
  }

  releaseAll(): void {
    for (const key of [...this.kept.keys()]) this.release(key);
  }

  dispose(): void {
    this.releaseAll();
    this.changed.dispose();
  }
}
