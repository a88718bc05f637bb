import { open, type FileHandle } from 'node:fs/promises';
import { SnapshotFormatError, SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';
import { planEdgeSplit, startEdgeTail, type EdgeSplit } from './edgeTailSplit';
import { HelperThread, defaultHelperScript } from './helper';
import type { EdgeTailReply } from './helperThread';

export interface ReadSnapshotOptions {
  /** Bytes consumed and the section being read; `totalBytes` is the file size. */
  onProgress?: (progress: ParseProgress & { totalBytes: number }) => void;
  /** Aborting stops reading and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The helper thread's script (dist/helper.js next to this bundle by default); null reads in this thread only. */
  helperScript?: string | null;
  /** Files from this size on are read by two threads (default 32 MiB). */
  twoThreadsFromBytes?: number;
  /** Told whether the helper's part was used (the bench and tests check that the split happened). */
  onSplit?: (outcome: SplitOutcome) => void;
}

export interface SplitOutcome extends EdgeSplit {
  joined: boolean;
  /** Why the helper's part was not used. */
  mismatch?: string;
}

/** 4 MiB reads: large enough that per-chunk overhead vanishes. */
const READ_SIZE = 4 << 20;
/** Below this, starting a thread costs more than it saves. */
const TWO_THREADS_FROM_BYTES = 32 << 20;

/**
 * Streams a `.heapsnapshot` file through the parser without ever holding the
 * whole text (files above 512 MiB do not fit one JS string). Large files are
 * read by two threads: a helper reads the back half of the edges (see
 * edgeTailSplit.ts) while this thread parses the rest.
 * Rejects with a SnapshotFormatError naming the file when it is not a valid
 * snapshot, and with an Error naming the file when it cannot be read.
 */
export async function readSnapshotFile(path: string, options: ReadSnapshotOptions = {}): Promise<HeapSnapshotData> {
  const { onProgress, signal } = options;
  signal?.throwIfAborted();
  let file: FileHandle;
  let totalBytes: number;
  try {
    file = await open(path, 'r');
    const info = await file.stat();
    if (info.isDirectory()) {
      await file.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    totalBytes = info.size;
  } catch (error) {
    throw unreadable(path, error);
  }
  const script = options.helperScript === undefined ? defaultHelperScript() : options.helperScript;
  const twoThreads = script !== null && totalBytes >= (options.twoThreadsFromBytes ?? TWO_THREADS_FROM_BYTES);
  // Started first: the thread boots while the split is planned.
  const helper = twoThreads ? new HelperThread<EdgeTailReply>(script) : undefined;
  const reader = new ChunkReader(file);
  try {
    const split = helper ? await planEdgeSplit(file, totalBytes) : undefined;
    if (!split) await helper?.stop();
    const parser = new SnapshotParser({
      onProgress: onProgress && ((progress) => onProgress({ ...progress, totalBytes })),
      sharedEdges: script !== null,
    });
    let pending = split;
    for (;;) {
      const chunk = await reader.next();
      signal?.throwIfAborted();
      if (!chunk) break;
      if (helper && pending && reader.position > pending.at) {
        // This chunk holds the split: parse up to it, then join the helper's part.
        parser.write(chunk.subarray(0, pending.at + 1 - (reader.position - chunk.length)));
        await reader.seek(await joinTail(parser, helper, pending, options.onSplit));
        pending = undefined;
        continue;
      }
      parser.write(chunk);
      if (helper && pending) startEdgeTail(helper, path, pending, parser.edgeTailTarget);
    }
    return parser.end();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof SnapshotFormatError) throw error.withSource(path);
    if (error instanceof RangeError) throw new Error(`${path}: ${error.message}`);
    throw unreadable(path, error);
  } finally {
    await helper?.stop();
    await reader.close();
    await file.close();
  }
}

/** Joins the helper's part of the edges; returns where to read on (past the edges, or right after the split when it did not fit). */
async function joinTail(parser: SnapshotParser, helper: HelperThread<EdgeTailReply>, split: EdgeSplit, onSplit: ReadSnapshotOptions['onSplit']): Promise<number> {
  const reply = await helper.result().catch((error: Error): EdgeTailReply => ({ mismatch: error.message }));
  await helper.stop();
  const joined = 'tail' in reply && parser.acceptEdgeTail(reply.tail, split.end);
  onSplit?.({ ...split, joined, mismatch: joined ? undefined : 'mismatch' in reply ? reply.mismatch : 'the two halves do not fit together' });
  return joined ? split.end : split.at + 1;
}

/**
 * Positional reads into two reused buffers: the next read runs in the thread
 * pool while this chunk is parsed, and no fresh 4 MiB of pages is touched per
 * chunk (a stream allocates one per read: ~0.5 s of page faults per GB).
 * A chunk is valid until the next call to next().
 */
class ChunkReader {
  /** Offset just past the last chunk returned. */
  position = 0;
  private readonly buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  private current = 0;
  private inFlight: Promise<number> | undefined;

  constructor(private readonly file: FileHandle) {}

  async next(): Promise<Buffer | undefined> {
    const bytesRead = await (this.inFlight ?? this.read(this.position));
    this.inFlight = undefined;
    if (bytesRead === 0) return undefined;
    const chunk = this.buffers[this.current].subarray(0, bytesRead);
    this.position += bytesRead;
    this.current ^= 1;
    this.inFlight = this.read(this.position);
    return chunk;
  }

  async seek(position: number): Promise<void> {
    await this.close();
    this.position = position;
  }

  /** Lets a read still in flight finish (before the file closes under it). */
  async close(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.inFlight = undefined;
  }

  private read(position: number): Promise<number> {
    const read = this.file.read(this.buffers[this.current], 0, READ_SIZE, position).then(({ bytesRead }) => bytesRead);
    read.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
    return read;
  }
}

function unreadable(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file' :
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
    code === 'EISDIR' ? 'it is a directory' :
    (error as Error | undefined)?.message ?? String(error);
  return new Error(`Cannot read heap snapshot ${path}: ${reason}.`, { cause: error });
}
