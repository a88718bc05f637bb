/**
 * The walk as Graphviz DOT in objgraph's look (show_backrefs): boxes, arrows
 * from holder to held so roots land on top and the target at the bottom,
 * edges labelled with the reference, "+N more" as a dotted box. Colours by
 * role: target red, global roots green, static-map roots orange, module roots
 * blue, closures purple, GC roots grey, debugger-only retainers dashed; the
 * rest shaded by depth as objgraph does (white near the target, greyer above).
 * The two halves of a WeakMap entry (from the map and from the key: the value
 * lives while both do) are violet with an open arrowhead.
 * One implementation for the CLI and the extension's "Export DOT".
 */
import type { RootKind, Walk, WalkNode } from '../../protocol/walk';
import { formatBytes, printable, truncate } from './describe';

export const DOT_ROLE_COLORS: Record<'target' | RootKind, string> = {
  target: '#ff6b6b',
  global: '#7bd67b',
  'static-map': '#ffb347',
  module: '#8ecae6',
  closure: '#cdb4f0',
  'gc-root': '#cfcfcf',
  debugger: '#eeeeee',
};

/** Both halves of a WeakMap entry. */
const WEAK_MAP_ENTRY_COLOR = '#7b3fb5';

/** A DOT double-quoted string: backslashes first (so `\N`, `\G` stay literal), then quotes; line breaks as `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

export function formatWalkDot(walk: Walk): string {
  const maxLevel = Math.max(1, ...walk.nodes.map((node) => node.level));
  const onPath = new Set(walk.shortestPath.edges.map((edge) => `${edge.from}>${edge.to}>${edge.name}`));
  const out: string[] = [];
  out.push('digraph RetainerGraph {');
  out.push('  node [shape=box, style=filled, fillcolor=white, fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  for (const node of walk.nodes) {
    out.push(`  ${nodeId(node.id)} [label=${dotString(nodeLabel(node))}, ${nodeStyle(node, walk.target, maxLevel)}];`);
  }
  for (const edge of walk.edges) {
    const attributes = [`label=${dotString(truncate(printable(edge.label || edge.name), 60))}`];
    if (onPath.has(`${edge.from}>${edge.to}>${edge.name}`)) attributes.push('penwidth=2.5');
    if (edge.cycle) attributes.push('style=dashed', 'constraint=false', 'color="#888888"');
    if (edge.type === 'weak') attributes.push('style=dotted');
    if (edge.ephemeron) attributes.push(`color="${WEAK_MAP_ENTRY_COLOR}"`, `fontcolor="${WEAK_MAP_ENTRY_COLOR}"`, 'arrowhead=onormal');
    out.push(`  ${nodeId(edge.from)} -> ${nodeId(edge.to)} [${attributes.join(', ')}];`);
  }
  // Shortest-path links beyond the walked depth: draw them too, so the chain to a root is never cut.
  const drawn = new Set(walk.edges.map((edge) => `${edge.from}>${edge.to}>${edge.name}`));
  const known = new Set(walk.nodes.map((node) => node.id));
  for (const edge of walk.shortestPath.edges) {
    if (drawn.has(`${edge.from}>${edge.to}>${edge.name}`)) continue;
    for (const id of [edge.from, edge.to]) {
      if (!known.has(id)) {
        known.add(id);
        out.push(`  ${nodeId(id)} [label=${dotString(`@${id}`)}];`);
      }
    }
    out.push(`  ${nodeId(edge.from)} -> ${nodeId(edge.to)} [label=${dotString(truncate(printable(edge.label || edge.name), 60))}, penwidth=2.5];`);
  }
  // "+N more" sits where the cut edges would: above a node in a retainer walk, below it in a references walk.
  const down = walk.direction === 'references';
  for (const { id, hidden } of walk.truncated) {
    out.push(`  more${id} [label=${dotString(`+${hidden} more`)}, shape=box, style=dotted];`);
    out.push(down ? `  ${nodeId(id)} -> more${id} [style=dotted];` : `  more${id} -> ${nodeId(id)} [style=dotted];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function nodeId(id: number): string {
  return `n${id}`;
}

function nodeLabel(node: WalkNode): string {
  const lines = [truncate(printable(node.name), 50)];
  if (node.label && node.label !== node.name) lines.push(truncate(printable(node.label), 60));
  if (node.preview) lines.push(truncate(printable(node.preview), 40));
  lines.push(`@${node.id}  ${formatBytes(node.selfSize)}${node.distance !== null ? `  d=${node.distance}` : ''}`);
  return lines.join('\n');
}

function nodeStyle(node: WalkNode, targetId: number, maxLevel: number): string {
  if (node.id === targetId) return `fillcolor="${DOT_ROLE_COLORS.target}", penwidth=2`;
  if (node.rootKind === 'debugger') return `fillcolor="${DOT_ROLE_COLORS.debugger}", style="filled,dashed", fontcolor="#777777"`;
  if (node.rootKind) return `fillcolor="${DOT_ROLE_COLORS[node.rootKind]}"`;
  // objgraph's depth gradient: HSV value from 1 (next to the target) down to 0.7 (deepest level).
  const value = 1 - (0.3 * node.level) / maxLevel;
  return `fillcolor="0 0 ${value.toFixed(3)}"`;
}
