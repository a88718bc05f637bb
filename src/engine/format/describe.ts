/**
 * Shared wording for the walk formatters: how a node and an edge read in
 * text, whatever the output. Heap strings are untrusted, so everything that
 * came from the heap passes through `printable` (no terminal escapes, no
 * newlines that would break the layout).
 */
import type { Walk, WalkEdge, WalkNode } from '../../protocol/walk';

/** Replaces control characters (ANSI escapes, newlines, NUL) with visible escapes. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `Map @1234`, or `Processor.instanceMap (Map @1234)` when the node has a code name of its own. */
export function describeNode(node: WalkNode): string {
  const name = truncate(printable(node.name), 60);
  const self = `${name} @${node.id}`;
  const label = node.label ? truncate(printable(node.label), 80) : '';
  const preview = node.preview ? ` ${truncate(printable(node.preview), 40)}` : '';
  const where = sourcePosition(node);
  if (!label || node.label === node.name) return `${self}${preview}${where}`;
  return `${label} (${self})${preview}${where}`;
}

/** ` at lib/registry.js:12:5` for functions and classes, as a stack trace shows them (1-based). */
function sourcePosition(node: WalkNode): string {
  if (node.type !== 'closure' || !node.location?.url) return '';
  const url = printable(node.location.url.replace(/^file:\/\//, ''));
  return ` at ${url}:${node.location.line + 1}:${node.location.column + 1}`;
}

/** `.instanceMap`, `get("bot3")`, `[12]`, `closure: big` — falls back to the raw name. */
export function describeEdge(edge: WalkEdge): string {
  return truncate(printable(edge.label || edge.name), 80);
}

/** A count as people read it: `22,520`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Lookups every formatter needs: nodes by id, retainer edges by held node, what was cut where. */
export interface WalkIndex {
  node(id: number): WalkNode | undefined;
  /** Edges whose `to` is `id`, in walk order (closest to a root first). */
  retainersOf(id: number): WalkEdge[];
  /** Edges whose `from` is `id`, in walk order (what a references walk drew under it). */
  referencesOf(id: number): WalkEdge[];
  /** What the walk left out at `id` and why (Walk['truncated']), if anything. */
  cut(id: number): Walk['truncated'][number] | undefined;
}

export function indexWalk(walk: Walk): WalkIndex {
  const nodes = new Map(walk.nodes.map((node) => [node.id, node]));
  const retainers = new Map<number, WalkEdge[]>();
  const references = new Map<number, WalkEdge[]>();
  const add = (map: Map<number, WalkEdge[]>, key: number, edge: WalkEdge): void => {
    const list = map.get(key);
    if (list) list.push(edge);
    else map.set(key, [edge]);
  };
  for (const edge of walk.edges) {
    add(retainers, edge.to, edge);
    add(references, edge.from, edge);
  }
  const cuts = new Map(walk.truncated.map((cut) => [cut.id, cut]));
  return {
    node: (id) => nodes.get(id),
    retainersOf: (id) => retainers.get(id) ?? [],
    referencesOf: (id) => references.get(id) ?? [],
    cut: (id) => cuts.get(id),
  };
}
