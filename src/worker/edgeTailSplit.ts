import type { FileHandle } from 'node:fs/promises';
import type { EdgeTailTarget } from '../engine/parser';
import type { HelperThread } from './helper';
import type { EdgeTailReply } from './helperThread';

/*
 * The two-thread split of one snapshot file. The edges array is ~60 % of a V8
 * snapshot, and it ends right before `"trace_function_infos":`. A helper
 * thread (dist/helper.js) reads the back part of the edges, from just after
 * `at` up to `end`, backwards; readSnapshotFile feeds the parser everything
 * else. Each thread gets about half the bytes.
 */

export interface EdgeSplit {
  /** Offset of a ',' inside "edges": the parser reads up to and including it. */
  at: number;
  /** Offset of the edges' closing ']': the parser resumes there. */
  end: number;
}

/** V8 writes this key right after the edges (every version since 2016). */
const KEY_AFTER_EDGES = Buffer.from('"trace_function_infos":');
const SEARCH_CHUNK = 4 << 20;
/**
 * The helper's share of the file's bytes. Less than half: reading backwards
 * costs ~15 % more per byte (5.9 against 5.0 ns with both cores busy, 1.1 GB).
 */
const HELPER_SHARE = 0.45;

/**
 * Finds where to split, reading only the file's last sections and a few bytes
 * in the middle; undefined when the file does not look like V8's layout. A wrong
 * guess costs time, never correctness: the helper checks that its whole range
 * is numbers and the parser checks that the two halves fit.
 */
export async function planEdgeSplit(file: FileHandle, size: number): Promise<EdgeSplit | undefined> {
  const key = await findLast(file, size, KEY_AFTER_EDGES, size / 4);
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
  if (!(before[i] >= 0x30 && before[i] <= 0x39)) return undefined;
  // The parser reads [0, at] and [end, size), the helper (at, end): shares that finish together.
  const target = end - Math.floor(size * HELPER_SHARE);
  if (target < size / 8) return undefined;
  const window = await readAt(file, target, Math.min(1 << 16, end - target));
  const comma = window.indexOf(0x2c);
  if (comma < 0) return undefined;
  return { at: target + comma, end };
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

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Reads the helper's part of the edges once the parser has its (shared) columns. */
export function startEdgeTail(helper: HelperThread<EdgeTailReply>, path: string, split: EdgeSplit, target: EdgeTailTarget | undefined): void {
  if (helper.started || !target) return;
  void helper.run({ kind: 'edge-tail', path, from: split.at + 1, to: split.end, layout: target.layout, columns: target.columns });
}
