import type { FileHandle } from 'node:fs/promises';
import type { SnapshotParser } from '../engine/parser';
import type { ReadFromEndReply } from '../protocol/helperApi';
import type { ChunkReader } from './chunkReader';
import { EdgeClaims } from './edgeClaims';
import type { HelperThread } from './helperThread';

/*
 * The two-thread read of one snapshot file, the parser's side (readFromEnd.ts
 * is the helper's). The edges array is ~60 % of a V8 snapshot, and it ends
 * right before `"trace_function_infos":`. The helper thread reads the sections
 * after it (locations, strings), then the edges backwards from their end,
 * while this thread parses forwards from the start; EdgeClaims says where
 * they meet and who reads the sections after the edges.
 */

export interface SplitOutcome {
  /** Where the parser's chunks ended and the helper's began. */
  meetingPoint: number;
  /** The edges' closing ']'. */
  end: number;
  joined: boolean;
  /** Why the helper's part was not used. */
  mismatch?: string;
  /** Whether the sections after the edges came from the helper. */
  sectionsAfterEdges: boolean;
}

/**
 * Parses the file up to the end of the edges (whose ']' is at `edgesEnd`)
 * while `helper` reads from the end, and joins the two; returns where this
 * thread reads on, and whether every edge is read into the parser's shared
 * columns (the helper can then index them once the rest is parsed).
 * `parserWaitsForHelper` (tests only): see ReadSnapshotOptions.
 */
export async function readWithHelper(
  { file, path, parser, reader, helper, edgesEnd, signal, onSplit, parserWaitsForHelper = false }: {
    file: FileHandle;
    path: string;
    parser: SnapshotParser;
    reader: ChunkReader;
    helper: HelperThread;
    edgesEnd: number;
    signal: AbortSignal | undefined;
    onSplit: ((outcome: SplitOutcome) => void) | undefined;
    parserWaitsForHelper?: boolean;
  },
): Promise<{ position: number; edgesRead: boolean }> {
  // Claimed chunk by chunk until the helper's claims meet ours.
  const claims = new EdgeClaims(edgesEnd);
  let job: Promise<ReadFromEndReply> | undefined;
  let waitForHelper = parserWaitsForHelper;
  for (let index = claims.claimForward(); index >= 0; index = claims.claimForward()) {
    const [start, end] = claims.range(index);
    const chunk = await reader.next(end - start);
    signal?.throwIfAborted();
    if (!chunk || chunk.length !== end - start) throw Object.assign(new Error('the file changed while it was read'), { code: 'ECHANGED' });
    parser.write(chunk);
    const target = parser.backwardEdgesTarget;
    // Once the parser has the (shared) edge columns, the helper can fill their end.
    job ??= target && helper.call('readFromEnd', { path, claims: claims.state, end: claims.end, chunkSize: claims.chunkSize, layout: target.layout, columns: target.columns });
    if (job && waitForHelper && parser.currentSection === 'edges') {
      waitForHelper = false;
      await helperClaimedAChunk(claims, job);
    }
  }
  const position = job ? await joinHelperParts(file, parser, job, claims, onSplit) : claims.end;
  return { position, edgesRead: parser.backwardEdgesTarget !== undefined && parser.edgesComplete };
}

/** Resolves once the helper claimed a chunk of the edges or its job settled (it then claims none). */
async function helperClaimedAChunk(claims: EdgeClaims, job: Promise<ReadFromEndReply>): Promise<void> {
  let settled = false;
  void job.then(() => (settled = true), () => (settled = true));
  // The helper does not signal its claims (that would cost every load for a test's sake): poll.
  while (!settled && claims.helperChunks === 0) await new Promise((resolve) => setTimeout(resolve, 1));
}

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
async function bytesThroughComma(file: FileHandle, from: number, end: number): Promise<Buffer | undefined> {
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

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Joins what the helper read to what the parser read (the parser's chunks end
 * at the meeting point) and returns where to read on. The edges: the parser
 * reads up to the first ',' at or after the meeting point (the helper read
 * from just after it) and takes the helper's part. The rest of the file: taken
 * from the helper when it claimed it, once the parser has read the edges' ']'.
 * Whatever does not fit, the parser reads itself, so it names any error.
 */
async function joinHelperParts(file: FileHandle, parser: SnapshotParser, job: Promise<ReadFromEndReply>, claims: EdgeClaims, onSplit: ((outcome: SplitOutcome) => void) | undefined): Promise<number> {
  const { meetingPoint, end } = claims;
  const reply = job.catch((error: Error): ReadFromEndReply => ({ edges: { mismatch: error.message }, afterEdges: { mismatch: error.message } }));
  let position = meetingPoint;
  let joined = false;
  let mismatch: string | undefined;
  if (claims.helperChunks > 0) {
    const head = await bytesThroughComma(file, meetingPoint, end);
    const { edges } = await reply;
    if (head) {
      parser.write(head);
      joined = 'read' in edges && parser.acceptBackwardEdges(edges.read, end);
      mismatch = joined ? undefined : 'mismatch' in edges ? edges.mismatch : 'the two parts do not fit together';
      position = joined ? end : meetingPoint + head.length;
    } else {
      mismatch = "no ',' where the threads met";
    }
  }
  let helperSections = false;
  if (position === end && !claims.claimSectionsAfterEdges('parser')) {
    const helperPart = (await reply).afterEdges;
    const sections = helperPart && 'read' in helperPart ? helperPart.read : undefined;
    parser.write(await readAt(file, end, 1)); // the edges' ']'
    helperSections = sections !== undefined && parser.acceptSectionsAfterEdges(sections);
    position = sections && helperSections ? sections.end : end + 1;
  }
  onSplit?.({ meetingPoint, end, joined, mismatch, sectionsAfterEdges: helperSections });
  return position;
}
