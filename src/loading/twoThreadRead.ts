import type { FileHandle } from 'node:fs/promises';
import type { BackwardEdgesTarget } from '../engine/parser';
import type { HelperThread } from './helperThread';
import type { ReadFromEndReply } from './helperMain';
import type { EdgeClaims } from './edgeClaims';

/*
 * The two-thread read of one snapshot file. The edges array is ~60 % of a V8
 * snapshot, and it ends right before `"trace_function_infos":`. A helper
 * thread (dist/helper.js) reads the sections after it (locations, strings),
 * then the edges backwards from their end, while readSnapshotFile parses
 * forwards from the start; EdgeClaims says where they meet and who reads the
 * sections after the edges.
 */

/** V8 writes this key right after the edges (every version since 2016). */
const KEY_AFTER_EDGES = Buffer.from('"trace_function_infos":');
const SEARCH_CHUNK = 4 << 20;

/**
 * Offset of the edges' closing ']', found by reading only the file's last
 * sections; undefined when the file does not look like V8's layout. A wrong
 * answer costs time, never correctness: the helper gives up on anything but
 * numbers, and the parser checks that the two parts fit together.
 */
export async function findEdgesEnd(file: FileHandle, size: number): Promise<number | undefined> {
  const key = await findLast(file, size, KEY_AFTER_EDGES, Math.floor(size / 4));
  if (key === undefined) return undefined;
  // Before the key: whitespace, ',', whitespace, ']' and the last edge's last digit.
  const before = await readAt(file, Math.max(0, key - 64), Math.min(64, key));
  let i = before.length - 1;
  const skipSpace = (): void => {
    while (i >= 0 && (before[i] === 0x20 || before[i] === 0x0a || before[i] === 0x0d || before[i] === 0x09)) i--;
  };
  skipSpace();
  if (before[i--] !== 0x2c) return undefined;
  skipSpace();
  if (before[i] !== 0x5d) return undefined;
  const end = key - before.length + i;
  i--;
  skipSpace();
  return before[i] >= 0x30 && before[i] <= 0x39 ? end : undefined;
}

/** The bytes from `from` up to and including the first ',' before `end`; undefined when there is none nearby. */
export async function bytesThroughComma(file: FileHandle, from: number, end: number): Promise<Buffer | undefined> {
  const window = await readAt(file, from, Math.min(1 << 16, end - from));
  const comma = window.indexOf(0x2c);
  return comma < 0 ? undefined : window.subarray(0, comma + 1);
}

/** Offset of the last occurrence of `pattern` within the last `limit` bytes, reading backwards. */
async function findLast(file: FileHandle, size: number, pattern: Buffer, limit: number): Promise<number | undefined> {
  const stop = Math.max(0, size - limit);
  for (let end = size; end > stop; ) {
    const start = Math.max(stop, end - SEARCH_CHUNK);
    // Overlap the next chunk by the pattern's length so a match across the boundary is found.
    const chunk = await readAt(file, start, Math.min(size, end + pattern.length - 1) - start);
    const found = chunk.lastIndexOf(pattern);
    if (found >= 0) return start + found;
    end = start;
  }
  return undefined;
}

export async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Starts the helper on its part of the edges once the parser has its (shared) columns. */
export function startReadingFromEnd(helper: HelperThread, path: string, claims: EdgeClaims, target: BackwardEdgesTarget | undefined): Promise<ReadFromEndReply> | undefined {
  if (!target) return undefined;
  return helper.run<ReadFromEndReply>({ kind: 'read-from-end', path, claims: claims.state, end: claims.end, chunkSize: claims.chunkSize, layout: target.layout, columns: target.columns });
}
