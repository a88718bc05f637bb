/*
 * The inspector delivers a snapshot as JavaScript strings
 * (`HeapProfiler.addHeapSnapshotChunk`), the parser reads UTF-8 bytes: each
 * string chunk is encoded once, into one reused buffer, in slices small
 * enough that the buffer stays modest whatever size the chunks have.
 */

/** Chunks are encoded in slices of at most this many UTF-16 units. */
const ENCODE_SLICE = 1 << 22;

interface Utf8Encoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
// Every runtime the engine runs in (Node, worker threads, browsers) has TextEncoder;
// the engine's tsconfig has no DOM or node types, hence the structural type.
const TextEncoderClass = (globalThis as unknown as { TextEncoder: new () => Utf8Encoder }).TextEncoder;

export class ChunkEncoder {
  private encoder: Utf8Encoder | undefined;
  /** A high surrogate that ended the last chunk: its pair starts the next one. */
  private pendingHighSurrogate = '';
  private buffer = new Uint8Array(0);

  /** Is half of a surrogate pair waiting for the next chunk? */
  get pending(): boolean {
    return this.pendingHighSurrogate !== '';
  }

  /** Hands `chunk`'s UTF-8 bytes to `consume`, slice by slice; each slice is valid until the next one. */
  encode(chunk: string, consume: (bytes: Uint8Array) => void): void {
    let text = this.pendingHighSurrogate + chunk;
    this.pendingHighSurrogate = '';
    if (text.length > 0 && (text.charCodeAt(text.length - 1) & 0xfc00) === 0xd800) {
      this.pendingHighSurrogate = text[text.length - 1];
      text = text.slice(0, -1);
    }
    // Slice huge strings without splitting a surrogate pair, then encode each slice once.
    for (let at = 0; at < text.length; ) {
      let to = Math.min(text.length, at + ENCODE_SLICE);
      if (to < text.length && (text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to--;
      consume(this.encodeSlice(at === 0 && to === text.length ? text : text.slice(at, to)));
      at = to;
    }
  }

  /** The input ended: a lone high surrogate left over is encoded as TextEncoder would (U+FFFD). */
  flush(consume: (bytes: Uint8Array) => void): void {
    if (!this.pendingHighSurrogate) return;
    const last = this.pendingHighSurrogate;
    this.pendingHighSurrogate = '';
    consume(this.encodeSlice(last));
  }

  private encodeSlice(text: string): Uint8Array {
    this.encoder ??= new TextEncoderClass();
    const needed = text.length * 3;
    if (this.buffer.length < needed) this.buffer = new Uint8Array(Math.max(needed, 1 << 16));
    const { written } = this.encoder.encodeInto(text, this.buffer);
    return this.buffer.subarray(0, written);
  }
}
