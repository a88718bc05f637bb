import type { EphemeronNames, StringTable } from './snapshotData';
import { EphemeronNameCollector } from './ephemeronNames';
import { doubled } from './growingArrays';

/*
 * The snapshot's `strings` section kept as its raw bytes (UTF-8, still
 * JSON-escaped) plus one start offset per string, decoded on demand.
 *
 * Why: a 1 GB snapshot holds millions of strings; as JS strings they cost
 * ~3x their bytes plus a header each, and most are never looked at (a walk
 * decodes a few hundred). Bytes live in blocks so growth never copies what
 * was already stored; a string never straddles two blocks.
 */

const FIRST_BLOCK_SIZE = 1 << 20;
const MAX_BLOCK_SIZE = 32 << 20;
/** Offsets are u32 over the concatenated block capacities. */
const MAX_ADDRESS = 0xffffffff;
const CACHE_SIZE = 1 << 12;

/** Fills a string table while the parser streams through `strings`. */
export class StringTableBuilder {
  /** Blocks in SharedArrayBuffers (other threads then read the table without a copy), or plain ones. */
  constructor(private readonly shared = false) {}

  private bytes(size: number): Uint8Array {
    return new Uint8Array(this.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  }


  private readonly blocks: Uint8Array[] = [];
  /** Address of each block's first byte. */
  private readonly blockBases: number[] = [];
  /** Bytes used in each finished block (the current one is `used`). */
  private readonly blockUsed: number[] = [];
  private current: Uint8Array = new Uint8Array(0);
  private currentBase = 0;
  private used = 0;
  private nextBlockSize = FIRST_BLOCK_SIZE;
  /** Where the string being written starts inside `current`. */
  private stringStart = 0;
  private starts = new Uint32Array(1024);
  private count = 0;
  private readonly ephemeronNames = new EphemeronNameCollector();

  get length(): number {
    return this.count;
  }

  /** Total bytes stored so far. */
  get byteLength(): number {
    let total = this.used;
    for (const used of this.blockUsed) total += used;
    return total;
  }

  beginString(): void {
    if (this.count + 2 > this.starts.length) this.starts = doubled(this.starts);
    this.stringStart = this.used;
    if (this.used === this.current.length) this.newBlock(0);
    this.starts[this.count] = this.currentBase + this.used;
  }

  /** Appends bytes[from, to) to the string begun last. */
  append(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (this.used + length > this.current.length) this.newBlock(length);
    const block = this.current;
    let used = this.used;
    if (length < 64) {
      for (let i = from; i < to; i++) block[used++] = bytes[i];
    } else {
      block.set(bytes.subarray(from, to), used);
      used += length;
    }
    this.used = used;
  }

  endString(): void {
    // WeakMap entries' names begin with a count: one byte tells most strings apart.
    const first = this.current[this.stringStart];
    if (first >= 0x30 && first <= 0x39 && this.used > this.stringStart) this.ephemeronNames.note(this.count, this.current, this.stringStart, this.used);
    this.count++;
  }

  finish(): StringTable {
    return stringTableFromParts(this.finishParts());
  }

  /** The finished table as plain arrays, each on its own buffer: another thread can transfer it. */
  finishParts(): StringTableParts {
    const blocks = this.blocks.slice();
    const used = this.blockUsed.slice();
    const bases = this.blockBases.slice();
    if (this.current.length > 0) {
      // Trim the last block: it is at most half full on average.
      const last = this.bytes(this.used);
      last.set(this.current.subarray(0, this.used));
      blocks.push(last);
      used.push(this.used);
      bases.push(this.currentBase);
    }
    const starts = new Uint32Array(this.shared ? new SharedArrayBuffer((this.count + 1) * 4) : new ArrayBuffer((this.count + 1) * 4));
    starts.set(this.starts.subarray(0, this.count + 1));
    return { blocks, bases: Float64Array.from(bases), used: Uint32Array.from(used), starts, count: this.count, ephemeronNames: this.ephemeronNames.names() };
  }

  /** Starts a new block, moving the partly written current string into it. */
  private newBlock(extra: number): void {
    const partial = this.used - this.stringStart;
    const size = Math.max(this.nextBlockSize, (partial + extra) * 2);
    this.nextBlockSize = Math.min(this.nextBlockSize * 2, MAX_BLOCK_SIZE);
    const base = this.currentBase + this.current.length;
    if (base + size > MAX_ADDRESS) throw new RangeError('the "strings" section is larger than 4 GiB');
    const block = this.bytes(size);
    if (partial > 0) block.set(this.current.subarray(this.stringStart, this.used));
    if (this.current.length > 0) {
      this.blocks.push(this.current);
      this.blockBases.push(this.currentBase);
      this.blockUsed.push(this.stringStart);
    }
    this.current = block;
    this.currentBase = base;
    this.used = partial;
    this.stringStart = 0;
    this.starts[this.count] = base;
  }
}

/** A finished table's arrays (what StringTableBuilder.finishParts returns). */
export interface StringTableParts {
  blocks: Uint8Array[];
  bases: Float64Array;
  used: Uint32Array;
  starts: Uint32Array;
  count: number;
  /** StringTable.ephemeronNames. */
  ephemeronNames: EphemeronNames;
}

export function stringTableFromParts(parts: StringTableParts): StringTable {
  return new EncodedStringTable(parts, parts.blocks, parts.bases, parts.used, parts.starts, parts.count, parts.ephemeronNames);
}

/** The table's parts when its bytes are in SharedArrayBuffers (another thread can then read it as is), else undefined. */
export function sharedStringParts(table: StringTable): StringTableParts | undefined {
  if (!(table instanceof EncodedStringTable)) return undefined;
  const { parts } = table;
  return parts.starts.buffer instanceof SharedArrayBuffer && parts.blocks.every((block) => block.buffer instanceof SharedArrayBuffer) ? parts : undefined;
}

/** Read side: `get(i)` decodes string i; a small direct-mapped cache keeps hot names. */
class EncodedStringTable implements StringTable {
  private readonly cacheKeys = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cacheValues: string[] = new Array<string>(CACHE_SIZE).fill('');

  constructor(
    readonly parts: StringTableParts,
    private readonly blocks: Uint8Array[],
    private readonly bases: Float64Array,
    private readonly used: Uint32Array,
    private readonly starts: Uint32Array,
    readonly length: number,
    readonly ephemeronNames: EphemeronNames,
  ) {}

  get(index: number): string {
    if (!(index >= 0 && index < this.length) || index !== Math.floor(index)) {
      throw new RangeError(`string index ${index} is outside the snapshot's ${this.length} strings`);
    }
    const slot = index & (CACHE_SIZE - 1);
    if (this.cacheKeys[slot] === index) return this.cacheValues[slot];
    const start = this.starts[index];
    const b = this.blockOf(start);
    const base = this.bases[b];
    const blockEnd = base + this.used[b];
    const next = index + 1 < this.length ? this.starts[index + 1] : blockEnd;
    const end = next >= start && next <= blockEnd ? next : blockEnd;
    const value = decodeJsonStringBytes(this.blocks[b], start - base, end - base);
    this.cacheKeys[slot] = index;
    this.cacheValues[slot] = value;
    return value;
  }

  private blockOf(address: number): number {
    const bases = this.bases;
    let lo = 0;
    let hi = bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bases[mid] <= address) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * Decodes the inside of a JSON string literal given as UTF-8 bytes (RFC 8259 §7):
 * escapes including `\uXXXX` (lone surrogates kept as V8 writes them), raw
 * multi-byte UTF-8; malformed UTF-8 becomes U+FFFD as TextDecoder would.
 */
export function decodeJsonStringBytes(bytes: Uint8Array, start: number, end: number): string {
  let i = start;
  while (i < end && bytes[i] < 0x80 && bytes[i] !== 0x5c) i++;
  if (i === end) return end - start <= 64 ? shortAsciiToString(bytes, start, end) : codeUnitsToString(bytes, start, end);

  const units = new Uint16Array(end - start);
  let n = 0;
  for (let k = start; k < i; k++) units[n++] = bytes[k];
  while (i < end) {
    const c = bytes[i];
    if (c === 0x5c) {
      const e = bytes[i + 1];
      i += 2;
      switch (e) {
        case 0x62: units[n++] = 0x08; break; // \b
        case 0x66: units[n++] = 0x0c; break; // \f
        case 0x6e: units[n++] = 0x0a; break; // \n
        case 0x72: units[n++] = 0x0d; break; // \r
        case 0x74: units[n++] = 0x09; break; // \t
        case 0x75: { // \uXXXX
          const unit = hex4(bytes, i, end);
          units[n++] = unit < 0 ? 0xfffd : unit;
          if (unit >= 0) i += 4;
          break;
        }
        default: units[n++] = e; // \" \\ \/
      }
    } else if (c < 0x80) {
      units[n++] = c;
      i++;
    } else {
      // UTF-8 (WHATWG decoding): a bad sequence becomes one U+FFFD per maximal subpart, as TextDecoder does.
      const length = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      let cp = length === 2 ? c & 0x1f : length === 3 ? c & 0x0f : c & 0x07;
      let k = 1;
      for (; k < length && i + k < end; k++) {
        const cc = bytes[i + k];
        const low = k === 1 && c === 0xe0 ? 0xa0 : k === 1 && c === 0xf0 ? 0x90 : 0x80;
        const high = k === 1 && c === 0xed ? 0x9f : k === 1 && c === 0xf4 ? 0x8f : 0xbf;
        if (cc < low || cc > high) break;
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (length === 0 || k < length) {
        units[n++] = 0xfffd;
        i += k;
      } else if (cp >= 0x10000) {
        cp -= 0x10000;
        units[n++] = 0xd800 | (cp >> 10);
        units[n++] = 0xdc00 | (cp & 0x3ff);
        i += length;
      } else {
        units[n++] = cp;
        i += length;
      }
    }
  }
  return codeUnitsToString(units, 0, n);
}

function hex4(bytes: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let value = 0;
  for (let k = 0; k < 4; k++) {
    const c = bytes[at + k];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

/** Names are mostly short ASCII: eight code units per call beats apply() on a subarray (measured ~1.7x). */
function shortAsciiToString(b: Uint8Array, start: number, end: number): string {
  let text = '';
  let i = start;
  for (; i + 8 <= end; i += 8) text += String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  for (; i < end; i++) text += String.fromCharCode(b[i]);
  return text;
}

const APPLY_LIMIT = 8192;

function codeUnitsToString(units: Uint8Array | Uint16Array, start: number, end: number): string {
  if (end - start <= APPLY_LIMIT) return Reflect.apply(String.fromCharCode, null, units.subarray(start, end)) as string;
  const parts: string[] = [];
  for (let at = start; at < end; at += APPLY_LIMIT) {
    parts.push(Reflect.apply(String.fromCharCode, null, units.subarray(at, Math.min(end, at + APPLY_LIMIT))) as string);
  }
  return parts.join('');
}
