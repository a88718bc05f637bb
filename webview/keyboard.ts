/**
 * Arrow-key navigation over the drawn graph: up goes to a retainer (towards
 * the roots), down to what the node holds (towards the target), left/right
 * to the nearest node on the same level. The shortest path wins ties.
 */
import type { Layout, PlacedNode } from './layoutTypes';

export type Direction = 'up' | 'down' | 'left' | 'right';

export function neighbour(layout: Layout, fromKey: string, direction: Direction): string | null {
  const byKey = new Map(layout.nodes.map((n) => [n.view.key, n]));
  const from = byKey.get(fromKey);
  if (!from) return null;
  if (direction === 'up' || direction === 'down') {
    const candidates: PlacedNode[] = [];
    for (const { view } of layout.edges) {
      const other = direction === 'up' ? (view.to === fromKey ? view.from : null) : view.from === fromKey ? view.to : null;
      const node = other === null ? undefined : byKey.get(other);
      if (node && !view.cycle) candidates.push(node);
    }
    const onPath = (n: PlacedNode) => (n.view.kind === 'object' && n.view.onPath ? 0 : 1);
    candidates.sort((a, b) => onPath(a) - onPath(b) || Math.abs(a.x - from.x) - Math.abs(b.x - from.x));
    return candidates[0]?.view.key ?? null;
  }
  const sign = direction === 'left' ? -1 : 1;
  let best: PlacedNode | null = null;
  for (const node of layout.nodes) {
    if (Math.abs(node.y - from.y) > 1 || node === from) continue;
    const dx = (node.x - from.x) * sign;
    if (dx > 0 && (!best || dx < (best.x - from.x) * sign)) best = node;
  }
  return best?.view.key ?? null;
}

export function arrowDirection(key: string): Direction | null {
  switch (key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    default:
      return null;
  }
}
