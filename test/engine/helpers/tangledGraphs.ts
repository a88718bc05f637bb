// Random tangled heaps for the walks' cycle marks, and the brute-force rule they are checked against.
import { HeapGraph } from '../../../src/engine/index';
import { SnapshotBuilder } from './fromJson';

/** A deterministic pseudo-random source (mulberry32): random(n) is in [0, n). */
export function seededRandom(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

/** 20–59 objects under globalThis.first with three random edges each (cycles, shared objects), and one of them to walk from. */
export function tangledGraph(random: (n: number) => number): { graph: HeapGraph; start: number } {
  const count = 20 + random(40);
  const b = new SnapshotBuilder().node('global', 'object', 'global').edge('root', 'shortcut', '1', 'global');
  for (let i = 0; i < count; i++) b.node(`n${i}`, 'object', `N${i % 5}`);
  b.edge('global', 'property', 'first', 'n0');
  for (let i = 0; i < count * 3; i++) b.edge(`n${random(count)}`, 'property', `p${i}`, `n${random(count)}`);
  return { graph: HeapGraph.build(b.build()), start: b.idOf(`n${random(count)}`) };
}

/** Drawn edges replayed in order: does `from` hold `to` through the ones added so far? */
export class ReplayedEdges {
  private readonly holds = new Map<number, number[]>();

  add(holder: number, held: number): void {
    this.holds.set(holder, [...(this.holds.get(holder) ?? []), held]);
  }

  holdsThrough(from: number, to: number): boolean {
    const stack = [from];
    const seen = new Set(stack);
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === to) return true;
      for (const next of this.holds.get(at) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return false;
  }
}
