/**
 * The extension host's handle on one engine worker. Each target (a process,
 * a debug session, a file) gets its own worker, so cancelling or ending one
 * terminates its thread and hands all of its memory back at once.
 */
import { Worker } from 'node:worker_threads';
import type { EngineApi, EngineEvent, EngineProgress, FromEngine, InstanceList, MergedPathsOptions, RetainedSizesSummary, SeriesSummary, SnapshotSummary, ToEngine } from '../../protocol/engineApi';
import type { GrowthReport, MergedPaths } from '../../protocol/growth';
import type { PathsScope } from '../../protocol/growthView';
import { RpcClient, type RemoteError } from '../../protocol/rpc';
import type { ClassSummary, NodeDetails, Walk, WalkDirection, WalkOptions } from '../../protocol/walk';

/** The worker is gone: `cancelled` when we terminated it (Cancel, release), else it failed or exited. */
export class EngineStoppedError extends Error {
  override name = 'EngineStoppedError';
  constructor(
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

export class EngineClient {
  private readonly worker: Worker;
  private readonly rpc: RpcClient<EngineApi, EngineEvent>;
  private progressListener: ((progress: EngineProgress) => void) | undefined;
  private chunksRejectedListener: ((error: RemoteError) => void) | undefined;
  private completeListener: (() => void) | undefined;
  private stopped = false;
  private terminating = false;

  constructor(workerPath: string) {
    // A GB heap's columns need room beyond the default young/old limits.
    this.worker = new Worker(workerPath, { resourceLimits: { maxOldGenerationSizeMb: 16_384 } });
    this.rpc = new RpcClient<EngineApi, EngineEvent>((message: ToEngine) => this.worker.postMessage(message), {
      onEvent: (event) => {
        if (event.type === 'progress') this.progressListener?.(event.progress);
        else this.completeListener?.();
      },
      onNotificationFailed: (method, error) => {
        if (method === 'addChunk') this.chunksRejectedListener?.(error);
      },
    });
    this.worker.on('message', (message: FromEngine) => this.rpc.receive(message));
    this.worker.on('error', (error) => this.rpc.dispose(new EngineStoppedError(`The heap engine failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      this.stopped = true;
      this.rpc.dispose(this.terminating ? new EngineStoppedError('Cancelled.', true) : new EngineStoppedError(`The heap engine stopped (exit code ${code}).`));
    });
    this.worker.unref();
  }

  get isStopped(): boolean {
    return this.stopped || this.rpc.closed;
  }

  /** Progress of the next load (parse, then index). */
  onProgress(listener: ((progress: EngineProgress) => void) | undefined): void {
    this.progressListener = listener;
  }

  /**
   * Called as soon as the engine rejects a chunk (the stream is not a heap
   * snapshot it can parse): every later chunk is wasted, so the capture can
   * stop at once. `endSnapshot` rejects with the same error.
   */
  onChunksRejected(listener: ((error: RemoteError) => void) | undefined): void {
    this.chunksRejectedListener = listener;
  }

  /** Called when the snapshot being received has been read to its end (V8 may not have replied yet). */
  onSnapshotComplete(listener: (() => void) | undefined): void {
    this.completeListener = listener;
  }

  beginSnapshot(name?: string): Promise<void> {
    return this.rpc.call('beginSnapshot', name);
  }
  addChunk(chunk: string): void {
    this.rpc.notify('addChunk', chunk);
  }
  endSnapshot(): Promise<SnapshotSummary> {
    return this.rpc.call('endSnapshot');
  }
  loadFile(path: string): Promise<SnapshotSummary> {
    return this.rpc.call('loadFile', path);
  }
  abortSnapshot(): Promise<void> {
    return this.rpc.call('abortSnapshot');
  }
  recordGrowth(): Promise<void> {
    return this.rpc.call('recordGrowth');
  }
  loadSeries(paths: string[]): Promise<SeriesSummary> {
    return this.rpc.call('loadSeries', paths);
  }
  restorePrevious(path: string): Promise<SnapshotSummary> {
    return this.rpc.call('restorePrevious', path);
  }
  growthReport(): Promise<GrowthReport | null> {
    return this.rpc.call('growthReport');
  }
  mergedPaths(className: string, scope: PathsScope, options: MergedPathsOptions = {}): Promise<MergedPaths> {
    return this.rpc.call('mergedPaths', className, scope, options);
  }
  mergedPathIds(className: string, scope: PathsScope, groupIndex: number, options: MergedPathsOptions = {}): Promise<number[]> {
    return this.rpc.call('mergedPathIds', className, scope, groupIndex, options);
  }
  prototypeIdOfClass(className: string): Promise<number | null> {
    return this.rpc.call('prototypeIdOfClass', className);
  }
  hasObject(id: number): Promise<boolean> {
    return this.rpc.call('hasObject', id);
  }
  classes(): Promise<ClassSummary[]> {
    return this.rpc.call('classes');
  }
  instances(name: string, limit: number): Promise<InstanceList> {
    return this.rpc.call('instances', name, limit);
  }
  walk(target: number, options: WalkOptions): Promise<Walk> {
    return this.rpc.call('walk', target, options);
  }
  references(target: number, options: WalkOptions): Promise<Walk> {
    return this.rpc.call('references', target, options);
  }
  /** A walk in the direction `walk.direction` names: re-walks keep the way they go. */
  walkLike(direction: WalkDirection | undefined, target: number, options: WalkOptions): Promise<Walk> {
    return direction === 'references' ? this.references(target, options) : this.walk(target, options);
  }
  details(id: number): Promise<NodeDetails> {
    return this.rpc.call('details', id);
  }
  /** Resolves when retained sizes are ready (the worker starts them after the first walk). */
  computeRetainedSizes(): Promise<RetainedSizesSummary> {
    return this.rpc.call('computeRetainedSizes');
  }

  /** Stop the thread now: pending calls reject, the snapshot's memory is freed. */
  async terminate(): Promise<void> {
    if (this.stopped) return;
    this.terminating = true;
    this.rpc.dispose(new EngineStoppedError('Cancelled.', true));
    await this.worker.terminate();
    this.stopped = true;
  }
}
