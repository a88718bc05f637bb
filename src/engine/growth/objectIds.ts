/**
 * Snapshot object ids as identities across snapshots of one process.
 *
 * V8 numbers heap objects with odd ids from one counter that only rises, and
 * keeps an object's id for as long as its heap profiler lives (DevTools'
 * "objects allocated between snapshots" relies on both). Even ids belong to
 * embedder (native) nodes that get a fresh id in every snapshot, so they
 * identify nothing and take no part in `new` and `deleted`.
 */
import { keptBuffer } from './keptBuffers';

/** Does this id name the same object in every snapshot of the process? */
export function isStableId(id: number): boolean {
  return (id & 1) === 1;
}

/** The highest stable id: an object with a higher one was allocated after this snapshot. */
export function maxObjectId(nodeIds: Uint32Array): number {
  let max = 0;
  for (let ordinal = 0; ordinal < nodeIds.length; ordinal++) {
    const id = nodeIds[ordinal];
    if ((id & 1) === 1 && id > max) max = id;
  }
  return max;
}

/** Index of `id` in an ascending id list, or -1. */
export function indexOfId(sortedIds: Uint32Array, id: number): number {
  let low = 0;
  let high = sortedIds.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sortedIds[mid];
    if (at === id) return mid;
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** Past every id: where a cursor stands once it has read them all. */
const END = 2 ** 32;

/**
 * Stable ids in ascending order (the first snapshot's, kept for a whole
 * recording), in whichever of two forms is smaller:
 * - dense, one bit per odd number up to the highest id. The first snapshot
 *   a heap profiler takes numbers every object then alive in one run, so
 *   its ids leave almost no gaps: ~1 bit an id;
 * - by halves, 2 bytes an id: the low 16 bits of each, and for each value
 *   of the high 16 bits the index where it begins (ids far apart).
 * Read forwards with an IdCursor, as the merges against a later snapshot do.
 */
export class AscendingIds {
  private constructor(
    readonly length: number,
    /** Dense: bit i (of word i >>> 5) set when id 2i + 1 is kept. */
    readonly bits: Uint32Array | null,
    readonly lows: Uint16Array | null,
    /** highStarts[h]: the first index whose id's high half is h or more; one entry past the highest. */
    readonly highStarts: Uint32Array | null,
  ) {}

  get byteLength(): number {
    return (this.bits?.byteLength ?? 0) + (this.lows?.byteLength ?? 0) + (this.highStarts?.byteLength ?? 0);
  }

  /** Takes `count` stable (odd) ids, none above `maxId`, in ascending order (push), then `done()`. */
  static writer(count: number, maxId: number): { push(id: number): void; done(): AscendingIds } {
    const words = Math.floor(maxId / 64) + 1;
    const halvesBytes = 2 * count + 4 * ((maxId >>> 16) + 2);
    if (4 * words < halvesBytes) {
      const bits = new Uint32Array(keptBuffer(words * 4), 0, words);
      return {
        push(id: number): void {
          const bit = id >>> 1;
          bits[bit >>> 5] |= 1 << (bit & 31);
        },
        done: () => new AscendingIds(count, bits, null, null),
      };
    }
    const lows = new Uint16Array(keptBuffer(count * 2), 0, count);
    const highStarts = new Uint32Array((maxId >>> 16) + 2);
    let at = 0;
    let high = 0;
    return {
      push(id: number): void {
        for (const h = id >>> 16; high < h; ) highStarts[++high] = at;
        lows[at++] = id & 0xffff;
      },
      done(): AscendingIds {
        while (high < highStarts.length - 1) highStarts[++high] = at;
        return new AscendingIds(count, null, lows, highStarts);
      },
    };
  }
}

/** Reads AscendingIds forwards: `id` at `index`, or 2^32 (above every id) once past the last. */
export class IdCursor {
  index = -1;
  id = 0;
  private readonly length: number;
  private readonly bits: Uint32Array | null;
  /** Dense: the word read now, and its bits not read yet. */
  private word = -1;
  private rest = 0;
  private readonly lows: Uint16Array;
  private readonly highStarts: Uint32Array;
  /** By halves: the current high half, shifted, and the index where the next one begins. */
  private base = 0;
  private high = 0;
  private nextHighAt: number;

  constructor(ids: AscendingIds) {
    this.length = ids.length;
    this.bits = ids.bits;
    this.lows = ids.lows ?? new Uint16Array(0);
    this.highStarts = ids.highStarts ?? new Uint32Array(0);
    this.nextHighAt = this.highStarts[1] ?? 0;
    this.next();
  }

  next(): void {
    const index = ++this.index;
    if (index >= this.length) {
      this.id = END;
      return;
    }
    const bits = this.bits;
    if (bits !== null) {
      let rest = this.rest;
      while (rest === 0) rest = bits[++this.word];
      const lowest = rest & -rest;
      this.rest = rest ^ lowest;
      this.id = (this.word * 32 + 31 - Math.clz32(lowest)) * 2 + 1;
      return;
    }
    while (index >= this.nextHighAt) {
      this.high++;
      this.base = this.high * 0x10000;
      this.nextHighAt = this.highStarts[this.high + 1];
    }
    this.id = this.base + this.lows[index];
  }
}
