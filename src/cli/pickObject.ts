/**
 * `--id` / `--class --nth` → the snapshot id to walk, with the reasons a user
 * needs when there is none: no such object, no such class (and the closest
 * class names), fewer instances than asked for.
 */
import type { HeapGraph } from '../engine/index';
import { CliFailure } from './errors';

export function pickById(graph: HeapGraph, id: number, { live }: { live: boolean }): number {
  if (graph.ordinalOf(id) >= 0) return id;
  if (live) throw new CliFailure(`the object @${id} was collected before the snapshot (nothing retains it any more)`);
  throw new CliFailure(`no object with id @${id} in this snapshot (ids are only valid in the snapshot, or the process, they came from)`);
}

export function pickByClass(graph: HeapGraph, className: string, nth: number): number {
  const instances = graph.instances(className, nth);
  if (instances.length === 0) throw noSuchClass(graph, className);
  if (instances.length < nth) {
    throw new CliFailure(`--nth ${nth} asks for more than the ${instances.length} instance${instances.length === 1 ? '' : 's'} of ${className} in the snapshot`);
  }
  return instances[nth - 1].id;
}

/** No class of that name: the reason, with the closest class names. */
export function noSuchClass(graph: HeapGraph, className: string): CliFailure {
  const suggestions = closeClassNames(graph.classes().map((row) => row.name), className);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((name) => JSON.stringify(name)).join(', ')}?` : '';
  return new CliFailure(`no class named ${JSON.stringify(className)} in the snapshot${hint}`);
}

/** Up to 3 names: case-insensitive match or containment first, then small edit distance. */
export function closeClassNames(names: readonly string[], wanted: string, limit = 3): string[] {
  const lower = wanted.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    if (name === '' || name.length > 200) continue;
    const candidate = name.toLowerCase();
    let score: number;
    if (candidate === lower) score = 0;
    else if (candidate.includes(lower) || (lower.length >= 4 && lower.includes(candidate) && candidate.length >= 4)) score = 1;
    else {
      const distance = editDistance(candidate, lower, 3);
      if (distance > Math.max(1, Math.min(3, Math.floor(lower.length / 3)))) continue;
      score = 1 + distance;
    }
    scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map(({ name }) => name);
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}
