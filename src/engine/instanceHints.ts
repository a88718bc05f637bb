/**
 * What tells one instance of a class from the next in a list of thirty that
 * look alike: where its shortest path last passes a name the code uses
 * (`via Processor.instanceMap.get("bot12").resourceLoader`), and its first
 * string field (`botName: "bot12"`). One shortest path and one row of edges
 * per instance: cheap enough for the couple of hundred a picker lists.
 */
import type { WalkEdge } from '../protocol/walk';
import { shortestPathTo, type WalkContext } from './retainerWalk';

export interface InstanceHint {
  /** The chain from the nearest named holder on its shortest path, as code reads it. */
  via?: string;
  /** Its first own string-valued property: `botName: "bot12"`. */
  field?: string;
}

/** Named holders further up than this many links are not worth a long chain: the nearest object's name is used instead. */
const MAX_HOPS = 3;

export function instanceHint(ctx: WalkContext, ordinal: number): InstanceHint {
  const hint: InstanceHint = {};
  const via = viaText(ctx, ordinal);
  if (via) hint.via = via;
  const field = stringField(ctx, ordinal);
  if (field) hint.field = field;
  return hint;
}

function viaText(ctx: WalkContext, ordinal: number): string | undefined {
  const { core, views } = ctx;
  const path = shortestPathTo(ctx, ordinal);
  const { nodes, edges } = path;
  if (edges.length === 0) return undefined;
  // From the target up: stop at the first holder with a code name (static map, global, module binding).
  for (let hops = 1; hops <= Math.min(MAX_HOPS, edges.length); hops++) {
    const holder = core.ids.ordinalOf(nodes[nodes.length - 1 - hops]);
    const root = views.roots.classify(holder);
    if (root && (root.kind === 'static-map' || root.kind === 'global' || root.kind === 'module')) return chain(root.label, edges.slice(-hops));
  }
  // No name nearby: the nearest holder's class, as in `BotServer.current.resourceLoader`.
  const hops = Math.min(2, edges.length);
  const holder = core.ids.ordinalOf(nodes[nodes.length - 1 - hops]);
  return chain(core.names.displayName(holder), edges.slice(-hops));
}

/** `Processor.instanceMap` + `get("bot1")`, `.resourceLoader` → `Processor.instanceMap.get("bot1").resourceLoader`. */
function chain(start: string, edges: WalkEdge[]): string {
  let text = start;
  for (const edge of edges) {
    const label = edge.label || edge.name;
    if (label.startsWith('.') || label.startsWith('[')) text += label;
    else if (/^(get|has)\(/.test(label)) text += `.${label}`;
    else text += ` → ${label}`;
  }
  return text;
}

function stringField(ctx: WalkContext, ordinal: number): string | undefined {
  const { core } = ctx;
  const { data, codes, names } = core;
  for (let e = data.firstEdgeIndexes[ordinal]; e < data.firstEdgeIndexes[ordinal + 1]; e++) {
    if (data.edgeTypes[e] !== codes.edgeProperty) continue;
    const value = data.edgeToNodes[e];
    if (!names.isString(value)) continue;
    const name = core.edgeName(e);
    if (name === '__proto__' || name.startsWith('<symbol')) continue;
    return `${name}: ${names.preview(value)}`;
  }
  return undefined;
}
