/**
 * The heap graph: a parsed snapshot indexed for retainer questions.
 * `build()` reads as a table of contents, one named phase per step.
 */
import { DEFAULT_WALK_OPTIONS, type ClassSummary, type EdgeRef, type NodeDetails, type Walk, type WalkNode, type WalkOptions } from '../protocol/walk';
import type { AllocationSiteCount, AllocationStack } from '../protocol/allocations';
import type { HeapSnapshotData, SizeArray } from './snapshotData';
import { findEphemerons, typeCodes, type EphemeronEdges, type TypeCodes } from './edgeTypes';
import { IdIndex } from './idIndex';
import { RetainerIndex, type RetainerRows } from './retainerIndex';
import { computeDistances } from './distances';
import { NodeNames } from './nodeNames';
import { detachedNativeNodes } from './detachedness';
import { GraphCore } from './graphCore';
import { RootClassifier } from './roots';
import { CodeScopes, findProcessObject } from './codeScopes';
import { EsModules } from './esModules';
import { EdgeLabels } from './edgeLabels';
import { NodeViews, sortedLocationRows } from './nodeViews';
import { walkRetainers, type WalkContext } from './retainerWalk';
import { walkReferences } from './referenceWalk';
import { instanceHint, type InstanceHint } from './instanceHints';
import { UnknownObjectError } from './unknownObjectError';
import { dominatorSteps, NO_DOMINATOR, type DominatorTree, type FirstPass, type TreeInputs } from './dominators';
import { classRetainedSizeSteps } from './classRetainedSizes';
import { shallowSizeSteps } from './shallowSizes';
import { groupClasses, ordinalsOfClass, type ClassRows } from './classGroups';
import { AllocationStacks } from './allocationStacks';
import type { CollectionTable } from './growth/digest';

/** Each node's class row, as `HeapGraph.classIndex()` returns it. */
export interface ClassIndex {
  /** Count and shallow size per row (no retained size). */
  rows: ClassSummary[];
  names: string[];
  /** nodeOrdinal → row in `names`; `names.length` for the synthetic root and for nodes that are no instance (shallow size 0). */
  classOf: ClassRows;
}

/** See `HeapGraph.analysisContext()`. */
export interface AnalysisContext {
  walk: WalkContext;
  dominators: DominatorTree | null;
}

export type BuildProgress = (phase: string, done: number, total: number) => void;

/** What another thread can compute from the parsed columns (src/loading/buildGraph.ts). */
export interface IndexedElsewhere {
  retainerRows: Promise<RetainerRows>;
  /** This thread's share of building them (counting and filling part of the edges), when the other thread lets it join. */
  joinRetainerRows?: () => Promise<void>;
  /**
   * nodeCount + 1 entries of shared memory, lent in turn: to the distances'
   * queue, to joinRetainerRows' counts, then to the other thread's dominator
   * tree (TreeInputs.countsMemory), each done with it before the next begins.
   */
  scratch?: Uint32Array;
  /** Shallow sizes; computed here on first use when absent or failed. */
  shallowSizes?: Promise<SizeArray>;
  /** The dominator tree over those shallow sizes; retainedSizesTask computes it when absent or failed. */
  dominatorTree?: Promise<DominatorTree>;
  /** Lets the other thread begin `dominatorTree`, when it waits to be asked. */
  startDominatorTree?: () => void;
  /**
   * Gives the other thread what `dominatorTree` waits for from this graph
   * (its WeakMap values, the distances' first pass). buildWith calls it, or
   * `stop` if the build fails first.
   */
  treeInputsFound?: (inputs: TreeInputs) => void;
  /** The collection table a growth digest needs (without retained sizes); scanned here when absent or failed. */
  collections?: Promise<CollectionTable>;
  /** Stops the other thread: what it has not sent yet rejects (and is computed here if asked for). */
  stop?: () => Promise<void>;
}

interface ForwardIndexes {
  data: HeapSnapshotData;
  codes: TypeCodes;
  ephemerons: EphemeronEdges;
  distances: Uint32Array;
  /** DistanceOptions.skippedByFirstPass. */
  skipped: number[];
}

export class HeapGraph {
  /** Distances recomputed for the last set of ignored edges (DevTools does the same). */
  private ignoredCache: { key: string; edges: Set<number>; distances: Uint32Array } | null = null;
  private classSummaries: ClassSummary[] | null = null;
  private dominatorTree: DominatorTree | null = null;
  /** A dominator tree another thread is computing (IndexedElsewhere), until `retainedSizesElsewhere` adopts it. */
  private treeElsewhere: Promise<DominatorTree | null> | null = null;
  private adoptedTree: DominatorTree | null = null;
  /** Classes grouped while another thread computes the tree (retainedSizesElsewhere), until retainedSizesTask takes them. */
  private classGrouping: { rows: ClassSummary[]; classOf: ClassRows | null } | null = null;
  private stopElsewhere: (() => Promise<void>) | null = null;
  private startTreeElsewhere: (() => void) | null = null;
  private collectionsElsewhere: Promise<CollectionTable | null> | null = null;
  private adoptedCollections: CollectionTable | null = null;
  private allocations: AllocationStacks | null = null;

  private constructor(
    readonly data: HeapSnapshotData,
    private readonly ids: IdIndex,
    private readonly core: GraphCore,
    private readonly views: NodeViews,
    /** What the dominator tree's page objects follow from. */
    private readonly firstPass: FirstPass,
  ) {}

  static build(data: HeapSnapshotData, onProgress?: BuildProgress): HeapGraph {
    const report = onProgress ?? ((): void => {});
    const codes = typeCodes(data);
    const ids = HeapGraph.indexIds(data, report);
    const forward = HeapGraph.indexForward(data, codes, ids, report);
    report('retainer index', 0, data.edgeCount);
    const retainers = new RetainerIndex(data);
    report('retainer index', data.edgeCount, data.edgeCount);
    return HeapGraph.assemble(forward, ids, retainers);
  }

  /**
   * build() with the indexes that need only the edges computed elsewhere
   * (another thread) meanwhile: the id index and the distances, built here,
   * do not need the retainer index. `idsElsewhere`: the id index, when
   * another thread builds it too.
   */
  static async buildWith(data: HeapSnapshotData, elsewhere: IndexedElsewhere, onProgress?: BuildProgress, idsElsewhere?: Promise<IdIndex>): Promise<HeapGraph> {
    try {
      return await HeapGraph.assembleWith(data, elsewhere, onProgress, idsElsewhere);
    } catch (error) {
      // Nothing will ask the other thread for more (its tree waits for this graph's WeakMap values).
      void elsewhere.stop?.();
      throw error;
    }
  }

  private static async assembleWith(data: HeapSnapshotData, elsewhere: IndexedElsewhere, onProgress?: BuildProgress, idsElsewhere?: Promise<IdIndex>): Promise<HeapGraph> {
    const report = onProgress ?? ((): void => {});
    const codes = typeCodes(data);
    // The other thread sorts the ids first: they are there, or nearly, by the time the parse ends.
    const ids = idsElsewhere ? await idsElsewhere : HeapGraph.indexIds(data, report);
    // Shared: the other thread's dominator tree starts from them.
    const forward = HeapGraph.indexForward(data, codes, ids, report, (bytes) => new SharedArrayBuffer(bytes), elsewhere.scratch);
    // Counts this thread's share of the rows now; fills it once the other thread has summed the counts.
    const joined = elsewhere.joinRetainerRows?.();
    // What the first walk needs besides the rows, while the other thread is still busy: source locations in node order, Node's `process`.
    const locationOrder = sortedLocationRows(data.locations);
    const processObject = findProcessObject(data, codes);
    report('retainer index', 0, data.edgeCount);
    await joined;
    const retainers = new RetainerIndex(data, await elsewhere.retainerRows);
    report('retainer index', data.edgeCount, data.edgeCount);
    const graph = HeapGraph.assemble(forward, ids, retainers, locationOrder, processObject);
    elsewhere.treeInputsFound?.({ weakMapValues: forward.ephemerons.values, firstPass: graph.firstPass, retainerRows: { firstRetainerIndexes: retainers.firstRetainerIndexes, retainingEdges: retainers.retainingEdges }, countsMemory: elsewhere.scratch });
    graph.views.shallowSizes = (await elsewhere.shallowSizes?.catch(() => null)) ?? null;
    graph.treeElsewhere = elsewhere.dominatorTree?.catch(() => null) ?? null;
    graph.startTreeElsewhere = elsewhere.startDominatorTree ?? null;
    graph.collectionsElsewhere = elsewhere.collections?.catch(() => null) ?? null;
    graph.stopElsewhere = elsewhere.stop ?? null;
    return graph;
  }

  private static indexIds(data: HeapSnapshotData, report: BuildProgress): IdIndex {
    report('id index', 0, data.nodeCount);
    const ids = new IdIndex(data.nodeIds);
    report('id index', data.nodeCount, data.nodeCount);
    return ids;
  }

  /** The phases that follow edges forwards: distances (WeakMap entries recognised on the way). */
  private static indexForward(data: HeapSnapshotData, codes: TypeCodes, ids: IdIndex, report: BuildProgress, allocate?: (bytes: number) => ArrayBufferLike, queue?: Uint32Array): ForwardIndexes {
    const ephemerons = findEphemerons(data, codes, ids);
    report('distances', 0, data.nodeCount);
    const skipped: number[] = [];
    const distances = computeDistances(data, codes, ephemerons, null, (done, total) => report('distances', done, total), { allocate, skippedByFirstPass: skipped, queue });
    return { data, codes, ephemerons, distances, skipped };
  }

  private static assemble({ data, codes, ephemerons, distances, skipped }: ForwardIndexes, ids: IdIndex, retainers: RetainerIndex, locationOrder: Uint32Array | null = null, processObject?: number): HeapGraph {
    // Roots and labels are classified lazily, per walked node.
    // A scan of the detachedness column (and of the native nodes it marks): names must agree with DevTools from the start.
    const core = new GraphCore(data, codes, new NodeNames(data, codes, detachedNativeNodes(data)), retainers, ephemerons, distances, ids);
    const scopes = new CodeScopes(core, processObject);
    const roots = new RootClassifier(core, scopes, new EsModules(core, scopes));
    const views = new NodeViews(core, roots, new EdgeLabels(core, roots), locationOrder);
    const rootRetained = retainers.firstRetainerIndexes[1] > retainers.firstRetainerIndexes[0];
    return new HeapGraph(data, ids, core, views, { distances, skipped, rootRetained });
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
   * `dominatorTree`; started now if it waited to be asked), if any:
   * retainedSizesTask then only groups it by class.
   * Resolves at once when there is none; never rejects.
   */
  async retainedSizesElsewhere(): Promise<void> {
    this.startTreeElsewhere?.();
    const waiting = this.treeElsewhere;
    if (!waiting) return;
    // This thread would only wait: group the classes, which the tree's per-class sizes need next.
    if (this.views.shallowSizes) this.classGrouping ??= this.groupClasses(true);
    const tree = await waiting;
    this.treeElsewhere = null;
    if (tree && this.views.shallowSizes) this.adoptedTree = tree;
  }

  /**
   * Waits for the collection table another thread was computing (buildWith's
   * `collections`), if any: a growth digest of this graph then takes it
   * instead of scanning every node. Resolves at once when there is none; never rejects.
   */
  async collectionsFromElsewhere(): Promise<void> {
    const table = await this.collectionsElsewhere;
    this.collectionsElsewhere = null;
    if (table) this.adoptedCollections = table;
  }

  /** The collection table adopted by collectionsFromElsewhere (no retained sizes), if any. */
  get adoptedCollectionTable(): CollectionTable | null {
    return this.adoptedCollections;
  }

  /**
   * Stops what another thread still computes for this graph (buildWith's
   * `dominatorTree`), for a graph being dropped: that thread would otherwise
   * run on, holding the snapshot's columns, while the next one loads.
   * Retained sizes asked for afterwards are computed here.
   */
  async stopWorkElsewhere(): Promise<void> {
    const stop = this.stopElsewhere;
    this.stopElsewhere = null;
    await stop?.();
  }

  /** The same in slices (each `next()` ~65 k iterations), for a worker that keeps answering calls meanwhile. */
  *retainedSizesTask(onProgress?: BuildProgress): Generator<void, void, void> {
    if (this.dominatorTree) return;
    const { data, codes, ephemerons } = this.core;
    const report = onProgress ?? ((): void => {});
    if (!this.views.shallowSizes) this.views.shallowSizes = yield* shallowSizeSteps(data, codes);
    const shallow = this.views.shallowSizes;
    const tree = this.adoptedTree ?? (yield* dominatorSteps(data, codes, ephemerons, shallow, this.firstPass, { onProgress: (done, total) => report('dominators', done, total), retainerRows: this.core.retainers }));
    this.adoptedTree = null;
    // Per class too, here in slices rather than on the next `classes()` call (~1.5 s at 15 M nodes).
    const { rows, classOf } = this.classGrouping ?? this.groupClasses(true);
    this.classGrouping = null;
    yield;
    const retained = yield* classRetainedSizeSteps(tree, shallow, rows.length + 1, classOf ?? new Uint16Array(0));
    rows.forEach((row, i) => (row.retainedSize = retained[i]));
    // Without its scratch arrays, which the class sizes used up.
    this.dominatorTree = { dominators: tree.dominators, retainedSizes: tree.retainedSizes };
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
  nodeFigures(): { distances: Uint32Array; shallowSizes: SizeArray; retainedSizes: SizeArray | null; dominators: Uint32Array | null } {
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

  /** Every nodeOrdinal, by ascending snapshot id (the id index itself: do not modify). */
  ordinalsById(): Uint32Array {
    return this.ids.ordinalsById;
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
   * Every node's class as `classes()` groups them: `names[classOf[nodeOrdinal]]`
   * (`names.length` for the synthetic root and for stores an owner's shallow
   * size includes). Computed on each call (4 bytes a node); the caller keeps it
   * as long as it needs it.
   */
  classIndex(): ClassIndex {
    const { rows, classOf } = this.groupClasses(true);
    return { rows, names: rows.map((row) => row.name), classOf: classOf! };
  }

  /**
   * What engine analyses kept in their own modules (growth digests, merged
   * paths) build on: the walk's indexes and, once computed, the dominator tree.
   * Not for callers outside the engine.
   */
  analysisContext(): AnalysisContext {
    this.shallowSizes();
    return { walk: this.context(undefined), dominators: this.dominatorTree };
  }

  private groupClasses(withClassOf: boolean): { rows: ClassSummary[]; classOf: ClassRows | null } {
    return groupClasses(this.data, this.core.names, this.shallowSizes(), withClassOf);
  }

  /**
   * Instances of a class (as `classes()` names and counts them), closest to a
   * root first, unreachable last; a prototype V8 counts in the class (`URL`
   * for `URL.prototype`) after every real instance, which is what a user
   * picking "an instance" means.
   */
  instances(className: string, limit = Infinity): WalkNode[] {
    const { core } = this;
    const distances = core.distances;
    const found = ordinalsOfClass(this.data, core.names, this.shallowSizes(), className);
    found.sort((a, b) => distances[a] - distances[b] || a - b);
    // Only as many are checked as the list shows: a class can have a million instances.
    const instances: number[] = [];
    const prototypes: number[] = [];
    for (const ordinal of found) {
      if (instances.length === limit) break;
      (core.isPrototype(ordinal) ? prototypes : instances).push(ordinal);
    }
    return [...instances, ...prototypes].slice(0, limit).map((ordinal) => this.views.node(ordinal, 0, distances));
  }

  /** What tells an instance from the others of its class in a list (instanceHints.ts). */
  instanceHint(id: number): InstanceHint {
    return instanceHint(this.context(undefined), this.requireOrdinal(id));
  }

  /** nodeOrdinals of every instance of a class (as `classes()` names and counts it), in ordinal order. */
  ordinalsOfClass(className: string): number[] {
    return ordinalsOfClass(this.data, this.core.names, this.shallowSizes(), className);
  }

  /** The retainer walk from `targetId` (objgraph's show_backrefs). Throws UnknownObjectError. */
  walk(targetId: number, options?: Partial<WalkOptions>): Walk {
    const target = this.requireOrdinal(targetId);
    this.shallowSizes();
    const merged: WalkOptions = { ...DEFAULT_WALK_OPTIONS, ...options };
    return this.withTargetClass(walkRetainers(this.context(merged.ignoredEdges), target, merged), target);
  }

  /** What `targetId` holds, walked down with the same caps (objgraph's show_refs). Throws UnknownObjectError. */
  references(targetId: number, options?: Partial<WalkOptions>): Walk {
    const target = this.requireOrdinal(targetId);
    this.shallowSizes();
    const merged: WalkOptions = { ...DEFAULT_WALK_OPTIONS, ...options };
    return this.withTargetClass(walkReferences(this.context(merged.ignoredEdges), target, merged), target);
  }

  /** The target's class row, when classes were counted already (counting them costs a pass over the heap the first walk should not wait for). */
  private withTargetClass(walk: Walk, target: number): Walk {
    const name = this.core.names.className(target);
    const row = this.classSummaries?.find((summary) => summary.name === name);
    if (row) walk.targetClass = { ...row };
    return walk;
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
    return { node: views.node(ordinal, 0, distances, true), retainers, totalRetainers: rows.length, allocation: this.allocationStacks().stackOf(ordinal) };
  }

  /** Did V8 record allocation stacks for this snapshot (taken while it tracked allocations)? */
  get hasAllocationStacks(): boolean {
    return this.data.allocationTraces !== undefined;
  }

  /** Where `id` was allocated: its stack, `no-stack`, or `not-recorded` for the whole snapshot. Throws UnknownObjectError. */
  allocationStack(id: number): AllocationStack {
    return this.allocationStacks().stackOf(this.requireOrdinal(id));
  }

  /**
   * Instances of a class (as `classes()` names them) by allocation site, most
   * first, or only those with an id above `newerThan` (allocated after an
   * older snapshot of the process); [] when the snapshot has no stacks.
   */
  allocationSitesOfClass(className: string, newerThan = 0): AllocationSiteCount[] {
    if (!this.hasAllocationStacks) return [];
    const members = this.ordinalsOfClass(className).filter((ordinal) => this.data.nodeIds[ordinal] > newerThan);
    return this.allocationStacks().sitesOf(members, this.shallowSizes(), this.data.nodeIds);
  }

  /**
   * Snapshot id of the prototype most instances of a class share (their
   * `__proto__`), or null when none has one: what a live count of the class
   * (InspectorSession.countInstances, valid in the session that took this
   * snapshot) starts from.
   */
  prototypeIdOfClass(className: string): number | null {
    const { core } = this;
    const votes = new Map<number, number>();
    // A sample decides: the instances of one class share their prototype. A
    // prototype counted in the class (`URL.prototype` is a `URL`) has its own
    // (Object.prototype) and does not vote; with no instance, it is the one.
    const ownPrototypes: number[] = [];
    let sampled = 0;
    for (const ordinal of this.ordinalsOfClass(className)) {
      if (core.isPrototype(ordinal)) {
        ownPrototypes.push(ordinal);
        continue;
      }
      if (++sampled > 1000) break;
      const prototype = core.findEdgeTarget(ordinal, core.codes.edgeProperty, '__proto__');
      if (prototype >= 0) votes.set(prototype, (votes.get(prototype) ?? 0) + 1);
    }
    let best = votes.size === 0 && ownPrototypes.length === 1 ? ownPrototypes[0] : -1;
    for (const [prototype, count] of votes) if (best < 0 || count > (votes.get(best) ?? 0)) best = prototype;
    return best < 0 ? null : this.data.nodeIds[best];
  }

  /** The allocation stacks index (built on first use), for engine analyses; not for callers outside the engine. */
  allocationStacks(): AllocationStacks {
    this.allocations ??= new AllocationStacks(this.data.allocationTraces, this.data.strings, (script) => this.views.roots.scopes.displayPath(script));
    return this.allocations;
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
