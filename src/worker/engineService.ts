/**
 * The engine behind the worker boundary: holds at most one snapshot (the last
 * one taken of a target) and answers `EngineApi` calls against it. Plain
 * TypeScript over the engine and loading modules, so tests can call it
 * directly without a worker thread.
 */
import type { EngineApi, EngineProgress, InstanceList, RetainedSizesSummary, SnapshotSummary } from '../protocol/engineApi';
import { NO_SNAPSHOT_ERROR } from '../protocol/engineApi';
import type { HeapGraph } from '../engine/heapGraph';
import { SnapshotParser } from '../engine/parser';
import type { ClassSummary, NodeDetails, Walk, WalkOptions } from '../protocol/walk';
import { buildGraph, type LoadedSnapshot } from '../loading/buildGraph';
import { readSnapshotFile } from '../loading/readSnapshotFile';
import { defaultHelperScript } from '../loading/helperThread';

/** How long one run of dominator slices may hold the thread before queued calls are answered. */
const RETAINED_SIZES_SLICE_MS = 30;
/** Retained sizes always follow the first walk: the helper thread starts on the dominators at load. */
const INDEXING = { retainedSizes: true };

export class NoSnapshotError extends Error {
  override name = NO_SNAPSHOT_ERROR;
  constructor() {
    super('No heap snapshot is loaded; take a new snapshot first.');
  }
}

export class EngineService implements EngineApi {
  private parser: SnapshotParser | undefined;
  private parseError: unknown;
  private graph: HeapGraph | undefined;
  private totalSize = 0;
  private lastProgressAt = 0;
  private retainedSizes: { graph: HeapGraph; done: Promise<RetainedSizesSummary> } | undefined;

  /** `helperScript`: the second thread of a load (dist/helper.js next to this bundle by default; null: one thread). */
  constructor(
    private readonly emitProgress: (progress: EngineProgress) => void,
    private readonly helperScript: string | null = defaultHelperScript(),
  ) {}

  async beginSnapshot(): Promise<void> {
    this.dropGraph();
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
      throw error;
    }
  }

  async endSnapshot(): Promise<SnapshotSummary> {
    const parser = this.parser;
    this.parser = undefined;
    if (!parser) throw new NoSnapshotError();
    if (this.parseError !== undefined) throw this.parseError;
    const started = Date.now();
    return this.index({ data: parser.end() }, started);
  }

  async loadFile(path: string): Promise<SnapshotSummary> {
    this.dropGraph();
    this.parser = undefined;
    const started = Date.now();
    const loaded = await readSnapshotFile(path, { onProgress: (p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes }), helperScript: this.helperScript, ...INDEXING });
    return this.index(loaded, started);
  }

  async hasObject(id: number): Promise<boolean> {
    return this.requireGraph().ordinalOf(id) >= 0;
  }

  async classes(): Promise<ClassSummary[]> {
    return this.requireGraph().classes();
  }

  async instances(name: string, limit: number): Promise<InstanceList> {
    const graph = this.requireGraph();
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
    this.parser = undefined;
    await this.dropGraph();
  }

  /** Forgets the snapshot; the helper thread stops what it still computes for it (the dominator tree). */
  private dropGraph(): Promise<void> {
    const stopped = this.graph?.stopWorkElsewhere() ?? Promise.resolve();
    this.graph = undefined;
    this.retainedSizes = undefined;
    return stopped;
  }

  private async index(loaded: LoadedSnapshot, started: number): Promise<SnapshotSummary> {
    const { data } = loaded;
    this.emitProgress({ phase: 'index', fraction: 0 });
    this.graph = await buildGraph(loaded, (_phase, done, total) => this.throttledProgress({ phase: 'index', fraction: total > 0 ? done / total : 0 }), this.helperScript, INDEXING);
    let totalSize = 0;
    const sizes = data.nodeSelfSizes;
    for (let i = 0; i < sizes.length; i++) totalSize += sizes[i];
    this.totalSize = totalSize;
    return { nodeCount: data.nodeCount, edgeCount: data.edgeCount, totalSize: this.totalSize, elapsedMs: Date.now() - started };
  }

  /**
   * Once the dominator tree the helper thread was computing has arrived (or
   * failed), runs the graph's retained sizes task (the tree, if it still has
   * to be computed here, and the per-class sizes) in ~30 ms runs of slices, yielding to the
   * event loop in between (setImmediate) so walks and details asked meanwhile
   * are answered. Once per graph; a newer snapshot stops it.
   */
  private startRetainedSizes(graph: HeapGraph): Promise<RetainedSizesSummary> {
    if (this.retainedSizes?.graph === graph) return this.retainedSizes.done;
    const started = Date.now();
    const done = graph.retainedSizesElsewhere().then(() => new Promise<RetainedSizesSummary>((resolve, reject) => {
      const task = graph.retainedSizesTask();
      const run = (): void => {
        if (this.graph !== graph) return reject(new NoSnapshotError());
        try {
          const until = Date.now() + RETAINED_SIZES_SLICE_MS;
          while (Date.now() < until) {
            if (task.next().done) return resolve({ elapsedMs: Date.now() - started });
          }
        } catch (error) {
          return reject(error);
        }
        setImmediate(run);
      };
      setImmediate(run);
    }));
    this.retainedSizes = { graph, done };
    return done;
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
    this.emitProgress(progress);
  }
}
