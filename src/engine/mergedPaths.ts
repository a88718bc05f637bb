/**
 * Eclipse MAT's "Merge Shortest Paths to GC Roots" for Node heaps: the
 * shortest strong path of every object in a set, as the walk draws it (same
 * start: the module or global nearest the object; Map entries from the Map),
 * merged into a tree from the roots down. Steps merge when they are equal up
 * to Map keys, array indexes and the keys of large dictionaries (`get(*)`,
 * `[*]`); consecutive steps between objects of one class (a linked list, a
 * tree) merge into one step marked repeated.
 *
 * Each graph node is visited once: its place in the tree is memoized, and a
 * node's place is its holder's place extended by one generalized step.
 */
import type { MergedPaths, PathGroup, PathNode, PathTreeNode } from '../protocol/growth';
import type { WalkContext } from './retainerWalk';
import { isSyntheticStart, keepsHolder, shortestPathStep, startsPath, type PathStep } from './retainerWalk';
import { UNREACHABLE } from './distances';
import { Collections, DATA_KEYED_DICTIONARY_SIZE } from './collections';
import { joinAccessPath } from './accessPath';
import { NO_DOMINATOR, type DominatorTree } from './dominators';
import type { HeapGraph } from './heapGraph';
import { isStableId } from './growth/objectIds';
import { NO_SITE, type AllocationStacks } from './allocationStacks';

const EXAMPLES = 5;
/** The tree node standing for all roots. */
const TOP = 0;
const UNKNOWN = -1;
/** The children key of a repeated step (no step label starts with a control character). */
const REPEAT = '\u0001';

interface TrieNode {
  parent: number;
  /** Class name, or root kind and label: what steps must agree on to merge. */
  key: string;
  node: PathNode;
  /** Generalized step labels into this node (several for a repeated step: `.left`, `.right`). */
  edges: string[];
  /** Step label (REPEAT for a repeated step, '' at the top) → node key → child. */
  children: Map<string, Map<string, number>>;
  /** Objects of the set whose path ends here. */
  objects: number;
  selfSize: number;
  examples: number[];
}

export interface MergeRequest {
  /** The set, as nodeOrdinals. */
  members: readonly number[];
  className: string;
  newSince: MergedPaths['newSince'];
  /** Split each group by allocation site (the snapshot must have allocation stacks). */
  byAllocationSite?: AllocationStacks;
  /** Every member's id in `exampleIds`, not just the first few (to watch a whole group). */
  allIds?: boolean;
}

export function mergeShortestPaths(ctx: WalkContext, dominators: DominatorTree | null, request: MergeRequest): MergedPaths {
  const merger = new PathMerger(ctx);
  const { members } = request;
  const { nodeIds, nodeSelfSizes } = ctx.core.data;
  const placed = new Int32Array(members.length);
  const examples = request.allIds ? Infinity : EXAMPLES;
  const unreachable = { count: 0, selfSize: 0, exampleIds: [] as number[] };
  let selfSize = 0;
  members.forEach((member, i) => {
    selfSize += nodeSelfSizes[member];
    if (ctx.distances[member] === UNREACHABLE) {
      placed[i] = UNKNOWN;
      unreachable.count++;
      unreachable.selfSize += nodeSelfSizes[member];
      if (unreachable.exampleIds.length < examples) unreachable.exampleIds.push(nodeIds[member]);
      return;
    }
    const at = merger.placeMember(member);
    placed[i] = at;
    const trieNode = merger.nodes[at];
    trieNode.objects++;
    trieNode.selfSize += nodeSelfSizes[member];
    if (trieNode.examples.length < examples) trieNode.examples.push(nodeIds[member]);
  });
  const parents = Int32Array.from(merger.nodes, (node) => node.parent);
  const retained = dominators ? setRetainedSizes(dominators, members, placed, parents) : null;
  const groups = request.byAllocationSite
    ? groupsBySite(merger.nodes, ctx, dominators, members, placed, request.byAllocationSite, examples)
    : groupsOf(merger.nodes, retained);
  return {
    class: request.className,
    objects: members.length,
    newSince: request.newSince,
    selfSize,
    retainedSize: retained ? retained.total : null,
    groups,
    tree: treeOf(merger.nodes, retained),
    unreachable,
  };
}

class PathMerger {
  readonly nodes: TrieNode[] = [{ parent: -1, key: '', node: { name: '(roots)', label: '(roots)', rootKind: null }, edges: [], children: new Map(), objects: 0, selfSize: 0, examples: [] }];
  /** nodeOrdinal → its place when it is on a path above a member (-1: not yet known). */
  private readonly placeOf: Int32Array;
  private readonly collections: Collections;
  /** Per holder: 0 no dictionary, 1 a dictionary whose keys are shown, 2 one whose keys are data. */
  private readonly dictionaries = new Map<number, number>();

  constructor(private readonly ctx: WalkContext) {
    this.placeOf = new Int32Array(ctx.core.data.nodeCount).fill(UNKNOWN);
    this.collections = new Collections(ctx.core.data, ctx.core.codes);
  }

  /** A member's own place: its holder's place and its own step, where paths above it restart. */
  placeMember(member: number): number {
    const step = shortestPathStep(this.ctx, member);
    if (step === null) return isSyntheticStart(this.ctx, member) ? TOP : this.child(TOP, null, member);
    return this.extend(this.placeAbove(step.holder), step, member);
  }

  /**
   * The place of a node on the path above a member, iteratively (linked
   * lists make paths a million steps long): climb to a node already placed
   * or a start, then place the nodes climbed over on the way down.
   */
  private placeAbove(ordinal: number): number {
    const climbed: number[] = [];
    const steps: PathStep[] = [];
    let place = UNKNOWN;
    for (let node = ordinal; ; ) {
      if (this.placeOf[node] !== UNKNOWN) {
        place = this.placeOf[node];
        break;
      }
      const step = shortestPathStep(this.ctx, node);
      const start = this.startPlace(node, step);
      if (start !== UNKNOWN) {
        this.placeOf[node] = start;
        place = start;
        break;
      }
      climbed.push(node);
      steps.push(step!);
      node = step!.holder;
    }
    for (let i = climbed.length - 1; i >= 0; i--) {
      place = this.extend(place, steps[i], climbed[i]);
      this.placeOf[climbed[i]] = place;
    }
    return place;
  }

  /** Where paths through `node` begin, whatever is above it; UNKNOWN when it is no start. */
  private startPlace(node: number, step: PathStep | null): number {
    if (isSyntheticStart(this.ctx, node)) return TOP;
    if (step === null) return this.child(TOP, null, node);
    // The module or global nearest an object starts its path; keep `globalThis → .appCache`.
    if (startsPath(this.ctx, node)) {
      return keepsHolder(this.ctx, node, step.holder) ? this.child(this.child(TOP, null, step.holder), this.stepLabel(step), node) : this.child(TOP, null, node);
    }
    return UNKNOWN;
  }

  /** `parent` extended by the step into `node`: the start's first step is dropped, and a step between objects of one class repeats. */
  private extend(parent: number, step: PathStep, node: number): number {
    const key = this.keyOf(node);
    if (parent === TOP) return this.child(TOP, null, node, key);
    const label = this.stepLabel(step);
    const above = this.nodes[parent];
    if (above.key !== key) return this.child(parent, label, node, key);
    if (above.node.repeated) {
      if (!above.edges.includes(label)) above.edges.push(label);
      return parent;
    }
    const repeat = this.child(parent, REPEAT, node, key);
    const repeated = this.nodes[repeat];
    repeated.node.repeated = true;
    if (!repeated.edges.includes(label)) repeated.edges.push(label);
    return repeat;
  }

  private child(parent: number, label: string | null, node: number, key = this.keyOf(node)): number {
    const byLabel = this.nodes[parent].children;
    let siblings = byLabel.get(label ?? '');
    if (!siblings) {
      siblings = new Map();
      byLabel.set(label ?? '', siblings);
    }
    let at = siblings.get(key);
    if (at === undefined) {
      at = this.nodes.length;
      const { names } = this.ctx.core;
      const root = this.ctx.views.roots.classify(node);
      const name = names.displayName(node);
      this.nodes.push({
        parent,
        key,
        node: { name, label: root?.label ?? name, rootKind: root?.kind ?? null },
        edges: label === null || label === REPEAT ? [] : [label],
        children: new Map(),
        objects: 0,
        selfSize: 0,
        examples: [],
      });
      siblings.set(key, at);
    }
    return at;
  }

  private keyOf(node: number): string {
    const root = this.ctx.views.roots.classify(node);
    return root ? `${root.kind}\u0000${root.label}` : this.ctx.core.names.displayName(node);
  }

  /** The walk's label for the step, with keys and indexes generalized. */
  private stepLabel(step: PathStep): string {
    const { core, views } = this.ctx;
    const { entry } = step;
    if (entry?.kind) return GENERALIZED_ENTRIES[entry.kind];
    // A WeakMap entry read from its map names its key: one step for all keys.
    if (entry?.ephemeron === 'map') return 'WeakMap entry keyed by *';
    if (entry) return entry.label;
    const type = core.data.edgeTypes[step.edgeIndex];
    if (type === core.codes.edgeElement) return '[*]';
    if (type === core.codes.edgeProperty) {
      const dictionary = this.dictionaryKind(step.holder);
      if (dictionary === 2) return '[*]';
      if (dictionary === 1) return `[${JSON.stringify(core.edgeName(step.edgeIndex))}]`;
    }
    return views.edgeLabels.label(step.edgeIndex, step.holder).replace(/^\[\[(hidden )?\d+\]\]$/, '[[$1*]]');
  }

  /**
   * Properties of a dictionary-mode object read as keys (`_events["flush"]`);
   * past a few dozen entries the keys are data (ids, URLs) and merge (`[*]`).
   * The global object is a dictionary too, but its properties are globals.
   */
  private dictionaryKind(holder: number): number {
    let kind = this.dictionaries.get(holder);
    if (kind === undefined) {
      const shape = this.ctx.views.roots.isGlobalObject(holder) ? null : this.collections.shape(holder);
      kind = !shape?.dictionary ? 0 : shape.entries > DATA_KEYED_DICTIONARY_SIZE ? 2 : 1;
      this.dictionaries.set(holder, kind);
    }
    return kind;
  }
}

/** `get("bot3")` → `get(*)`, `has(Job @12)` → `has(*)`, `key "k"` → `key *`. */
const GENERALIZED_ENTRIES = { get: 'get(*)', has: 'has(*)', key: 'key *' } as const;

/** A repeated step reads as `(.next)+`, `(.left|.right)+`. */
function edgeText(trieNode: TrieNode): string {
  if (trieNode.node.repeated) return `(${trieNode.edges.join('|')})+`;
  return trieNode.edges[0] ?? '';
}

interface SetRetained {
  /** Per trie node: what releasing the members whose path ends there frees. */
  own: Float64Array;
  /** Per trie node: the same for every member at or below it. */
  branch: Float64Array;
  total: number;
}

/**
 * Retained size of a set without counting twice, per group and per branch:
 * a member counts unless another member of the same group (branch) dominates
 * it — DevTools' rule for a class's retained size, with the group as the
 * class. Members are linked to the nearest member dominating them (one climb
 * of the dominator tree, memoized), then that forest is walked depth-first
 * keeping, per tree node, how many members above the current one count for it.
 */
function setRetainedSizes({ dominators, retainedSizes }: DominatorTree, members: readonly number[], placed: Int32Array, parents: Int32Array): SetRetained {
  const nodeCount = dominators.length;
  const memberCount = members.length;
  // nodeOrdinal → index in `members` (-1: not a placed member); a Map would cost more at a million members.
  const memberAt = new Int32Array(nodeCount).fill(-1);
  for (let i = 0; i < memberCount; i++) if (placed[i] !== UNKNOWN) memberAt[members[i]] = i;
  // nearest[node]: index of the nearest member at or above a non-member `node` in the dominator tree, -1 none, -2 unknown.
  const nearest = new Int32Array(nodeCount).fill(-2);
  const parentMember = new Int32Array(memberCount).fill(-1);
  let climbed = new Uint32Array(64);
  for (let i = 0; i < memberCount; i++) {
    if (placed[i] === UNKNOWN) continue;
    let found = -1;
    let top = 0;
    for (let node = dominators[members[i]]; node !== NO_DOMINATOR; node = dominators[node]) {
      if (memberAt[node] >= 0) {
        found = memberAt[node];
        break;
      }
      if (nearest[node] !== -2) {
        found = nearest[node];
        break;
      }
      if (top === climbed.length) {
        const bigger = new Uint32Array(top * 2);
        bigger.set(climbed);
        climbed = bigger;
      }
      climbed[top++] = node;
    }
    for (let k = 0; k < top; k++) nearest[climbed[k]] = found;
    parentMember[i] = found;
  }
  // The member forest as child lists; roots are members no other member dominates.
  const firstChild = new Int32Array(memberCount).fill(-1);
  const nextSibling = new Int32Array(memberCount).fill(-1);
  const roots: number[] = [];
  for (let i = 0; i < memberCount; i++) {
    if (placed[i] === UNKNOWN) continue;
    const parent = parentMember[i];
    if (parent < 0) roots.push(i);
    else {
      nextSibling[i] = firstChild[parent];
      firstChild[parent] = i;
    }
  }
  const own = new Float64Array(parents.length);
  const branch = new Float64Array(parents.length);
  const activeOwn = new Uint32Array(parents.length);
  const activeBranch = new Uint32Array(parents.length);
  const visit = (i: number, delta: 1 | -1) => {
    const at = placed[i];
    if (delta === 1 && activeOwn[at]++ === 0) own[at] += retainedSizes[members[i]];
    if (delta === -1) activeOwn[at]--;
    for (let t = at; t >= 0; t = parents[t]) {
      if (delta === 1 && activeBranch[t]++ === 0) branch[t] += retainedSizes[members[i]];
      if (delta === -1) activeBranch[t]--;
    }
  };
  // Iterative DFS: a member is pushed to enter, then again (as ~i) to leave.
  const stack: number[] = [];
  for (const root of roots) {
    if (firstChild[root] < 0) {
      // No member below it (the usual case): it counts for its group and every branch above, nothing to undo.
      const size = retainedSizes[members[root]];
      if (activeOwn[placed[root]] === 0) own[placed[root]] += size;
      for (let t = placed[root]; t >= 0; t = parents[t]) if (activeBranch[t] === 0) branch[t] += size;
      continue;
    }
    stack.push(root);
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (entry < 0) {
        visit(~entry, -1);
        continue;
      }
      visit(entry, 1);
      stack.push(~entry);
      for (let child = firstChild[entry]; child >= 0; child = nextSibling[child]) stack.push(child);
    }
  }
  return { own, branch, total: branch[TOP] };
}

function groupsOf(nodes: readonly TrieNode[], retained: SetRetained | null): PathGroup[] {
  const groups: PathGroup[] = [];
  nodes.forEach((trieNode, at) => {
    if (trieNode.objects === 0) return;
    groups.push({ ...pathOf(nodes, at), count: trieNode.objects, selfSize: trieNode.selfSize, retainedSize: retained ? retained.own[at] : null, exampleIds: trieNode.examples });
  });
  return sortGroups(groups);
}

/** The path to a tree node: its label, nodes (root first) and steps. */
function pathOf(nodes: readonly TrieNode[], at: number): Pick<PathGroup, 'label' | 'nodes' | 'edges'> {
  const chain: TrieNode[] = [];
  for (let t = at; t > TOP; t = nodes[t].parent) chain.push(nodes[t]);
  chain.reverse();
  const pathNodes = chain.map((n) => n.node);
  const edges = chain.slice(1).map(edgeText);
  return { label: joinAccessPath(pathNodes, edges), nodes: pathNodes, edges };
}

function sortGroups(groups: PathGroup[]): PathGroup[] {
  return groups.sort((a, b) => b.count - a.count || (b.retainedSize ?? 0) - (a.retainedSize ?? 0) || a.label.localeCompare(b.label) || (a.allocationSite?.label ?? '').localeCompare(b.allocationSite?.label ?? ''));
}

/**
 * The groups split by allocation site: one per path and site. A split
 * group's retained size counts its members no other member of the same split
 * group dominates (the same rule, the split group as the set).
 */
function groupsBySite(nodes: readonly TrieNode[], ctx: WalkContext, dominators: DominatorTree | null, members: readonly number[], placed: Int32Array, stacks: AllocationStacks, examples = EXAMPLES): PathGroup[] {
  const { nodeIds, nodeSelfSizes } = ctx.core.data;
  const splitOf = new Int32Array(members.length).fill(UNKNOWN);
  const splits: { at: number; site: number; count: number; selfSize: number; exampleIds: number[] }[] = [];
  const byKey = new Map<string, number>();
  members.forEach((member, i) => {
    const at = placed[i];
    if (at === UNKNOWN) return;
    const site = stacks.siteOf(member);
    const key = `${at}:${site}`;
    let split = byKey.get(key);
    if (split === undefined) {
      split = splits.length;
      splits.push({ at, site, count: 0, selfSize: 0, exampleIds: [] });
      byKey.set(key, split);
    }
    splitOf[i] = split;
    const row = splits[split];
    row.count++;
    row.selfSize += nodeSelfSizes[member];
    if (row.exampleIds.length < examples) row.exampleIds.push(nodeIds[member]);
  });
  const retained = dominators ? setRetainedSizes(dominators, members, splitOf, new Int32Array(splits.length).fill(-1)) : null;
  const paths = new Map<number, Pick<PathGroup, 'label' | 'nodes' | 'edges'>>();
  return sortGroups(
    splits.map((split, k) => {
      let path = paths.get(split.at);
      if (!path) {
        path = pathOf(nodes, split.at);
        paths.set(split.at, path);
      }
      return {
        ...path,
        count: split.count,
        selfSize: split.selfSize,
        retainedSize: retained ? retained.own[k] : null,
        exampleIds: split.exampleIds,
        allocationSite: split.site === NO_SITE ? null : stacks.site(split.site),
      };
    }),
  );
}

function treeOf(nodes: readonly TrieNode[], retained: SetRetained | null): PathTreeNode {
  const views: PathTreeNode[] = nodes.map((trieNode, at) => ({
    node: trieNode.node,
    edge: at === TOP || trieNode.parent === TOP ? null : edgeText(trieNode),
    count: trieNode.objects,
    objects: trieNode.objects,
    selfSize: trieNode.selfSize,
    retainedSize: retained ? retained.branch[at] : null,
    children: [],
  }));
  // Children always come after their parent: sum counts backwards, then link.
  for (let at = nodes.length - 1; at > TOP; at--) {
    const parent = views[nodes[at].parent];
    parent.count += views[at].count;
    parent.selfSize += views[at].selfSize;
  }
  for (let at = 1; at < nodes.length; at++) views[nodes[at].parent].children.push(views[at]);
  for (const view of views) view.children.sort((a, b) => b.count - a.count || (b.retainedSize ?? 0) - (a.retainedSize ?? 0));
  return views[TOP];
}

/**
 * Merged paths of every instance of `className` (as `HeapGraph.classes()`
 * names it), or of those allocated after `newSince`; null when the snapshot
 * has no such class.
 */
export function mergedPathsOfClass(
  graph: HeapGraph,
  className: string,
  newSince: MergedPaths['newSince'] = null,
  { byAllocationSite = false, allIds = false }: { byAllocationSite?: boolean; allIds?: boolean } = {},
): MergedPaths | null {
  let members = graph.ordinalsOfClass(className);
  if (members.length === 0) return null;
  if (newSince) {
    const { nodeIds } = graph.data;
    members = members.filter((ordinal) => isStableId(nodeIds[ordinal]) && nodeIds[ordinal] > newSince.maxObjectId);
  }
  const { walk, dominators } = graph.analysisContext();
  return mergeShortestPaths(walk, dominators, { members, className, newSince, byAllocationSite: byAllocationSite ? graph.allocationStacks() : undefined, allIds });
}
