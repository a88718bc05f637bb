/**
 * The engine behind the worker boundary: holds at most one snapshot graph
 * (the last one taken of a target) and answers `EngineApi` calls against it.
 * Asked to record growth, it also keeps a GrowthRecording: each new snapshot
 * digests the graph before it (per-class figures, collections, the first
 * one's ids) before that graph is dropped, so a long recording holds one
 * graph and a few bytes a node of the first snapshot. Plain TypeScript over
 * the engine and loading modules, so tests can call it directly without a
 * worker thread.
 */
import type { EngineApi, EngineEvent, EngineProgress, InstanceList, MergedPathsOptions, RetainedSizesSummary, SeriesSummary, SnapshotSummary } from '../protocol/engineApi';
import { NO_SNAPSHOT_ERROR, UNKNOWN_CLASS_ERROR } from '../protocol/engineApi';
import type { GrowthReport, MergedPaths } from '../protocol/growth';
import type { PathsScope } from '../protocol/growthView';
import type { HeapGraph } from '../engine/heapGraph';
import { SnapshotParser } from '../engine/parser';
import { GrowthRecording, maxObjectId, mergedPathsOfClass } from '../engine/index';
import type { HeapSnapshotData } from '../engine/snapshotData';
import type { ClassSummary, NodeDetails, Walk, WalkOptions } from '../protocol/walk';
import { buildGraph, type IndexingOptions, type LoadedSnapshot } from '../loading/buildGraph';
import { StreamIndexing } from '../loading/streamIndexing';
import { readSnapshotFile } from '../loading/readSnapshotFile';
import { defaultHelperScript } from '../loading/helperThread';

/** How long one run of dominator slices may hold the thread before queued calls are answered. */
const RETAINED_SIZES_SLICE_MS = 30;

export class NoSnapshotError extends Error {
  override name = NO_SNAPSHOT_ERROR;
  constructor() {
    super('No heap snapshot is loaded; take a new snapshot first.');
  }
}

export class UnknownClassError extends Error {
  override name = UNKNOWN_CLASS_ERROR;
  constructor(className: string) {
    super(`The last snapshot has no objects of class ${className}.`);
  }
}

/** A snapshot replaced while it was being indexed (a newer load or a restore came first). */
class SupersededError extends Error {
  override name = 'SupersededError';
  constructor() {
    super('the snapshot was replaced before it was ready');
  }
}

interface RetainedSizesRun {
  graph: HeapGraph;
  /** Created once the helper thread's dominator tree has arrived (or failed), or when a recording finishes the run at once. */
  task: Generator<void, void, void> | undefined;
  finished: boolean;
  done: Promise<RetainedSizesSummary>;
}

export class EngineService implements EngineApi {
  private parser: SnapshotParser | undefined;
  private parseError: unknown;
  /** The end of the parse and the indexes, started as soon as the parser read the snapshot's closing '}'. */
  private finishing: Promise<SnapshotSummary> | undefined;
  /** Indexes of the snapshot being received, begun once its nodes and edges were read; `finish` takes them. */
  private streamIndexing: StreamIndexing | undefined;
  private graph: HeapGraph | undefined;
  /** How the growth report names `graph`. */
  private graphName = 'snapshot';
  /** Bumped by every load, so an index that finishes after a newer load is dropped. */
  private generation = 0;
  private recording: GrowthRecording | undefined;
  /** Is `graph` a later snapshot of the recording's first one's process (for merged paths of new objects)? */
  private identity: { graph: HeapGraph; sameProcess: boolean } | undefined;
  private lastProgressAt = 0;
  private retainedSizes: RetainedSizesRun | undefined;

  /** `helperScript`: the second thread of a load (dist/helper.js next to this bundle by default; null: one thread). */
  constructor(
    private readonly emit: (event: EngineEvent) => void,
    private readonly helperScript: string | null = defaultHelperScript(),
  ) {}

  async beginSnapshot(name = 'snapshot'): Promise<void> {
    // Synchronous up to here: chunks posted right behind this call find the parser.
    this.dropGraph();
    this.graphName = name;
    this.parseError = undefined;
    // Shared edge columns let buildGraph index them on a second thread.
    this.parser = new SnapshotParser({ onProgress: (p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes }), sharedEdges: true });
  }

  addChunk(chunk: string): void {
    if (!this.parser || this.parseError !== undefined) return;
    try {
      this.parser.write(chunk);
    } catch (error) {
      // Keep the first error for endSnapshot, and report it now (the caller can stop V8);
      // the rest of the stream is meaningless after it.
      this.parseError = error;
      this.stopStreamIndexing();
      throw error;
    }
    if (!this.finishing) this.streamIndexing ??= StreamIndexing.startWhenReady(this.parser, this.helperScript);
    // V8 answers the snapshot request only after it has cleaned up (seconds at 1 GB, after the
    // last chunk): the indexes start now, endSnapshot waits for them, and the client may go on.
    if (!this.finishing && this.parser.complete) {
      this.emit({ type: 'snapshotComplete' });
      this.finishing = this.finish(this.parser);
    }
  }

  async endSnapshot(): Promise<SnapshotSummary> {
    const parser = this.parser;
    const finishing = this.finishing;
    this.parser = undefined;
    this.finishing = undefined;
    if (!parser) throw new NoSnapshotError();
    if (this.parseError !== undefined) {
      // Bytes after the closing '}': the graph indexed meanwhile is not of a valid snapshot.
      if (finishing) {
        this.generation++;
        await finishing.catch(() => undefined);
        void this.graph?.stopWorkElsewhere();
        this.graph = undefined;
      }
      throw this.parseError;
    }
    return finishing ?? this.finish(parser);
  }

  async abortSnapshot(): Promise<void> {
    this.dropStream();
    this.parseError = undefined;
    this.generation++;
  }

  private finish(parser: SnapshotParser): Promise<SnapshotSummary> {
    const started = Date.now();
    const ahead = this.streamIndexing;
    this.streamIndexing = undefined;
    const finished = (async () => {
      let data: HeapSnapshotData;
      try {
        data = parser.end();
      } catch (error) {
        void ahead?.stop();
        throw error;
      }
      const indexing = this.indexing({ live: true });
      return this.index(ahead ? ahead.loaded(data, indexing) : { data }, started, indexing);
    })();
    finished.catch(() => undefined); // endSnapshot reports it
    return finished;
  }

  /** Forget the snapshot being received, and what was indexed of it ahead. */
  private dropStream(): void {
    this.parser = undefined;
    this.finishing = undefined;
    this.stopStreamIndexing();
  }

  private stopStreamIndexing(): void {
    void this.streamIndexing?.stop();
    this.streamIndexing = undefined;
  }

  async loadFile(path: string): Promise<SnapshotSummary> {
    this.dropGraph();
    this.graphName = path;
    const started = Date.now();
    const generation = this.generation;
    const loaded = await readSnapshotFile(path, { onProgress: (p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes }), helperScript: this.helperScript, ...this.indexing() });
    if (generation !== this.generation) {
      // No graph will be built: its helper would wait for one.
      void loaded.indexing?.stop?.();
      throw new SupersededError();
    }
    return this.index(loaded, started);
  }

  async recordGrowth(): Promise<void> {
    this.recording = new GrowthRecording();
    this.identity = undefined;
  }

  /**
   * Each file is read once, without the edge indexes only a graph needs; the
   * newest so far is held as parsed data, every other one digested at once.
   * So the order the files come in costs nothing but, when it is wrong, two
   * parsed snapshots in memory for a moment; only the newest is built into a graph.
   */
  async loadSeries(paths: string[]): Promise<SeriesSummary> {
    this.dropGraph();
    this.recording = undefined;
    const recording = new GrowthRecording();
    const started = Date.now();
    const generation = this.generation;
    let newest: { data: HeapSnapshotData; file: string; maxObjectId: number } | undefined;
    for (const path of paths) {
      const { data } = await readSnapshotFile(path, { indexEdges: false, onProgress: (p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes, file: path }) });
      if (generation !== this.generation) throw new SupersededError();
      const highest = maxObjectId(data.nodeIds);
      if (newest && highest <= newest.maxObjectId) {
        recording.insert(data, path);
        continue;
      }
      if (newest) recording.insert(newest.data, newest.file);
      newest = { data, file: path, maxObjectId: highest };
    }
    if (!newest) throw new Error('a series needs at least one snapshot file');
    this.recording = recording;
    this.graphName = newest.file;
    const summary = await this.index({ data: newest.data }, started);
    return { ...summary, order: [...recording.files(), newest.file] };
  }

  async restorePrevious(path: string): Promise<SnapshotSummary> {
    this.dropStream();
    this.parseError = undefined;
    const recording = this.recording;
    // The snapshot that failed digested its predecessor: take that digest back out, and its graph from disk.
    const name = recording?.removeLast();
    this.recording = undefined;
    try {
      return await this.loadFile(path);
    } finally {
      this.recording = recording;
      this.graphName = name ?? path;
    }
  }

  async growthReport(): Promise<GrowthReport | null> {
    const recording = this.recording;
    if (!recording || recording.size === 0) return null;
    const graph = this.requireGraph();
    const report = await recording.report(graph, this.graphName);
    this.identity = { graph, sameProcess: report.sameProcess };
    return report;
  }

  async mergedPaths(className: string, scope: PathsScope, options: MergedPathsOptions = {}): Promise<MergedPaths> {
    return this.merge(className, scope, options);
  }

  async mergedPathIds(className: string, scope: PathsScope, groupIndex: number, options: MergedPathsOptions = {}): Promise<number[]> {
    const paths = await this.merge(className, scope, options, true);
    const group = paths.groups[groupIndex];
    if (!group) throw new Error(`the merged paths of ${className} have no group ${groupIndex + 1}`);
    return group.exampleIds;
  }

  async prototypeIdOfClass(className: string): Promise<number | null> {
    return this.requireGraph().prototypeIdOfClass(className);
  }

  private async merge(className: string, scope: PathsScope, options: MergedPathsOptions, allIds = false): Promise<MergedPaths> {
    const graph = this.requireGraph();
    const byAllocationSite = options.byAllocationSite === true && graph.hasAllocationStacks;
    let newSince: MergedPaths['newSince'] = null;
    if (scope === 'new') {
      const baseline = this.recording?.baseline;
      if (!this.recording || !baseline) throw new Error('objects are new only against an older snapshot of the same process, and there is none here; ask for all instances instead');
      if (this.identity?.graph !== graph) this.identity = { graph, sameProcess: this.recording.identityOf(graph).sameProcess };
      if (!this.identity.sameProcess) throw new Error('the snapshots are not of one process (their object ids disagree), so no object can be told new; ask for all instances instead');
      newSince = baseline;
    }
    const paths = mergedPathsOfClass(graph, className, newSince, { byAllocationSite, allIds });
    if (!paths) throw new UnknownClassError(className);
    return paths;
  }

  async hasObject(id: number): Promise<boolean> {
    return this.requireGraph().ordinalOf(id) >= 0;
  }

  async classes(): Promise<ClassSummary[]> {
    return this.requireGraph().classes();
  }

  async instances(name: string, limit: number): Promise<InstanceList> {
    const graph = this.requireGraph();
    // What tells the instances apart in a list: the path that reaches each, its name-like field.
    const nodes = graph.instances(name, limit).map((node) => ({ ...node, ...graph.instanceHint(node.id) }));
    const total = graph.classes().find((c) => c.name === name)?.count ?? nodes.length;
    return { name, total, nodes };
  }

  async walk(target: number, options: WalkOptions): Promise<Walk> {
    const graph = this.requireGraph();
    const walk = graph.walk(target, options);
    // Retained sizes start once this answer is posted, so the first graph is not delayed.
    void this.startRetainedSizes(graph).catch(() => undefined);
    return walk;
  }

  async references(target: number, options: WalkOptions): Promise<Walk> {
    const graph = this.requireGraph();
    const walk = graph.references(target, options);
    void this.startRetainedSizes(graph).catch(() => undefined);
    return walk;
  }

  computeRetainedSizes(): Promise<RetainedSizesSummary> {
    return this.startRetainedSizes(this.requireGraph());
  }

  async details(id: number): Promise<NodeDetails> {
    return this.requireGraph().details(id);
  }

  async dispose(): Promise<void> {
    this.recording = undefined;
    await this.dropGraph();
  }

  /**
   * Lets go of the graph held, digesting it first in a recording. Retained
   * sizes already under way are finished first, so every snapshot of the
   * recording has them; in a live recording this runs while V8 is still
   * writing the next snapshot (most of its time passes before the first chunk).
   * The helper thread stops what it still computes for the graph (the
   * dominator tree): what a recording still needs is finished here.
   */
  private dropGraph(): Promise<void> {
    this.generation++;
    this.dropStream();
    const graph = this.graph;
    this.graph = undefined;
    this.identity = undefined;
    const stopped = graph?.stopWorkElsewhere() ?? Promise.resolve();
    if (graph && this.recording) {
      this.finishRetainedSizes(graph);
      this.recording.add(graph, this.graphName);
    }
    this.retainedSizes = undefined;
    return stopped;
  }

  /** `indexing` is what the helper computes when `loaded` brings no indexes of its own. */
  private async index(loaded: LoadedSnapshot, started: number, indexing = this.indexing()): Promise<SnapshotSummary> {
    const { data } = loaded;
    const generation = this.generation;
    this.emit({ type: 'progress', progress: { phase: 'index', fraction: 0 } });
    const graph = await buildGraph(loaded, (_phase, done, total) => this.throttledProgress({ phase: 'index', fraction: total > 0 ? done / total : 0 }), this.helperScript, indexing);
    if (generation !== this.generation) {
      void graph.stopWorkElsewhere();
      throw new SupersededError();
    }
    this.graph = graph;
    let totalSize = 0;
    const sizes = data.nodeSelfSizes;
    for (let i = 0; i < sizes.length; i++) totalSize += sizes[i];
    return { nodeCount: data.nodeCount, edgeCount: data.edgeCount, totalSize, elapsedMs: Date.now() - started };
  }

  /**
   * Once the dominator tree the helper thread was computing has arrived (or
   * failed), runs the graph's retained sizes task (the tree, if it still has
   * to be computed here, and the per-class sizes) in ~30 ms runs of slices,
   * yielding to the event loop in between (setImmediate) so walks and details
   * asked meanwhile are answered. Once per graph; a newer snapshot stops it
   * (or, in a recording, finishes it at once: finishRetainedSizes).
   */
  private startRetainedSizes(graph: HeapGraph): Promise<RetainedSizesSummary> {
    if (this.retainedSizes?.graph === graph) return this.retainedSizes.done;
    const started = Date.now();
    const run: RetainedSizesRun = { graph, task: undefined, finished: false, done: Promise.resolve({ elapsedMs: 0 }) };
    run.done = graph.retainedSizesElsewhere().then(() => new Promise<RetainedSizesSummary>((resolve, reject) => {
      const slice = (): void => {
        if (run.finished) return resolve({ elapsedMs: Date.now() - started });
        if (this.graph !== graph) return reject(new NoSnapshotError());
        const task = (run.task ??= graph.retainedSizesTask());
        try {
          const until = Date.now() + RETAINED_SIZES_SLICE_MS;
          while (Date.now() < until) {
            if (task.next().done) {
              run.finished = true;
              return resolve({ elapsedMs: Date.now() - started });
            }
          }
        } catch (error) {
          return reject(error);
        }
        setImmediate(slice);
      };
      setImmediate(slice);
    }));
    this.retainedSizes = run;
    return run.done;
  }

  private finishRetainedSizes(graph: HeapGraph): void {
    const run = this.retainedSizes;
    if (run?.graph !== graph || run.finished) return;
    const task = (run.task ??= graph.retainedSizesTask());
    while (!task.next().done);
    run.finished = true;
  }

  /**
   * What the helper thread computes for a graph: the dominator tree (retained
   * sizes always follow the first walk; for a live capture, only once asked),
   * and in a recording the growth report's collections.
   */
  private indexing({ live = false } = {}): IndexingOptions {
    return { retainedSizes: true, collections: this.recording !== undefined, treeWhenAsked: live };
  }

  private requireGraph(): HeapGraph {
    if (!this.graph) throw new NoSnapshotError();
    return this.graph;
  }

  /** At most ~10 progress events a second: they cross a thread boundary. */
  private throttledProgress(progress: EngineProgress): void {
    const now = Date.now();
    if (now - this.lastProgressAt < 100) return;
    this.lastProgressAt = now;
    this.emit({ type: 'progress', progress });
  }
}
