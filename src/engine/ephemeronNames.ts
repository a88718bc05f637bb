/**
 * WeakMap entries as V8 names them. For each entry whose key and value are
 * heap objects V8 writes two `internal` edges to the value with one
 * description, `3 / part of key (Key @7) -> value (Value @9) pair in WeakMap
 * (table @5)`: one from the key, one from the WeakMap's backing table (the
 * numeric prefix counts each holder's own edges, so the two names usually
 * differ). EPHEMERON_NAME is the pattern of DevTools'
 * HeapSnapshot.tryParseWeakMapEdgeName.
 *
 * The parser reads the three ids of each such name from its bytes as the
 * strings arrive (EphemeronNameCollector), so no name is decoded or matched
 * against the pattern while the graph is indexed: ESLint's heap holds 33,000
 * of them, which took ~70 ms to decode and match in its distances' search.
 */
import type { EphemeronNames } from './snapshotData';
import { doubled } from './growingArrays';

export const EPHEMERON_NAME = /^\d+( \/ part of key \(.*? @(\d+)\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;

const PART_OF_KEY = bytesOf(' / part of key (');
const TO_VALUE = bytesOf(') -> value (');
const PAIR_IN_WEAK_MAP = bytesOf(') pair in WeakMap (table @');
const UINT32_MAX = 0xffffffff;

/**
 * The ids an ephemeron name gives, read from its raw bytes (UTF-8 and still
 * JSON-escaped: what EPHEMERON_NAME matches outside its wildcards is ASCII
 * that V8 never escapes) into out[0..2] = key, value, table. False for a
 * string EPHEMERON_NAME rejects, and for an id past 32 bits (no node has one).
 */
export function ephemeronIdsInBytes(bytes: Uint8Array, start: number, end: number, out: Float64Array): boolean {
  let at = start;
  while (at < end && isDigit(bytes[at])) at++;
  if (at === start || !bytesAt(bytes, at, end, PART_OF_KEY)) return false;
  const keyFrom = at + PART_OF_KEY.length;
  const tail = valueAndTableAtEnd(bytes, keyFrom, end, out);
  if (tail < 0) return false;
  // The key: the first ` @K) -> value (` after `part of key (`, as the pattern's lazy wildcard takes it.
  for (let i = keyFrom; i + 1 < tail; i++) {
    if (bytes[i] !== 0x20 || bytes[i + 1] !== 0x40) continue;
    let j = i + 2;
    while (j < end && isDigit(bytes[j])) j++;
    if (j === i + 2 || !bytesAt(bytes, j, end, TO_VALUE)) continue;
    const key = digitsValue(bytes, i + 2, j);
    if (j + TO_VALUE.length > tail || key > UINT32_MAX) return false;
    out[0] = key;
    return true;
  }
  return false;
}

/**
 * ` @V) pair in WeakMap (table @T)` at the end of bytes[from, end): V and T
 * into out[1] and out[2]; returns where that tail begins, or -1.
 */
function valueAndTableAtEnd(bytes: Uint8Array, from: number, end: number, out: Float64Array): number {
  let at = end - 1;
  if (at <= from || bytes[at] !== 0x29) return -1;
  const tableEnd = at;
  while (at > from && isDigit(bytes[at - 1])) at--;
  if (at === tableEnd) return -1;
  const table = digitsValue(bytes, at, tableEnd);
  at -= PAIR_IN_WEAK_MAP.length;
  if (at < from || !bytesAt(bytes, at, end, PAIR_IN_WEAK_MAP)) return -1;
  const valueEnd = at;
  while (at > from && isDigit(bytes[at - 1])) at--;
  if (at === valueEnd || at - 2 < from || bytes[at - 1] !== 0x40 || bytes[at - 2] !== 0x20) return -1;
  const value = digitsValue(bytes, at, valueEnd);
  if (value > UINT32_MAX || table > UINT32_MAX) return -1;
  out[1] = value;
  out[2] = table;
  return at - 2;
}

/** Collects the ephemeron names of a string table as it is built, by string index. */
export class EphemeronNameCollector {
  private nameIndexes = new Uint32Array(16);
  private keyIds = new Uint32Array(16);
  private valueIds = new Uint32Array(16);
  private tableIds = new Uint32Array(16);
  private count = 0;
  private readonly ids = new Float64Array(3);

  /** String `index`, bytes[start, end): noted when it is an ephemeron name. */
  note(index: number, bytes: Uint8Array, start: number, end: number): void {
    if (!ephemeronIdsInBytes(bytes, start, end, this.ids)) return;
    if (this.count === this.nameIndexes.length) {
      this.nameIndexes = doubled(this.nameIndexes);
      this.keyIds = doubled(this.keyIds);
      this.valueIds = doubled(this.valueIds);
      this.tableIds = doubled(this.tableIds);
    }
    const i = this.count++;
    this.nameIndexes[i] = index;
    this.keyIds[i] = this.ids[0];
    this.valueIds[i] = this.ids[1];
    this.tableIds[i] = this.ids[2];
  }

  /** What was noted, in arrays of their own (another thread can take them). */
  names(): EphemeronNames {
    const n = this.count;
    return { nameIndexes: this.nameIndexes.slice(0, n), keyIds: this.keyIds.slice(0, n), valueIds: this.valueIds.slice(0, n), tableIds: this.tableIds.slice(0, n) };
  }
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function bytesAt(bytes: Uint8Array, at: number, end: number, expected: Uint8Array): boolean {
  if (end - at < expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[at + k] !== expected[k]) return false;
  return true;
}

function digitsValue(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) value = value * 10 + bytes[k] - 0x30;
  return value;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}
