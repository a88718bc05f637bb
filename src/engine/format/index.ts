/** Walk renderings shared by the CLI and the extension's exports: pure functions of a `Walk`. */
import type { Walk } from '../../protocol/walk';
import { formatWalkDot } from './dot';
import { formatWalkJson } from './json';
import { formatWalkText } from './text';

export { formatWalkDot, dotString, DOT_ROLE_COLORS } from './dot';
export { formatWalkJson } from './json';
export { formatWalkText, formatShortestPath } from './text';
export { printable } from './describe';

export type WalkFormat = 'text' | 'json' | 'dot';
export const WALK_FORMATS: readonly WalkFormat[] = ['text', 'json', 'dot'];

export function formatWalk(walk: Walk, format: WalkFormat): string {
  switch (format) {
    case 'text':
      return formatWalkText(walk);
    case 'json':
      return formatWalkJson(walk);
    case 'dot':
      return formatWalkDot(walk);
    default: {
      const unknown: never = format;
      throw new Error(`unknown walk format ${String(unknown)}`);
    }
  }
}
