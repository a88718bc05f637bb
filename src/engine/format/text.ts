/**
 * The walk as text, read like a stack trace: first the shortest path from a
 * root down to the target, then every retainer found within the depth as a
 * tree growing upward from the target (DevTools' Retainers pane), with
 * "+N more" where the fan-out cut it and cycles marked. A references walk
 * (what the object holds) is one tree growing downward from it.
 */
import type { Walk, WalkNode } from '../../protocol/walk';
import { describeEdge, describeNode, formatBytes, indexWalk, type WalkIndex } from './describe';

export function formatWalkText(walk: Walk): string {
  const index = indexWalk(walk);
  const target = index.node(walk.target);
  const lines: string[] = [];
  const title = target ? describeNode(target) : `@${walk.target}`;
  const size = target ? `, self size ${formatBytes(target.selfSize)}${target.retainedSize !== null ? `, retained ${formatBytes(target.retainedSize)}` : ''}` : '';
  if (walk.direction === 'references') {
    lines.push(`What ${title} holds${size}`);
    lines.push('');
    lines.push(`References within depth ${walk.options.depth}, fan-out ${walk.options.fanOut}${walk.options.includeWeak ? ', weak edges included' : ''}:`);
    if (target) lines.push(...referenceTree(target, index));
    return lines.join('\n') + '\n';
  }
  lines.push(`Retainers of ${title}${size}`);
  lines.push('');
  lines.push(...formatShortestPath(walk).split('\n'));
  lines.push('');
  lines.push(`Retainers within depth ${walk.options.depth}, fan-out ${walk.options.fanOut}${walk.options.includeWeak ? ', weak edges included' : ''}:`);
  if (target) lines.push(...retainerTree(target, index));
  return lines.join('\n') + '\n';
}

/** Root first, one link per line, down to the target. Total: an unreachable target says so. */
export function formatShortestPath(walk: Walk): string {
  const index = indexWalk(walk);
  const { nodes, edges } = walk.shortestPath;
  if (nodes.length === 0) return 'No strong path from a GC root: the object is unreachable and will be collected.';
  const lines = [`Shortest path from a root (${edges.length} link${edges.length === 1 ? '' : 's'}):`];
  const root = index.node(nodes[0]);
  lines.push(`  ${root ? describeNode(root) : `@${nodes[0]}`}${kindTag(root)}`);
  edges.forEach((edge, i) => {
    const held = index.node(edge.to) ?? index.node(nodes[i + 1]);
    const heldText = held ? describeNode(held) : `@${edge.to}`;
    const marker = edge.to === walk.target ? '   ← target' : kindTag(held);
    lines.push(`    ${describeEdge(edge)} → ${heldText}${marker}`);
  });
  return lines.join('\n');
}

function kindTag(node: WalkNode | undefined): string {
  if (!node?.rootKind) return '';
  return `   [${node.rootKind}]`;
}

/**
 * Depth-first from the target over retainer edges; a holder reached twice is
 * printed once and referenced after that, so shared branches don't repeat.
 */
function retainerTree(target: WalkNode, index: WalkIndex): string[] {
  const lines = [describeNode(target)];
  const printed = new Set<number>([target.id]);
  const visit = (id: number, prefix: string) => {
    const edges = index.retainersOf(id);
    const cut = index.cut(id);
    const rows = edges.length + (cut ? 1 : 0);
    edges.forEach((edge, i) => {
      const last = i === rows - 1;
      const holder = index.node(edge.from);
      const holderText = holder ? describeNode(holder) : `@${edge.from}`;
      const seen = printed.has(edge.from);
      const note = edge.cycle ? '   ↻ cycle' : seen ? '   (shown above)' : kindTag(holder);
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describeEdge(edge)} in ${holderText}${note}`);
      if (!seen && !edge.cycle) {
        printed.add(edge.from);
        visit(edge.from, prefix + (last ? '   ' : '│  '));
      }
    });
    if (cut) lines.push(`${prefix}└─ ${moreText(cut, 'retainer')}`);
  };
  visit(target.id, '');
  if (lines.length === 1) lines.push('   (no retainers)');
  return lines;
}

/** Depth-first from the target down its references; a node reached twice is printed once. */
function referenceTree(target: WalkNode, index: WalkIndex): string[] {
  const lines = [describeNode(target)];
  const printed = new Set<number>([target.id]);
  const visit = (id: number, prefix: string) => {
    const edges = index.referencesOf(id);
    const cut = index.cut(id);
    const rows = edges.length + (cut ? 1 : 0);
    edges.forEach((edge, i) => {
      const last = i === rows - 1;
      const held = index.node(edge.to);
      const seen = printed.has(edge.to);
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describeEdge(edge)} → ${held ? describeNode(held) : `@${edge.to}`}${seen ? '   (shown above)' : kindTag(held)}`);
      if (!seen) {
        printed.add(edge.to);
        visit(edge.to, prefix + (last ? '   ' : '│  '));
      }
    });
    if (cut) lines.push(`${prefix}└─ ${moreText(cut, 'reference')}`);
  };
  visit(target.id, '');
  if (lines.length === 1) lines.push('   (holds nothing this walk shows)');
  return lines;
}

/** "+N more", and what would show them: a bigger fan-out or depth, or a walk from that object (a stop no walk goes past). */
function moreText({ id, hidden, by }: Walk['truncated'][number], noun: string): string {
  const more = `+${hidden} more ${noun}${hidden === 1 ? '' : 's'}`;
  if (by === 'fan-out') return `${more}, past the fan-out`;
  if (by === 'depth') return `${more}, past the depth`;
  return `${more}: walk from @${id} to see ${hidden === 1 ? 'it' : 'them'}`;
}
