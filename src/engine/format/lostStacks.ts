import { count } from './describe';

/**
 * When V8 recorded allocation stacks from the first snapshot on, every object
 * new since it should have one; those its GC moved (compaction) lost theirs,
 * and one moved to a freed object's address can show that object's site.
 * `what`: the objects counted, e.g. "new objects of the classes above".
 */
export function lostStacksNote(lost: number, of: number, what: string): string {
  return `Note: ${count(lost)} of the ${count(of)} ${what} have no allocation stack although V8 recorded stacks from the first snapshot on: its GC drops the stack of an object it moves, and may give a moved object another's. For exact stacks, start the program with node --no-compact (docs/live.md).`;
}
