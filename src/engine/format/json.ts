/** The walk as JSON: exactly the `Walk` contract (src/protocol/walk.ts), nothing added. */
import type { Walk } from '../../protocol/walk';

export function formatWalkJson(walk: Walk): string {
  return JSON.stringify(walk, null, 2) + '\n';
}
