/** The shortest path as text, root first, read like a stack trace — for "Copy path". */
import type { Walk, WalkNode } from '../src/protocol/walk';
import { formatId } from './format';

function describe(node: WalkNode | undefined, id: number): string {
  if (!node) return formatId(id);
  const name = node.label && node.label !== node.name ? `${node.label} (${node.name})` : node.name;
  return `${name} ${formatId(id)}`;
}

export function shortestPathText(walk: Walk): string {
  const byId = new Map(walk.nodes.map((n) => [n.id, n]));
  const [root, ...rest] = walk.shortestPath.nodes;
  if (root === undefined) return describe(byId.get(walk.target), walk.target);
  const lines = [describe(byId.get(root), root)];
  let previous = root;
  for (const id of rest) {
    const edge = walk.shortestPath.edges.find((e) => e.from === previous && e.to === id);
    lines.push(`  ${edge ? edge.label || edge.name : '→'} → ${describe(byId.get(id), id)}`);
    previous = id;
  }
  return lines.join('\n');
}
