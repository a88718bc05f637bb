/**
 * The heap graph: a parsed snapshot indexed for retainer questions.
 * `build()` reads as a table of contents, one named phase per step.
 */
import { DEFAULT_WALK_OPTIONS, type ClassSummary, type EdgeRef, type NodeDetails, type Walk, type WalkNode, type WalkOptions } from '../protocol/walk';
import type { HeapSnapshotData, SizeArray } from './snapshotData';
import { EphemeronEdges, typeCodes, type TypeCodes } from './edgeTypes';
import { IdIndex } from './idIndex';
import { RetainerIndex, type RetainerRows } from './retainerIndex';
import { computeDistances } from './distances';
import { NodeNames } from './nodeNames';
import { GraphCore } from './graphCore';
import { RootClassifier } from './roots';
import { EdgeLabels } from './edgeLabels';
import { NodeViews } from './nodeViews';
import { walkRetainers, type WalkContext } from './retainerWalk';
import { UnknownObjectError } from './unknownObjectError';
import { dominatorSteps, NO_DOMINATOR, type DominatorTree } from './dominators';
import { classRetainedSizeSteps } from './classRetainedSizes';
import { shallowSizeSteps } from './shallowSizes';

export type BuildProgress = (phase: string, done: number, total: number) => void;

/** What another thread can compute from the parsed columns (src/loading/buildGraph.ts). */
export interface IndexedElsewhere {
  retainerRows: Promise<RetainerRows>;
  /** Shallow sizes; computed here on first use when absent or failed. */
  shallowSizes?: Promise<SizeArray>;
  /** The dominator tree over those shallow sizes; retainedSizesTask computes it when absent or failed. */
  dominatorTree?: Promise<DominatorTree>;
}

interface ForwardIndexes {
  data: HeapSnapshotData;
  codes: TypeCodes;
  ids: IdIndex;
  ephemerons: EphemeronEdges;
  distances: Uint32Array;
}

export class HeapGraph {
  /** Distances recomputed for the last set of ignored edges (DevTools does the same). */
  private ignoredCache: { key: string; edges: Set<number>; distances: Uint32Array } | null = null;
  private classSummaries: ClassSummary[] | null = null;
  private dominatorTree: DominatorTree | null = null;
  /** A dominator tree another thread is computing (IndexedElsewhere), until `retainedSizesElsewhere` adopts it. */
  private treeElsewhere: Promise<DominatorTree | null> | null = null;
  private adoptedTree: DominatorTree | null = null;

  private constructor(
    readonly data: HeapSnapshotData,
    private readonly ids: IdIndex,
    private readonly core: GraphCore,
    private readonly views: NodeViews,
  ) {}

  static build(data: HeapSnapshotData, onProgress?: BuildProgress): HeapGraph {
    const report = onProgress ?? ((): void => {});
    const codes = typeCodes(data);
    const ids = HeapGraph.indexIds(data, report);
    const forward = HeapGraph.indexForward(data, codes, ids, report);
    report('retainer index', 0, data.edgeCount);
    const retainers = new RetainerIndex(data);
    report('retainer index', data.edgeCount, data.edgeCount);
    return HeapGraph.assemble(forward, retainers);
  }

  /**
   * build() with the indexes that need only the edges computed elsewhere
   * (another thread) meanwhile: the id index and the distances, built here,
   * do not need the retainer index.
   */
  static async buildWith(data: HeapSnapshotData, elsewhere: IndexedElsewhere, onProgress?: BuildProgress): Promise<HeapGraph> {
    const report = onProgress ?? ((): void => {});
    const codes = typeCodes(data);
    const ids = HeapGraph.indexIds(data, report);
    const forward = HeapGraph.indexForward(data, codes, ids, report);
    report('retainer index', 0, data.edgeCount);
    const retainers = new RetainerIndex(data, await elsewhere.retainerRows);
    report('retainer index', data.edgeCount, data.edgeCount);
    const graph = HeapGraph.assemble(forward, retainers);
    graph.views.shallowSizes = (await elsewhere.shallowSizes?.catch(() => null)) ?? null;
    graph.treeElsewhere = elsewhere.dominatorTree?.catch(() => null) ?? null;
    return graph;
  }

  private static indexIds(data: HeapSnapshotData, report: BuildProgress): IdIndex {
    report('id index', 0, data.nodeCount);
    const ids = new IdIndex(data.nodeIds);
    report('id index', data.nodeCount, data.nodeCount);
    return ids;
  }

  /** The phases that follow edges forwards: distances (WeakMap entries recognised on the way). */
  private static indexForward(data: HeapSnapshotData, codes: TypeCodes, ids: IdIndex, report: BuildProgress): ForwardIndexes {
    const ephemerons = new EphemeronEdges(data, codes);
    report('distances', 0, data.nodeCount);
    const distances = computeDistances(data, codes, ephemerons, null, (done, total) => report('distances', done, total));
    return { data, codes, ids, ephemerons, distances };
  }

  private static assemble({ data, codes, ids, ephemerons, distances }: ForwardIndexes, retainers: RetainerIndex): HeapGraph {
    // Roots and labels are classified lazily, per walked node.
    const core = new GraphCore(data, codes, new NodeNames(data, codes), retainers, ephemerons, distances, ids);
    const roots = new RootClassifier(core);
    const views = new NodeViews(core, roots, new EdgeLabels(core, roots));
    return new HeapGraph(data, ids, core, views);
  }

  get nodeCount(): number {
    return this.data.nodeCount;
  }

  /** Have retained sizes been computed (walks, details and instances carry them)? */
  get hasRetainedSizes(): boolean {
    return this.dominatorTree !== null;
  }

  /**
   * Dominator tree and retained sizes (phase "dominators"), per node and
   * per class, as DevTools computes them. Not part of `build()`: it costs
   * more than parse and index together (~9 s CPU at 15 M nodes), and the
   * first walk does not need it. Afterwards every WalkNode has its `retainedSize`.
   */
  computeRetainedSizes(onProgress?: BuildProgress): void {
    const steps = this.retainedSizesTask(onProgress);
    while (!steps.next().done);
  }

  /**
   * Waits for a dominator tree another thread was computing (buildWith's
   * `dominatorTree`), if any: retainedSizesTask then only groups it by class.
   * Resolves at once when there is none; never rejects.
   */
  async retainedSizesElsewhere(): Promise<void> {
    const tree = await this.treeElsewhere;
    this.treeElsewhere = null;
    if (tree && this.views.shallowSizes) this.adoptedTree = tree;
  }

  /** The same in slices (each `next()` ~65 k iterations), for a worker that keeps answering calls meanwhile. */
  *retainedSizesTask(onProgress?: BuildProgress): Generator<void, void, void> {
    if (this.dominatorTree) return;
    const { data, codes, ephemerons } = this.core;
    const report = onProgress ?? ((): void => {});
    if (!this.views.shallowSizes) this.views.shallowSizes = yield* shallowSizeSteps(data, codes);
    const shallow = this.views.shallowSizes;
    const tree = this.adoptedTree ?? (yield* dominatorSteps(data, codes, ephemerons, shallow, (done, total) => report('dominators', done, total)));
    this.adoptedTree = null;
    // Per class too, here in slices rather than on the next `classes()` call (~1.5 s at 15 M nodes).
    const { rows, classOf } = this.groupClasses(true);
    yield;
    const retained = yield* classRetainedSizeSteps(tree, shallow, rows.length + 1, classOf ?? new Uint32Array(0));
    rows.forEach((row, i) => (row.retainedSize = retained[i]));
    this.dominatorTree = tree;
    this.views.retainedSizes = tree.retainedSizes;
    this.classSummaries = sortClasses(rows);
  }

  /**
   * Shallow sizes as DevTools shows them (shallowSizes.ts), computed on first
   * use: walks, details and the class list all report them.
   */
  private shallowSizes(): SizeArray {
    if (!this.views.shallowSizes) {
      const steps = shallowSizeSteps(this.data, this.core.codes);
      let step = steps.next();
      while (!step.done) step = steps.next();
      this.views.shallowSizes = step.value;
    }
    return this.views.shallowSizes;
  }

  /**
   * Every node's figures at once, indexed by nodeOrdinal, for bulk readers
   * (exports, cross-checks): distances as DevTools stores them (nodes only
   * the GC roots reach offset by SYSTEM_DISTANCE, UNREACHABLE for the rest),
   * shallow sizes, and, once `computeRetainedSizes` ran, retained sizes and
   * dominators (NO_DOMINATOR for the root).
   */
  nodeFigures(): { distances: Uint32Array; shallowSizes: SizeArray; retainedSizes: Float64Array | null; dominators: Uint32Array | null } {
    return {
      distances: this.core.distances,
      shallowSizes: this.shallowSizes(),
      retainedSizes: this.dominatorTree?.retainedSizes ?? null,
      dominators: this.dominatorTree?.dominators ?? null,
    };
  }

  /** Snapshot id of the immediate dominator of `id` (the root for what no root reaches); null for the root, or before `computeRetainedSizes`. */
  dominatorOf(id: number): number | null {
    const ordinal = this.requireOrdinal(id);
    const dominator = this.dominatorTree?.dominators[ordinal] ?? NO_DOMINATOR;
    return dominator === NO_DOMINATOR ? null : this.data.nodeIds[dominator];
  }

  /** nodeOrdinal for a snapshot id, or -1. */
  ordinalOf(id: number): number {
    return this.ids.ordinalOf(id);
  }

  /**
   * Instances grouped by class name (DevTools' summary view), largest total
   * self size first; with `retainedSize` per class once retained sizes were computed.
   */
  classes(): ClassSummary[] {
    if (!this.classSummaries) this.classSummaries = sortClasses(this.groupClasses(false).rows);
    return this.classSummaries;
  }

  /**
   * One row per class name, in first-seen order; with `classOf` (nodeOrdinal
   * → row; the root → rows.length, a row of its own) when asked.
   */
  private groupClasses(withClassOf: boolean): { rows: ClassSummary[]; classOf: Uint32Array | null } {
    const { nodeCount, nodeTypes, nodeNames } = this.data;
    const sizes = this.shallowSizes();
    // Objects group by their name's string index, every other node by its
    // type (keys strings.length + type): count in flat arrays, decode each
    // distinct name once at the end.
    const stringCount = this.data.strings.length;
    const keyCount = stringCount + this.data.nodeTypeNames.length;
    const count = new Uint32Array(keyCount);
    const size = new Float64Array(keyCount);
    const first = new Int32Array(keyCount).fill(-1);
    const isNamed = this.namedTypes();
    const keyOf = (ordinal: number): number => {
      const type = nodeTypes[ordinal];
      return isNamed[type] === 1 ? nodeNames[ordinal] : stringCount + type;
    };
    // As in DevTools' summary, a node whose shallow size is 0 (a store its
    // owner's size includes) is not an instance of its own.
    for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
      if (sizes[ordinal] === 0) continue;
      const key = keyOf(ordinal);
      count[key]++;
      size[key] += sizes[ordinal];
      if (first[key] < 0) first[key] = ordinal;
    }
    // Several keys can share a class name (string, concatenated and sliced
    // strings are all "(string)"): rows are per name, `rowOfKey` maps keys to rows.
    const rows: ClassSummary[] = [];
    const rowOfName = new Map<string, number>();
    const rowOfKey = new Uint32Array(keyCount);
    first.forEach((ordinal, key) => {
      if (ordinal < 0) return;
      const name = this.core.names.className(ordinal);
      let row = rowOfName.get(name);
      if (row === undefined) {
        row = rows.push({ name, count: 0, selfSize: 0 }) - 1;
        rowOfName.set(name, row);
      }
      rows[row].count += count[key];
      rows[row].selfSize += size[key];
      rowOfKey[key] = row;
    });
    if (!withClassOf) return { rows, classOf: null };
    const classOf = new Uint32Array(nodeCount);
    classOf[0] = rows.length;
    for (let ordinal = 1; ordinal < nodeCount; ordinal++) classOf[ordinal] = rowOfKey[keyOf(ordinal)];
    return { rows, classOf };
  }

  /** Instances of a class (as `classes()` names and counts them), closest to a root first, unreachable last. */
  instances(className: string, limit = Infinity): WalkNode[] {
    const { nodeCount, nodeTypes, nodeNames } = this.data;
    const distances = this.core.distances;
    const sizes = this.shallowSizes();
    const isNamed = this.namedTypes();
    // 0 = not decided yet, 1 = this class, 2 = another class.
    const nameMatches = new Uint8Array(this.data.strings.length);
    const typeMatches = new Uint8Array(this.data.nodeTypeNames.length);
    const found: number[] = [];
    for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
      if (sizes[ordinal] === 0) continue;
      const type = nodeTypes[ordinal];
      const cache = isNamed[type] === 1 ? nameMatches : typeMatches;
      const key = isNamed[type] === 1 ? nodeNames[ordinal] : type;
      let match = cache[key];
      if (match === 0) {
        match = this.core.names.className(ordinal) === className ? 1 : 2;
        cache[key] = match;
      }
      if (match === 1) found.push(ordinal);
    }
    found.sort((a, b) => distances[a] - distances[b] || a - b);
    return found.slice(0, limit).map((ordinal) => this.views.node(ordinal, 0, distances));
  }

  /** Node types whose class name is their own name (objects, natives), as a type → 1 table. */
  private namedTypes(): Uint8Array {
    const flags = new Uint8Array(this.data.nodeTypeNames.length);
    for (const name of ['object', 'native']) {
      const type = this.data.nodeTypeNames.indexOf(name);
      if (type >= 0) flags[type] = 1;
    }
    return flags;
  }

  /** The retainer walk from `targetId` (objgraph's show_backrefs). Throws UnknownObjectError. */
  walk(targetId: number, options?: Partial<WalkOptions>): Walk {
    const target = this.requireOrdinal(targetId);
    this.shallowSizes();
    const merged: WalkOptions = { ...DEFAULT_WALK_OPTIONS, ...options };
    return walkRetainers(this.context(merged.ignoredEdges), target, merged);
  }

  /**
   * Everything the details pane shows: the node and its retainers, strong
   * before weak, closest to a root first. Views are built for the first
   * `limit` only (a prototype can have a million retainers); `totalRetainers` counts all.
   */
  details(id: number, limit = 1000): NodeDetails {
    const ordinal = this.requireOrdinal(id);
    this.shallowSizes();
    const { core, views } = this;
    const distances = core.distances;
    const rows = core.retainersOf(ordinal).map(({ edgeIndex, holder }) => ({ edgeIndex, holder, strong: core.isStrong(edgeIndex), distance: distances[holder] }));
    rows.sort((a, b) => Number(b.strong) - Number(a.strong) || a.distance - b.distance);
    const retainers = rows.slice(0, limit).map(({ edgeIndex, holder }) => {
      const entry = views.edgeLabels.collectionEntry(edgeIndex, holder);
      const shownHolder = entry ? entry.owner : holder;
      return { edge: views.edge(edgeIndex, shownHolder, ordinal, entry?.label), node: views.node(shownHolder, 1, distances) };
    });
    return { node: views.node(ordinal, 0, distances, true), retainers, totalRetainers: rows.length };
  }

  private requireOrdinal(id: number): number {
    const ordinal = this.ids.ordinalOf(id);
    if (ordinal < 0) throw new UnknownObjectError(id);
    return ordinal;
  }

  private context(ignoredEdges: EdgeRef[] | undefined): WalkContext {
    const base = { core: this.core, views: this.views };
    if (!ignoredEdges || ignoredEdges.length === 0) return { ...base, distances: this.core.distances, ignored: new Set() };
    const key = JSON.stringify(ignoredEdges.map((e) => [e.from, e.to, e.name]).sort());
    if (this.ignoredCache?.key !== key) {
      const edges = this.resolveEdges(ignoredEdges);
      const mask = new Uint8Array(this.data.edgeCount);
      for (const e of edges) mask[e] = 1;
      const distances = computeDistances(this.data, this.core.codes, this.core.ephemerons, mask);
      this.ignoredCache = { key, edges, distances };
    }
    return { ...base, distances: this.ignoredCache.distances, ignored: this.ignoredCache.edges };
  }

  /** Edge refs → edge indexes; `from` may name the Map for an entry of its backing table. */
  private resolveEdges(refs: EdgeRef[]): Set<number> {
    const result = new Set<number>();
    const ids = this.data.nodeIds;
    for (const ref of refs) {
      const to = this.ids.ordinalOf(ref.to);
      if (to < 0) continue;
      for (const { edgeIndex, holder } of this.core.retainersOf(to)) {
        if (this.core.edgeName(edgeIndex) !== ref.name) continue;
        const owner = this.views.edgeLabels.collectionEntry(edgeIndex, holder)?.owner ?? holder;
        if (ids[holder] === ref.from || ids[owner] === ref.from) result.add(edgeIndex);
      }
    }
    return result;
  }
}


/** Largest total self size first, then by name. */
function sortClasses(rows: ClassSummary[]): ClassSummary[] {
  return rows.sort((a, b) => b.selfSize - a.selfSize || a.name.localeCompare(b.name));
}
