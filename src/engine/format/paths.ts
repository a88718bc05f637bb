/**
 * Merged shortest paths as text (the answer first: how many objects, by
 * which paths; then the groups with example ids to walk, then MAT's tree from
 * the roots), JSON (exactly the MergedPaths contract) or Graphviz DOT (the
 * tree, counts on the edges, in the walk's colours).
 */
import type { MergedPaths, PathGroup, PathNode, PathTreeNode } from '../../protocol/growth';
import { count, formatBytes, printable, truncate } from './describe';
import { DOT_ROLE_COLORS, dotString } from './dot';

export function formatPathsJson(paths: MergedPaths): string {
  return JSON.stringify(paths, null, 2) + '\n';
}

/** `top`: groups shown, and branches shown under each tree node. */
export function formatPathsText(paths: MergedPaths, top = 10): string {
  const lines: string[] = [];
  const name = printable(paths.class);
  const since = paths.newSince ? ` allocated after ${printable(paths.newSince.file)}` : '';
  if (paths.objects === 0) return paths.newSince ? `No ${name}${since} is alive.\n` : `No ${name} in the snapshot.\n`;
  const groups = paths.groups;
  const via = groups.slice(0, 3).map((g) => `${count(g.count)} via ${truncate(printable(g.label), 80)}${allocatedText(g)}`);
  if (groups.length > 3) via.push(`${count(groups.slice(3).reduce((sum, g) => sum + g.count, 0))} by ${count(groups.length - 3)} more path${groups.length - 3 === 1 ? '' : 's'}`);
  lines.push(`${count(paths.objects)} ${name}${since}${via.length > 0 ? `: ${via.join(', ')}` : ''}`);
  const retained = paths.retainedSize !== null ? `, retained ${formatBytes(paths.retainedSize)} (freed if all of them were released)` : '';
  lines.push(`self size ${formatBytes(paths.selfSize)}${retained}`);
  if (paths.unreachable.count > 0) {
    lines.push(`${count(paths.unreachable.count)} with no strong path from a root (only weakly held, waiting for GC), e.g. ${ids(paths.unreachable.exampleIds)}`);
  }
  if (groups.length > 0) {
    lines.push('');
    lines.push(`Paths, most objects first${groups.length > top ? ` (top ${top} of ${count(groups.length)})` : ''}:`);
    for (const group of groups.slice(0, top)) {
      const size = `self ${formatBytes(group.selfSize)}${group.retainedSize !== null ? `, retained ${formatBytes(group.retainedSize)}` : ''}`;
      lines.push(`  ${count(group.count)} via ${truncate(printable(group.label), 100)}${allocatedText(group)}  (${size})`);
      const steps = group.nodes.map((node, i) => (i === 0 ? nodeText(node) : `${printable(group.edges[i - 1])} → ${nodeText(node)}`));
      lines.push(`    ${steps.join(' → ')}`);
      lines.push(`    e.g. ${ids(group.exampleIds)}`);
    }
    lines.push('');
    lines.push('Merged shortest paths from the roots (objects through each step):');
    lines.push(...treeLines(paths.tree, top));
  }
  return lines.join('\n') + '\n';
}

/** `, allocated at lib/jobs.js:12 in enqueue()` when the groups were split by allocation site. */
function allocatedText(group: PathGroup): string {
  if (group.allocationSite === undefined) return '';
  return group.allocationSite === null ? ', no allocation stack' : `, allocated at ${truncate(printable(group.allocationSite.label), 100)}`;
}

function treeLines(tree: PathTreeNode, top: number): string[] {
  const lines: string[] = [];
  const visit = (node: PathTreeNode, prefix: string, childPrefix: string) => {
    const step = node.edge ? `${printable(node.edge)} → ` : '';
    const ends = node.objects > 0 && node.objects !== node.count ? ` (${count(node.objects)} end here)` : '';
    lines.push(`${prefix}${step}${nodeText(node.node)}  ${count(node.count)}${ends}`);
    const shown = node.children.slice(0, top);
    const hidden = node.children.slice(top);
    shown.forEach((child, i) => {
      const last = i === shown.length - 1 && hidden.length === 0;
      visit(child, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '));
    });
    if (hidden.length > 0) lines.push(`${childPrefix}└─ +${hidden.length} more branch${hidden.length === 1 ? '' : 'es'} (${count(hidden.reduce((sum, c) => sum + c.count, 0))} objects)`);
  };
  const shown = tree.children.slice(0, top);
  for (const child of shown) visit(child, '  ', '  ');
  const hidden = tree.children.length - shown.length;
  if (hidden > 0) lines.push(`  +${hidden} more root${hidden === 1 ? '' : 's'} (${count(tree.children.slice(top).reduce((sum, c) => sum + c.count, 0))} objects)`);
  return lines;
}

/** `Scheduler.queued (Map)`, `Job`, `ListNode (repeated)`. */
function nodeText(node: PathNode): string {
  const name = truncate(printable(node.name), 50);
  // A scope's or the global object's label says it all (`module scope of lib/jobs.js`, `globalThis`).
  const labelOnly = node.label !== node.name && (node.name.startsWith('system / ') || node.label === 'globalThis');
  const label = node.label === node.name ? name : labelOnly ? truncate(printable(node.label), 80) : `${truncate(printable(node.label), 80)} (${name})`;
  return node.repeated ? `${label} (repeated)` : label;
}

/** The merged tree in objgraph's look, roots on top; edges carry how many objects pass. */
export function formatPathsDot(paths: MergedPaths, top = 10): string {
  const out: string[] = [];
  out.push('digraph MergedPaths {');
  out.push('  node [shape=box, style=filled, fillcolor=white, fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  let next = 0;
  const visit = (node: PathTreeNode, parent: string | null) => {
    const id = `t${next++}`;
    const lines = [truncate(printable(node.node.label), 60)];
    if (node.node.label !== node.node.name) lines.push(truncate(printable(node.node.name), 50));
    if (node.objects > 0) lines.push(`${count(node.objects)} ${printable(paths.class)}${node.retainedSize !== null ? `, ${formatBytes(node.retainedSize)} retained` : ''}`);
    out.push(`  ${id} [label=${dotString(lines.join('\n'))}, ${style(node)}];`);
    if (parent) out.push(`  ${parent} -> ${id} [label=${dotString(`${truncate(printable(node.edge ?? ''), 50)}\n${count(node.count)}`)}, penwidth=${penWidth(node.count, paths.objects)}];`);
    const shown = node.children.slice(0, top);
    for (const child of shown) visit(child, id);
    const hidden = node.children.slice(top);
    if (hidden.length > 0) {
      const more = `t${next++}`;
      out.push(`  ${more} [label=${dotString(`+${hidden.length} more (${count(hidden.reduce((sum, c) => sum + c.count, 0))} objects)`)}, style=dotted];`);
      out.push(`  ${id} -> ${more} [style=dotted];`);
    }
  };
  for (const root of paths.tree.children.slice(0, top)) visit(root, null);
  out.push('}');
  return out.join('\n') + '\n';
}

function style(node: PathTreeNode): string {
  if (node.objects > 0) return `fillcolor="${DOT_ROLE_COLORS.target}"`;
  if (node.node.rootKind) return `fillcolor="${DOT_ROLE_COLORS[node.node.rootKind]}"`;
  return 'fillcolor=white';
}

/** Thicker where more objects pass: 1 to 5. */
function penWidth(objects: number, all: number): string {
  return (1 + (4 * objects) / Math.max(1, all)).toFixed(1);
}

function ids(list: readonly number[]): string {
  return list.map((id) => `@${id}`).join(' ');
}
