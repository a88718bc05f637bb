/**
 * How code reaches an object, as one expression: `Scheduler.queued`,
 * `globalThis.lastJobs`, `events._events["flush"]`, `Scheduler.queued.get(*)`.
 * Built from the shortest path the walk draws, starting at the nearest place
 * code names (a class static, a global, a module or closure variable) and
 * reading the steps below it as property accesses.
 */
import type { RootKind } from '../protocol/walk';
import type { WalkContext } from './retainerWalk';
import { shortestPathStep } from './retainerWalk';
import type { Collections } from './collections';

/** Steps below the named start at most; a longer chain keeps its end. */
const MAX_STEPS = 8;

/** A start as the expression begins it. */
export interface PathStart {
  name: string;
  label: string;
  rootKind: RootKind | null;
}

/**
 * Joins a path's nodes (root first) and the edge labels between them (the
 * walk's: `.x`, `[3]`, `get("k")`, `closure: v`; or generalized: `[*]`,
 * `(.next)+`) into one expression, starting at the last node code names: a
 * class static or global (`Scheduler.queued`), or the variable a module or
 * closure scope holds it in.
 */
export function joinAccessPath(nodes: readonly PathStart[], edges: readonly string[]): string {
  let start = 0;
  for (let i = nodes.length - 2; i > 0; i--) {
    const kind = nodes[i].rootKind;
    if (kind === 'static-map' || kind === 'global' || isScope(nodes[i])) {
      start = i;
      break;
    }
  }
  const first = nodes[start];
  let rest = edges.slice(start);
  let text: string;
  if (first && isScope(first) && rest.length > 0) {
    text = rest[0].replace(/^closure: /, '');
    rest = rest.slice(1);
  } else if (first) {
    // `module lib/jobs.js` is a Module object: keep it one unit before `.exports`.
    text = first.rootKind === 'module' ? `(${first.label})` : first.label;
  } else {
    text = '';
  }
  if (rest.length > MAX_STEPS) {
    text += '…';
    rest = rest.slice(rest.length - MAX_STEPS);
  }
  for (const label of rest) text += accessor(label);
  return text;
}

function isScope(node: PathStart): boolean {
  return node.name === 'system / Context' && (node.rootKind === 'module' || node.rootKind === 'closure');
}

function accessor(label: string): string {
  if (/^[.[(]/.test(label)) return label;
  if (/^(get|has)\(/.test(label)) return `.${label}`;
  if (label.startsWith('key ')) return ` (${label})`;
  return ` → ${label}`;
}

/**
 * The expression for one object: its own root label when it has one (a class
 * static, a global's value), else its shortest path below the nearest named
 * start. Properties of dictionary-mode objects read as keys: `_events["flush"]`.
 */
export function accessPathOf(ctx: WalkContext, collections: Collections, target: number): string {
  const { views, core } = ctx;
  const own = views.roots.classify(target);
  if (own && (own.kind === 'static-map' || own.kind === 'global')) return own.label;
  const labels: string[] = [];
  const nodes: PathStart[] = [startOf(ctx, target)];
  let current = target;
  for (let guard = 0; guard < 10_000; guard++) {
    const step = shortestPathStep(ctx, current);
    if (step === null) break;
    const { edgeIndex, holder } = step;
    if (step.entry) labels.push(step.entry.label);
    else if (core.data.edgeTypes[edgeIndex] === core.codes.edgeProperty && !views.roots.isGlobalObject(holder) && collections.isDictionary(holder)) labels.push(`[${JSON.stringify(core.edgeName(edgeIndex))}]`);
    else labels.push(views.edgeLabels.label(edgeIndex, holder));
    current = holder;
    const start = startOf(ctx, holder);
    nodes.push(start);
    if (start.rootKind !== null && start.rootKind !== 'gc-root' && start.rootKind !== 'debugger') break;
  }
  return joinAccessPath(nodes.reverse(), labels.reverse());
}

function startOf(ctx: WalkContext, ordinal: number): PathStart {
  const root = ctx.views.roots.classify(ordinal);
  const name = ctx.core.names.displayName(ordinal);
  return { name, label: root?.label ?? name, rootKind: root?.kind ?? null };
}
