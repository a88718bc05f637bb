/**
 * Who reads which part of the edges, decided as the two threads go: the file
 * up to the edges' closing ']' is cut into 1 MiB chunks, numbered from the end.
 * The parser claims chunks from the start of the file forwards (highest number
 * first), the helper from the end backwards (chunk 0 first); they meet
 * wherever they meet, so neither waits long for the other whatever their
 * speeds. One Int32 in a SharedArrayBuffer holds both frontiers, changed by
 * compare-and-swap: low 16 bits = chunks the helper claimed, high 16 bits =
 * the lowest chunk number the parser claimed. A second Int32 says who reads
 * the rest of the file after the edges (locations and strings): whoever gets
 * there first, usually the helper, which starts with it.
 */
const AFTER_EDGES_PARSER = 1;
const AFTER_EDGES_HELPER = 2;

export class EdgeClaims {
  readonly chunkSize: number;
  readonly chunkCount: number;

  /** A new plan for edges ending at byte `end`, or the one another thread shares. */
  constructor(
    readonly end: number,
    readonly state: Int32Array = new Int32Array(new SharedArrayBuffer(8)),
    chunkSize?: number,
  ) {
    // 16 bits of chunk numbers: 1 MiB chunks up to 64 GiB, larger beyond.
    this.chunkSize = chunkSize ?? Math.max(1 << 20, Math.ceil(end / 0xfff0));
    this.chunkCount = Math.ceil(end / this.chunkSize);
    if (chunkSize === undefined) Atomics.store(state, 0, this.chunkCount << 16);
  }

  /** Byte range [start, end) of chunk `index`. */
  range(index: number): [number, number] {
    return [Math.max(0, this.end - (index + 1) * this.chunkSize), this.end - index * this.chunkSize];
  }

  /** The parser's next chunk: its number, or -1 when the helper has it (the parser stops at `meetingPoint`). */
  claimForward(): number {
    for (;;) {
      const word = Atomics.load(this.state, 0);
      const next = (word >>> 16) - 1;
      if (next < (word & 0xffff)) return -1;
      if (Atomics.compareExchange(this.state, 0, word, (word & 0xffff) | (next << 16)) === word) return next;
    }
  }

  /** The helper's next chunk, or -1 when the parser has it. */
  claimBackward(): number {
    for (;;) {
      const word = Atomics.load(this.state, 0);
      const next = word & 0xffff;
      if (next >= word >>> 16) return -1;
      if (Atomics.compareExchange(this.state, 0, word, (next + 1) | (word & ~0xffff)) === word) return next;
    }
  }

  /** Where the parser's chunks end and the helper's begin, once a claim failed. */
  get meetingPoint(): number {
    return Math.max(0, this.end - this.helperChunks * this.chunkSize);
  }

  /** Claims the file after the edges for `reader`; false when the other thread has it. */
  claimSectionsAfterEdges(reader: 'parser' | 'helper'): boolean {
    const mine = reader === 'parser' ? AFTER_EDGES_PARSER : AFTER_EDGES_HELPER;
    const owner = Atomics.compareExchange(this.state, 1, 0, mine);
    return owner === 0 || owner === mine;
  }

  /** Chunks the helper claimed. */
  get helperChunks(): number {
    return Atomics.load(this.state, 0) & 0xffff;
  }
}
