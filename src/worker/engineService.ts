/**
 * The engine behind the worker boundary: holds at most one snapshot (the last
 * one taken of a target) and answers `EngineApi` calls against it. Pure: the
 * parser, graph builder and file reader are handed in, so tests can call it
 * directly without a worker thread.
 */
import type { EngineApi, EngineProgress, InstanceList, RetainedSizesSummary, SnapshotSummary } from '../protocol/engineApi';
import { NO_SNAPSHOT_ERROR } from '../protocol/engineApi';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';
import type { ClassSummary, NodeDetails, Walk, WalkNode, WalkOptions } from '../protocol/walk';

/** The parts of the streaming parser (brief A) the service uses. */
export interface SnapshotParserLike {
  write(chunk: string | Uint8Array): void;
  end(): HeapSnapshotData | Promise<HeapSnapshotData>;
}

/** The parts of the heap graph (brief B) the service uses. */
export interface HeapGraphLike {
  walk(id: number, options: WalkOptions): Walk;
  classes(): ClassSummary[];
  instances(name: string, limit: number): WalkNode[] | { total: number; nodes: WalkNode[] };
  details(id: number): NodeDetails;
  ordinalOf(id: number): number | undefined | null;
  /** Dominators and retained sizes in slices (each `next()` a few ms); absent in graphs that have none. */
  retainedSizesTask?(): Iterator<void, void>;
}

/** How long one run of dominator slices may hold the thread before queued calls are answered. */
const RETAINED_SIZES_SLICE_MS = 30;

export interface EngineParts {
  createParser(onProgress: (progress: ParseProgress) => void): SnapshotParserLike;
  buildGraph(data: HeapSnapshotData, onProgress: (fraction: number) => void): HeapGraphLike | Promise<HeapGraphLike>;
  readFile(path: string, onProgress: (progress: ParseProgress) => void): Promise<HeapSnapshotData>;
}

export class NoSnapshotError extends Error {
  override name = NO_SNAPSHOT_ERROR;
  constructor() {
    super('No heap snapshot is loaded; take a new snapshot first.');
  }
}

export class EngineService implements EngineApi {
  private parser: SnapshotParserLike | undefined;
  private parseError: unknown;
  private graph: HeapGraphLike | undefined;
  private totalSize = 0;
  private lastProgressAt = 0;
  private retainedSizes: { graph: HeapGraphLike; done: Promise<RetainedSizesSummary> } | undefined;

  constructor(
    private readonly parts: EngineParts,
    private readonly emitProgress: (progress: EngineProgress) => void,
  ) {}

  async beginSnapshot(): Promise<void> {
    this.graph = undefined;
    this.retainedSizes = undefined;
    this.parseError = undefined;
    this.parser = this.parts.createParser((p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes }));
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
    const data = await parser.end();
    return this.index(data, started);
  }

  async loadFile(path: string): Promise<SnapshotSummary> {
    this.graph = undefined;
    this.retainedSizes = undefined;
    this.parser = undefined;
    const started = Date.now();
    const data = await this.parts.readFile(path, (p) => this.throttledProgress({ phase: 'parse', bytes: p.bytes }));
    return this.index(data, started);
  }

  async hasObject(id: number): Promise<boolean> {
    const ordinal = this.requireGraph().ordinalOf(id);
    return ordinal !== undefined && ordinal !== null && ordinal >= 0;
  }

  async classes(): Promise<ClassSummary[]> {
    return this.requireGraph().classes();
  }

  async instances(name: string, limit: number): Promise<InstanceList> {
    const found = this.requireGraph().instances(name, limit);
    if (Array.isArray(found)) {
      const total = this.requireGraph().classes().find((c) => c.name === name)?.count ?? found.length;
      return { name, total, nodes: found };
    }
    return { name, total: found.total, nodes: found.nodes };
  }

  async walk(target: number, options: WalkOptions): Promise<Walk> {
    const graph = this.requireGraph();
    const walk = graph.walk(target, options);
    // Retained sizes start once this answer is posted, so the first graph is not delayed.
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
    this.graph = undefined;
    this.retainedSizes = undefined;
  }

  private async index(data: HeapSnapshotData, started: number): Promise<SnapshotSummary> {
    this.emitProgress({ phase: 'index', fraction: 0 });
    this.graph = await this.parts.buildGraph(data, (fraction) => this.throttledProgress({ phase: 'index', fraction }));
    let totalSize = 0;
    const sizes = data.nodeSelfSizes;
    for (let i = 0; i < sizes.length; i++) totalSize += sizes[i];
    this.totalSize = totalSize;
    return { nodeCount: data.nodeCount, edgeCount: data.edgeCount, totalSize: this.totalSize, elapsedMs: Date.now() - started };
  }

  /**
   * Runs the graph's dominator task in ~30 ms runs of slices, yielding to the
   * event loop in between (setImmediate) so walks and details asked meanwhile
   * are answered. Once per graph; a newer snapshot stops it.
   */
  private startRetainedSizes(graph: HeapGraphLike): Promise<RetainedSizesSummary> {
    if (this.retainedSizes?.graph === graph) return this.retainedSizes.done;
    const task = graph.retainedSizesTask?.();
    const started = Date.now();
    const done = new Promise<RetainedSizesSummary>((resolve, reject) => {
      const run = (): void => {
        if (this.graph !== graph) return reject(new NoSnapshotError());
        try {
          const until = Date.now() + RETAINED_SIZES_SLICE_MS;
          while (Date.now() < until) {
            if (!task || task.next().done) return resolve({ elapsedMs: Date.now() - started });
          }
        } catch (error) {
          return reject(error);
        }
        setImmediate(run);
      };
      setImmediate(run);
    });
    this.retainedSizes = { graph, done };
    return done;
  }

  private requireGraph(): HeapGraphLike {
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
