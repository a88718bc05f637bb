/**
 * The merged tree (Eclipse MAT's "Merge Shortest Paths to GC Roots") as the
 * rows the view draws, roots first, each branch under its holder. Big trees
 * are cut, never the answer: a node shows its largest branches (more when the
 * user asks) and the rest as one "+N more groups" row; a node with a single
 * branch always shows it, so every drawn path reaches the class.
 */
import type { MergedPaths, PathGroup, PathNode, PathTreeNode } from '../../src/protocol/growth';
import type { Role } from '../roles';

/** A node of the merged tree (its step, counts and sizes as PathTreeNode has them), placed as a row. */
export interface BranchRow extends Omit<PathTreeNode, 'children'> {
  kind: 'branch';
  /** Stable across reports of one series: the path from the roots as text. */
  key: string;
  parent: string | null;
  depth: number;
  /** One object of the class on this branch (of its largest group), to open the single-object graph. */
  exampleId: number | null;
  /** That group's access path: `Scheduler.queued.get(*)`. */
  groupLabel: string;
  role: Role;
  /** The last of its parent's drawn rows (the trunk ends here). */
  last: boolean;
}

export interface MoreRow {
  kind: 'more';
  key: string;
  /** The node whose branches are cut (null: the roots). */
  parent: string | null;
  depth: number;
  /** Where `shown` keeps this node's branch count, and how many are drawn now. */
  limitKey: string;
  drawn: number;
  branches: number;
  groups: number;
  /** Objects on the cut branches. */
  count: number;
  last: true;
}

export type PathRow = BranchRow | MoreRow;

export interface PathRows {
  rows: PathRow[];
  /** Objects with a strong path: what branch widths are relative to. */
  reachable: number;
}

/** Roots shown before "+N more groups". */
export const ROOTS_SHOWN = 8;
/** Branches shown per node before "+N more groups". */
export const BRANCHES_SHOWN = 5;
/** Past this many rows, nodes the user did not open show no further branches (only single-branch chains go on). */
export const ROW_BUDGET = 150;
/** What a click on "+N more groups" adds. */
export const MORE_STEP = 10;

const STEP = '\u0001';
const NODE = '\u0002';

/** What steps must agree on to be one node: the engine's merge key (class name, or root kind and label), repeated or not. */
function nodeKey(node: PathNode): string {
  return `${node.rootKind ? `${node.rootKind}\u0000${node.label}` : node.name}${node.repeated ? '+' : ''}`;
}

function childKey(parent: string, edge: string | null, node: PathNode): string {
  return `${parent}${STEP}${edge ?? ''}${NODE}${nodeKey(node)}`;
}

/** A group's key: the same text as the tree node where its path ends. */
function groupKey(group: PathGroup): string {
  let key = '';
  group.nodes.forEach((node, i) => {
    key = childKey(key, i === 0 ? null : group.edges[i - 1], node);
  });
  return key;
}

export function moreKey(parent: string | null): string {
  return `${parent ?? ''}${STEP}+more`;
}

/**
 * `shown`: per node key, how many branches the user asked to see (absent:
 * the default). Pure: the same paths and `shown` give the same rows.
 */
export function pathRows(paths: MergedPaths, shown: Readonly<Record<string, number>> = {}): PathRows {
  const groups = new Map<string, PathGroup>();
  for (const group of paths.groups) groups.set(groupKey(group), group);
  const groupsBelow = countGroups(paths.tree);
  const rows: PathRow[] = [];

  /** Follows the largest branch down to the group with the most objects there. */
  const exampleOf = (tree: PathTreeNode, key: string): PathGroup | undefined => {
    let node = tree;
    let at = key;
    for (;;) {
      const largest = node.children[0];
      if (node.objects > 0 && (!largest || node.objects >= largest.count)) return groups.get(at);
      if (!largest) return undefined;
      at = childKey(at, largest.edge, largest.node);
      node = largest;
    }
  };

  const visitChildren = (children: readonly PathTreeNode[], parentKey: string, parentRowKey: string | null, depth: number, fallback: number): void => {
    const limitKey = parentRowKey ?? moreKey(null);
    const asked = shown[limitKey];
    let limit = asked ?? fallback;
    if (asked === undefined && rows.length >= ROW_BUDGET) limit = 0;
    if (children.length === 1) limit = Math.max(limit, 1);
    const drawn = children.slice(0, limit);
    const cut = children.slice(limit);
    drawn.forEach((child, i) => {
      const key = childKey(parentKey, child.edge, child.node);
      const example = exampleOf(child, key);
      rows.push({
        kind: 'branch',
        key,
        parent: parentRowKey,
        depth,
        node: child.node,
        edge: child.edge,
        count: child.count,
        objects: child.objects,
        selfSize: child.selfSize,
        retainedSize: child.retainedSize,
        exampleId: example?.exampleIds[0] ?? null,
        groupLabel: example?.label ?? '',
        role: roleOf(child),
        last: i === drawn.length - 1 && cut.length === 0,
      });
      visitChildren(child.children, key, key, depth + 1, BRANCHES_SHOWN);
    });
    if (cut.length > 0) {
      rows.push({
        kind: 'more',
        key: moreKey(parentRowKey),
        parent: parentRowKey,
        depth,
        limitKey,
        drawn: drawn.length,
        branches: cut.length,
        groups: cut.reduce((sum, c) => sum + (groupsBelow.get(c) ?? 0), 0),
        count: cut.reduce((sum, c) => sum + c.count, 0),
        last: true,
      });
    }
  };

  visitChildren(paths.tree.children, '', null, 0, ROOTS_SHOWN);
  return { rows, reachable: paths.tree.count };
}

/** The roots' colours as in the single-object graph; where the class's objects are, the target's. */
function roleOf(tree: PathTreeNode): Role {
  if (tree.node.rootKind) return tree.node.rootKind;
  return tree.objects > 0 ? 'target' : 'plain';
}

/** Groups (nodes where paths end) at or below each node, without recursion: merged paths can be deep. */
function countGroups(top: PathTreeNode): Map<PathTreeNode, number> {
  const order: PathTreeNode[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  const below = new Map<PathTreeNode, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let sum = node.objects > 0 ? 1 : 0;
    for (const child of node.children) sum += below.get(child) ?? 0;
    below.set(node, sum);
  }
  return below;
}

/** `shown` after a click on a "+N more groups" row: ten more of that node's branches. */
export function showMore(shown: Readonly<Record<string, number>>, more: MoreRow): Record<string, number> {
  return { ...shown, [more.limitKey]: more.drawn + MORE_STEP };
}

/** A branch's width in px: thin for a few objects, up to `max` for all of them. */
export function branchWidth(count: number, reachable: number, min = 1.5, max = 8): number {
  if (reachable <= 0) return min;
  return min + (max - min) * Math.min(1, count / reachable);
}
