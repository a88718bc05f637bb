/**
 * One growth recording of a live target: a baseline snapshot, then one more
 * at each "Take Next", all over ONE inspector session (closing a session
 * renumbers the heap's objects, so the snapshots could no longer be
 * compared). Its engine worker digests each snapshot when the next begins
 * and holds only the latest graph; its files on disk keep every snapshot as
 * V8 wrote it, for saving.
 *
 * Its session is a lease of the target's one connection
 * (TargetService.lease), shared with the memory chart it shows and with
 * watches. Cancel, a failure, or the target going away ends the recording:
 * the lease is released, and the last lease closes the connection (the
 * process is left as found: V8 stops our heap profiler and allocation
 * tracking and forgets the ids it handed out; nothing was evaluated in it), and the snapshot before a failed one is read back from its file, so
 * the Growth view keeps what was recorded. The snapshots are released
 * together: when the view closes after the recording stopped, or by
 * "Release Kept Snapshots".
 */
import * as vscode from 'vscode';
import type { InspectorSession } from '../../inspector';
import type { SnapshotSummary } from '../../protocol/engineApi';
import type { GrowthReport } from '../../protocol/growth';
import type { GrowthSource } from '../../protocol/growthView';
import type { MemorySeries } from '../../protocol/memoryChart';
import type { LiveMonitors, MonitorUse } from '../live/liveMonitors';
import { Disposable } from '../disposable';
import { describeError, isCancellation, UserCancelled, UserFacingError } from '../errors';
import type { MessageLog } from '../messages';
import { runCancellably, type ProgressContext } from '../snapshots/cancellableLoad';
import { streamSnapshot, type LiveTarget } from '../snapshots/capture';
import type { EngineClient } from '../snapshots/engineClient';
import { growthKey, type SnapshotKey } from '../snapshots/snapshotKeys';
import type { KeptSnapshot, SnapshotStore } from '../snapshots/snapshotStore';
import type { SessionLease, TargetService } from '../targets/targetService';
import { growthTitle, type GrowthChange, type GrowthModel } from './growthModel';
import { RecordingFiles } from './recordingFiles';

export interface RecordingDeps {
  store: SnapshotStore;
  targets: TargetService;
  messages: MessageLog;
  /** Where recordings keep their snapshot files. */
  filesRoot: string;
  /** The memory charts: a recording shows its target's in the Growth view. */
  monitors: LiveMonitors;
  /** Watch Until Collected on ids of the recorded process (the Watches view). */
  watch(target: LiveTarget, ids: number[], label: string): Promise<{ alive: number; collected: number }>;
}

export interface RecordingOptions {
  /** Record where objects are allocated from the baseline on (V8's allocation tracker: slows the program). */
  allocationStacks?: boolean;
}

type RecordingState = 'recording' | 'stopped' | 'released';

let recordings = 0;

export class LiveRecording extends Disposable implements GrowthModel {
  readonly title: string;
  private state: RecordingState = 'recording';
  /** The snapshots in the recording, oldest first: each one's file (null when it could not be written) and time. */
  private readonly taken: { file: string | null; at: Date }[] = [];
  private taking = false;
  /** Why the latest snapshot's graph is not there for paths (a failed snapshot set it aside and it could not be read back). */
  private latestGone: string | undefined;
  private currentReport: GrowthReport | null = null;
  private viewOpen = false;
  private readonly startedAt = new Date();
  private readonly changed = this._register(new vscode.EventEmitter<GrowthChange>());
  readonly onDidChange = this.changed.event;
  private readonly stateChanged = this._register(new vscode.EventEmitter<void>());
  /** Recording, taking a snapshot, stopped or released: for the status bar. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly session: InspectorSession;
  private memoryUse: MonitorUse | undefined;
  /** The chart as it was when the recording let go of it. */
  private lastMemory: MemorySeries | null = null;

  private constructor(
    private readonly deps: RecordingDeps,
    readonly key: SnapshotKey,
    readonly target: LiveTarget,
    private readonly lease: SessionLease,
    private readonly engine: EngineClient,
    private readonly files: RecordingFiles,
  ) {
    super();
    this.title = growthTitle(target.label);
    const session = (this.session = lease.session);
    const ended = () => {
      // Mid-capture the capture fails and ends the recording itself, with its own words.
      if (!this.taking) void this.stop(`${target.label} ended; the recording stopped after ${this.count} snapshot${this.count === 1 ? '' : 's'}.`);
    };
    const offDisconnect = session.onDisconnect(ended);
    this._register({ dispose: () => offDisconnect() });
    if (session.closed) queueMicrotask(ended);
    this._register(
      deps.store.onDidChange(() => {
        // Released from outside ("Release Kept Snapshots", the worker stopped): everything goes.
        if (this.taken.length > 0 && !this.taking && !deps.store.get(key)) this.dispose();
      }),
    );
  }

  /** Connects and takes the baseline under a cancellable notification; nothing is left behind when that fails. */
  static async start(deps: RecordingDeps, target: LiveTarget, options: RecordingOptions = {}): Promise<LiveRecording> {
    const key = growthKey(`${++recordings} ${target.key}`);
    const log = deps.store.log;
    const files = await RecordingFiles.create(deps.filesRoot);
    const engine = deps.store.createEngine();
    let lease: SessionLease | undefined;
    let memory: MonitorUse | undefined;
    try {
      log.info(`recording growth of ${target.label}`);
      const request = { key, title: `recording growth of ${target.label}: snapshot 1`, alreadyRunning: `Growth of ${target.label} is already being recorded.` };
      const baseline = await runCancellably(deps.store, request, async (context) => {
        context.report(0, 'connecting…');
        const connecting = deps.targets.lease(target);
        // A connection that opens after Cancel is let go at once.
        void connecting.then(
          (opened) => {
            if (context.signal.aborted) void opened.release();
          },
          () => undefined,
        );
        lease = await log.time('connect', () => connecting);
        context.checkCancel();
        if (options.allocationStacks) {
          context.report(0, 'starting allocation tracking…');
          // From before the baseline: every object allocated since has its stack.
          await log.time('start allocation tracking', () => lease!.session.startAllocationTracking());
          context.checkCancel();
        }
        // The chart from before the baseline, so every snapshot of the recording is marked on it.
        memory = await deps.monitors.use(target).catch((error: unknown) => {
          log.info(`no memory chart: ${describeError(error)}`);
          return undefined;
        });
        await engine.recordGrowth();
        return capture({ session: lease.session, engine, files, target, log, context, index: 1 });
      });
      const recording = new LiveRecording(deps, key, target, lease!, engine, files);
      recording.added(baseline);
      if (memory) recording.showMemory(memory);
      return recording;
    } catch (error) {
      memory?.release();
      if (lease?.session.trackingAllocations && lease.shared) await lease.session.stopAllocationTracking().catch(() => undefined);
      void lease?.release();
      void engine.terminate();
      void files.dispose();
      throw error;
    }
  }

  get count(): number {
    return this.taken.length;
  }

  get isRecording(): boolean {
    return this.state === 'recording';
  }

  get isTaking(): boolean {
    return this.taking;
  }

  get isReleased(): boolean {
    return this.state === 'released';
  }

  get report(): GrowthReport | null {
    return this.currentReport;
  }

  get memory(): MemorySeries | null {
    return this.memoryUse?.monitor.toJSON() ?? this.lastMemory;
  }

  /** Is V8 recording allocation stacks for this recording? */
  get trackingAllocations(): boolean {
    return this.state === 'recording' && this.session.trackingAllocations;
  }

  async pin(className: string, pinned: boolean): Promise<void> {
    const monitor = this.memoryUse?.monitor;
    if (this.state !== 'recording' || !monitor?.running) throw new UserFacingError('Classes can be pinned while the recording runs.');
    if (!pinned) return monitor.unpin(className);
    const prototypeId = await this.latest().engine.prototypeIdOfClass(className);
    if (prototypeId === null) throw new UserFacingError(`The instances of ${className} share no prototype object to count them by.`);
    monitor.pin(className, { prototypeId });
  }

  watch(ids: number[], label: string): Promise<{ alive: number; collected: number }> {
    if (this.state !== 'recording') throw new UserFacingError('The recording stopped, and its inspector session with it: the snapshot ids are gone. Record again to watch objects.');
    return this.deps.watch(this.target, ids, label);
  }

  get source(): GrowthSource {
    return {
      label: this.target.label,
      recording: this.state === 'recording',
      snapshots: this.taken.length,
      canSave: this.state !== 'released' && this.taken.length > 0 && this.taken.every((snapshot) => snapshot.file !== null),
    };
  }

  latest(): KeptSnapshot {
    if (this.state === 'released') throw new UserFacingError('The snapshots of this recording were released; record again to explore their paths.');
    if (this.taking) throw new UserFacingError(`Snapshot ${this.count + 1} of ${this.target.label} is being taken; its paths are there once it is ready.`);
    if (this.latestGone) throw new UserFacingError(this.latestGone);
    const snapshot = this.deps.store.get(this.key);
    if (!snapshot) throw new UserFacingError('The snapshots of this recording were released; record again to explore their paths.');
    return snapshot;
  }

  async takeNext(): Promise<void> {
    if (this.state !== 'recording') throw new UserFacingError(`The recording of ${this.target.label} has stopped; run "Retainer Graph: Record Growth…" to start another.`);
    const index = this.count + 1;
    if (this.taking) throw new UserFacingError(`Snapshot ${index} of ${this.target.label} is still being taken; wait for it, or cancel it.`);
    this.taking = true;
    this.stateChanged.fire();
    this.changed.fire({ type: 'busy', message: `Taking snapshot ${index} of ${this.target.label}…` });
    let taken: Captured;
    try {
      const request = { key: this.key, title: `snapshot ${index} of ${this.target.label}`, alreadyRunning: `Snapshot ${index} of ${this.target.label} is already being taken.` };
      const { session, engine, files, target } = this;
      taken = await runCancellably(this.deps.store, request, (context) => capture({ session, engine, files, target, log: this.deps.store.log, context, index }));
    } catch (error) {
      await this.failed(index, error);
      throw error;
    } finally {
      this.taking = false;
      this.stateChanged.fire();
    }
    this.added(taken);
    try {
      this.currentReport = await this.deps.store.log.time('growth report', () => this.engine.growthReport());
    } catch (error) {
      this.changed.fire({ type: 'error', message: describeError(error) });
      throw error;
    }
    if (this.currentReport) this.changed.fire({ type: 'report', source: this.source, report: this.currentReport });
    this.deps.store.log.mark('growth report');
    void this.fillRetainedSizes(index);
  }

  /**
   * Stops recording; the process is left as found. Asked while a snapshot is
   * being taken, that snapshot is cancelled (which stops the recording).
   */
  async stop(reason?: string): Promise<void> {
    if (this.state !== 'recording') return;
    if (this.taking) {
      this.deps.store.cancelCapture(this.key);
      return;
    }
    this.state = 'stopped';
    await this.letGo();
    this.deps.store.log.info(`stopped recording ${this.target.label} after ${this.count} snapshots`);
    this.stateChanged.fire();
    this.changed.fire({ type: 'source', source: this.source });
    if (reason) this.deps.messages.info(reason);
    if (!this.viewOpen) this.dispose();
  }

  save(): Promise<void> {
    return this.saveTo(undefined).then(() => undefined);
  }

  /** Copies the snapshots taken so far into `folder` (asked for when not given). */
  async saveTo(folder: string | undefined): Promise<{ folder: string; files: string[] }> {
    if (this.state === 'released') throw new UserFacingError('The snapshots of this recording were released; there is nothing left to save.');
    const files = this.taken.map((snapshot) => snapshot.file);
    const missing = files.indexOf(null);
    if (missing >= 0) throw new UserFacingError(`Snapshot ${missing + 1} could not be written to disk while it was taken, so this recording cannot be saved.`);
    if (folder === undefined) {
      const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: workspace,
        openLabel: 'Save Snapshots Here',
        title: `Save the ${files.length} snapshots of ${this.target.label}`,
      });
      if (!picked?.length) throw new UserCancelled();
      folder = picked[0].fsPath;
    }
    const target = folder;
    const stem = `heap-${timestamp(this.startedAt)}`;
    let saved: string[];
    try {
      saved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Retainer Graph: saving ${files.length} snapshots…` }, () =>
        RecordingFiles.save(files as string[], target, stem),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UserFacingError(`${target} already has snapshots named ${stem}-…; pick another folder.`);
      throw error;
    }
    this.deps.messages.info(`Saved ${saved.length} snapshots of ${this.target.label} to ${target}; "Compare Heap Snapshots" compares them again later.`);
    return { folder: target, files: saved };
  }

  viewOpened(): void {
    this.viewOpen = true;
  }

  viewClosed(): void {
    this.viewOpen = false;
    if (this.state === 'stopped') this.dispose();
  }

  /** Releases everything: the session (if still recording), the worker, the files. */
  override dispose(): void {
    if (this.state === 'released') return;
    const wasRecording = this.state === 'recording';
    this.state = 'released';
    if (wasRecording) {
      void this.letGo();
      this.deps.store.cancelCapture(this.key);
    }
    this.deps.store.release(this.key);
    void this.engine.terminate();
    void this.files.dispose();
    this.deps.store.log.info(`released the recording of ${this.target.label}`);
    this.stateChanged.fire();
    this.changed.fire({ type: 'source', source: this.source });
    this.changed.fire({ type: 'error', message: 'The snapshots of this recording were released; the report stays as it was.' });
    super.dispose();
  }

  /**
   * Leaves the process as found. Releasing the last lease closes the
   * connection, which is the cleanup (V8 disables our profiler, forgets its
   * ids and stops allocation tracking; js-debug's session is untouched). While
   * the memory chart or a watch still uses the connection, allocation
   * tracking is stopped here instead.
   */
  private async letGo(): Promise<void> {
    this.releaseMemory();
    if (this.session.trackingAllocations && this.lease.shared) await this.session.stopAllocationTracking().catch(() => undefined);
    await this.lease.release();
  }

  /** The target's memory chart in the Growth view, from the baseline on (a chart that could not start is left out). */
  private showMemory(use: MonitorUse): void {
    if (this.state !== 'recording') return use.release();
    this.memoryUse = use;
    this._register(use.monitor.onDidChange(() => this.changed.fire({ type: 'memory', series: use.monitor.toJSON() })));
  }

  private releaseMemory(): void {
    const use = this.memoryUse;
    if (!use) return;
    this.memoryUse = undefined;
    use.release();
    this.lastMemory = use.monitor.toJSON();
    this.changed.fire({ type: 'memory', series: this.lastMemory });
  }

  /** A snapshot is in: it is the latest, kept for paths and single-object graphs. */
  private added({ summary, file }: Captured): void {
    const at = new Date();
    this.taken.push({ file, at });
    this.latestGone = undefined;
    this.deps.store.keep({ key: this.key, label: this.target.label, engine: this.engine, summary, takenAt: at });
    this.stateChanged.fire();
    if (this.taken.length === 1) void this.fillRetainedSizes(1);
  }

  /**
   * Retained sizes in the worker's background, then the report again with
   * them. Under way when the next snapshot begins, they are finished first,
   * so older snapshots carry them too.
   */
  private async fillRetainedSizes(count: number): Promise<void> {
    try {
      await this.engine.computeRetainedSizes();
      if (count < 2 || this.count !== count || this.taking || this.state === 'released') return;
      const report = await this.engine.growthReport();
      if (!report || this.count !== count || this.taking || this.isReleased) return;
      this.currentReport = report;
      this.changed.fire({ type: 'report', source: this.source, report });
    } catch {
      // Sizes are a bonus: the report without them stays correct.
    }
  }

  /** Snapshot `index` failed or was cancelled: the one before it is read back, and the recording stops. */
  private async failed(index: number, error: unknown): Promise<void> {
    const previous = this.taken.at(-1);
    const why = isCancellation(error) ? `snapshot ${index} was cancelled` : `snapshot ${index} failed (${describeError(error).replace(/\.$/, '')})`;
    if (this.state !== 'released') {
      this.changed.fire({ type: 'busy', message: `Reading snapshot ${index - 1} back…` });
      try {
        // Beginning snapshot `index` digested and dropped the graph of the one before.
        if (!previous?.file) throw new Error('not on disk');
        await this.deps.store.log.time(`read snapshot ${index - 1} back`, () => this.engine.restorePrevious(previous.file!));
      } catch {
        await this.engine.abortSnapshot().catch(() => undefined);
        this.latestGone = `Snapshot ${index - 1}'s graph was set aside for snapshot ${index}, which did not complete; its figures are in the report, but paths need a new recording.`;
      }
    }
    this.taking = false;
    await this.stop(`Stopped recording ${this.target.label} after ${this.count} snapshot${this.count === 1 ? '' : 's'}: ${why}.${this.count >= 2 ? ' The Growth view keeps what was recorded.' : ''}`);
  }
}

interface Captured {
  summary: SnapshotSummary;
  /** Its copy on disk, or null when writing it failed. */
  file: string | null;
}

/** One snapshot of the recording: streamed into the engine and, as it arrives, to its file. */
async function capture({
  session,
  engine,
  files,
  target,
  log,
  context,
  index,
}: {
  session: InspectorSession;
  engine: EngineClient;
  files: RecordingFiles;
  target: LiveTarget;
  log: SnapshotStore['log'];
  context: ProgressContext;
  index: number;
}): Promise<Captured> {
  const writer = files.writer(index);
  try {
    const { summary } = await streamSnapshot(session, [], target.label, { ...context, engine }, log, { name: `snapshot ${index}`, onChunk: (chunk) => writer.write(chunk) });
    return { summary, file: await writer.finish() };
  } catch (error) {
    void writer.discard();
    throw error;
  }
}

/** `2026-11-30-103105`, local time: sorts as the recordings were made. */
function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
