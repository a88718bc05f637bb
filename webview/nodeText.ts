/** The lines of text drawn in each node box, from heap data (kept as plain strings). */
import { formatBytes, formatId, truncate } from './format';
import type { ViewNode } from './model';
import { roleInfo } from './roles';

export interface NodeText {
  /** Role badge (`STATIC MAP`), empty for plain objects. */
  badge: string;
  /** The prominent line: a root's code name (`Processor.instanceMap`) or the class name. */
  title: string;
  /** Class name under a root label, or the value preview. */
  subtitle: string;
  /** `@id · self · retained · distance`. */
  stats: string;
  /** Drawn with a larger, bolder title (the static-map root the user story hunts for). */
  prominent: boolean;
}

const TITLE_MAX = 44;
const SUBTITLE_MAX = 48;

export function nodeText(view: ViewNode): NodeText {
  if (view.kind === 'more') {
    const hidden = view.hiddenByWalk + view.hiddenByView;
    return {
      badge: '',
      title: `+${hidden} more`,
      subtitle: view.hiddenByView > 0 ? 'click to show them' : 'click: 10 more · shift+click: all',
      stats: `${view.direction === 'references' ? 'references' : 'retainers'} not shown`,
      prominent: false,
    };
  }
  const { node } = view;
  // The code name (`Processor.instanceMap`, `class Processor`) leads; the class name follows when it adds something.
  const title = node.label || node.name || `(${node.type})`;
  const subtitleParts: string[] = [];
  if (node.name && !title.includes(node.name)) subtitleParts.push(node.name);
  if (node.preview) subtitleParts.push(node.type === 'string' ? JSON.stringify(truncate(node.preview, 32)) : node.preview);
  const stats = [formatId(node.id), `self ${formatBytes(node.selfSize)}`];
  if (node.retainedSize !== null) stats.push(`retained ${formatBytes(node.retainedSize)}`);
  stats.push(node.distance === null ? 'unreachable' : `distance ${node.distance}`);
  return {
    badge: roleInfo(view.role).badge,
    title: truncate(title, TITLE_MAX),
    subtitle: truncate(subtitleParts.join(' · '), SUBTITLE_MAX),
    stats: stats.join(' · '),
    prominent: view.role === 'static-map',
  };
}
