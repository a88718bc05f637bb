/**
 * The memory chart of one live target: `Runtime.getHeapUsage` about once a
 * second (V8 answers at once and evaluates nothing in the program), every
 * heap snapshot any of our commands takes of it marked, and the instance
 * counts of pinned classes every few seconds.
 *
 * It polls over a lease of the target's one shared connection
 * (TargetService.lease): its own session would make V8 forget every snapshot
 * id when it closed, ending a recording's or a watch's ids.
 *
 * Paused: in a debug session the debug adapter says when the program stops
 * and goes on; the chart takes no reading meanwhile and shows the span. On a
 * plain attach no adapter tells us (enabling our own Debugger domain would
 * make `debugger;` statements stop the program for us), and V8 answers
 * getHeapUsage while paused: the chart keeps reading, and a paused program
 * draws a flat line.
 */
import * as vscode from 'vscode';
import type { ClassRef } from '../../inspector';
import { isCaptureInProgress, SnapshotInProgressError } from '../../inspector';
import type { MemorySeries } from '../../protocol/memoryChart';
import { Disposable } from '../disposable';
import { describeError } from '../errors';
import type { LiveTarget } from '../snapshots/capture';
import type { SessionLease, TargetService } from '../targets/targetService';
import { HeapSeries } from './heapSeries';

export const READING_MS = 1000;
/**
 * queryObjects collects garbage and walks the heap, pausing the program
 * (about 1 s per 100 MB of heap, test/bench/liveCost.ts): counts come
 * every 5 s at most, and never take more than a tenth of the time.
 */
export const COUNT_MS = 5000;
const COUNT_SHARE = 10;

export class HeapMonitor extends Disposable {
  readonly series = new HeapSeries();
  private lease: SessionLease | undefined;
  private state: MemorySeries['state'] = 'running';
  private message: string | undefined;
  private reading = false;
  private counting = false;
  private readonly pins = new Map<string, ClassRef>();
  private nextCountAt = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** A reading, a mark, a count or a change of state. */
  readonly onDidChange = this.changed.event;
  private readonly stoppedEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidStop = this.stoppedEmitter.event;

  private constructor(readonly target: LiveTarget) {
    super();
  }

  /** Opens the lease and starts reading; rejects when the target cannot be reached. */
  static async start(target: LiveTarget, targets: TargetService): Promise<HeapMonitor> {
    const monitor = new HeapMonitor(target);
    const lease = await targets.lease(target);
    monitor.lease = lease;
    const offSnapshot = lease.session.onSnapshot((label) => {
      monitor.series.mark(label, Date.now());
      monitor.changed.fire();
    });
    const offDisconnect = lease.session.onDisconnect(() => monitor.stop(`${target.label} ended.`));
    monitor._register({ dispose: () => (offSnapshot(), offDisconnect()) });
    const readings = setInterval(() => void monitor.read(), READING_MS);
    const counts = setInterval(() => void monitor.countPinned(), READING_MS);
    monitor._register({ dispose: () => (clearInterval(readings), clearInterval(counts)) });
    void monitor.read();
    return monitor;
  }

  get running(): boolean {
    return this.state !== 'stopped';
  }

  toJSON(): MemorySeries {
    return this.series.toJSON(this.target.label, this.state, this.message);
  }

  /** The debugger stopped the program (true) or let it go on. */
  setPaused(paused: boolean): void {
    if (this.state === 'stopped') return;
    const now = Date.now();
    if (paused) this.series.pause(now);
    else this.series.resume(now);
    this.state = paused ? 'paused' : 'running';
    this.changed.fire();
    if (!paused) void this.read();
  }

  /** Counts the class's live instances every few seconds from now on (a growth recording's pin). */
  pin(className: string, of: ClassRef): void {
    this.pins.set(className, of);
    this.series.pin(className);
    this.changed.fire();
    this.nextCountAt = 0;
    void this.countPinned();
  }

  unpin(className: string): void {
    this.pins.delete(className);
    this.series.unpin(className);
    this.changed.fire();
  }

  /** Stops reading and lets go of the connection; the series stays to be shown. */
  stop(message?: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.message = message;
    this.series.resume(Date.now());
    void this.lease?.release();
    this.changed.fire();
    this.stoppedEmitter.fire();
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }

  private async read(): Promise<void> {
    const session = this.lease?.session;
    if (!session || this.reading || this.state !== 'running') return;
    this.reading = true;
    try {
      const usage = await session.heapUsage();
      if (this.state !== 'running') return;
      this.series.add({ at: Date.now(), used: usage.usedSize, total: usage.totalSize });
      this.changed.fire();
    } catch {
      // A reading lost to a closing connection: the disconnect stops the chart.
    } finally {
      this.reading = false;
    }
  }

  private async countPinned(): Promise<void> {
    const session = this.lease?.session;
    // Never while a snapshot of the target runs (V8 would queue the heap walk behind it): that tick is skipped.
    if (!session || this.counting || this.state !== 'running' || this.pins.size === 0 || Date.now() < this.nextCountAt || isCaptureInProgress(session.webSocketUrl)) return;
    this.counting = true;
    const started = Date.now();
    try {
      for (const [className, of] of [...this.pins]) {
        try {
          const count = await session.countInstances(of);
          this.series.count(className, Date.now(), count);
        } catch (error) {
          if (error instanceof SnapshotInProgressError) return;
          this.series.countFailed(className, describeError(error));
        }
      }
      this.changed.fire();
    } finally {
      this.counting = false;
      this.nextCountAt = Date.now() + Math.max(COUNT_MS, COUNT_SHARE * (Date.now() - started));
    }
  }
}
