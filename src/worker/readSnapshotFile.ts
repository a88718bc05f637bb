import { open, type FileHandle } from 'node:fs/promises';
import { SnapshotFormatError, SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';
import { EdgeClaims } from './edgeClaims';
import { bytesThroughComma, findEdgesEnd, readAt, startEdgeTail } from './edgeTailSplit';
import { HelperThread, defaultHelperScript } from './helper';
import type { EdgeTailReply } from './helperThread';
import { indexEdgesElsewhere } from './buildGraph';

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
  /**
   * For tests of the split: once the parser is inside the edges and the helper
   * has its job, the parser claims no further chunk until the helper has
   * claimed one (or finished). Which thread reads what otherwise depends on
   * their speeds: on a busy machine the parser may read every edge, or the
   * helper read back past the edges' start, and a test would see no join.
   */
  parserWaitsForHelper?: boolean;
}

export interface SplitOutcome {
  /** Where the parser's chunks ended and the helper's began. */
  meetingPoint: number;
  /** The edges' closing ']'. */
  end: number;
  joined: boolean;
  /** Why the helper's part was not used. */
  mismatch?: string;
  /** Whether the sections after the edges came from the helper. */
  fileTail: boolean;
}

/** 4 MiB reads: large enough that per-chunk overhead vanishes. */
const READ_SIZE = 4 << 20;
/** Below this, starting a thread costs more than it saves. */
const TWO_THREADS_FROM_BYTES = 32 << 20;

/**
 * Streams a `.heapsnapshot` file through the parser without ever holding the
 * whole text (files above 512 MiB do not fit one JS string). Large files are
 * read by two threads: a helper reads what follows the edges, then the end
 * of the edges backwards (see edgeTailSplit.ts), while this thread parses
 * from the start.
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
  const helper = twoThreads ? new HelperThread(script) : undefined;
  let helperBusy = false;
  const reader = new ChunkReader(file);
  try {
    // Planning only reads; if even that fails, one thread reads all and names the problem.
    const edgesEnd = helper ? await findEdgesEnd(file, totalBytes).catch(() => undefined) : undefined;
    if (edgesEnd === undefined) await helper?.stop();
    const parser = new SnapshotParser({
      onProgress: onProgress && ((progress) => onProgress({ ...progress, totalBytes })),
      sharedEdges: script !== null,
    });
    if (helper && edgesEnd !== undefined) {
      // Claimed chunk by chunk until the helper's claims meet ours.
      const claims = new EdgeClaims(edgesEnd);
      let job: Promise<EdgeTailReply> | undefined;
      let waitForHelper = options.parserWaitsForHelper ?? false;
      for (let index = claims.claimForward(); index >= 0; index = claims.claimForward()) {
        const [start, end] = claims.range(index);
        const chunk = await reader.next(end - start);
        signal?.throwIfAborted();
        if (!chunk || chunk.length !== end - start) throw Object.assign(new Error('the file changed while it was read'), { code: 'ECHANGED' });
        parser.write(chunk);
        job ??= startEdgeTail(helper, path, claims, parser.edgeTailTarget);
        if (job && waitForHelper && parser.currentSection === 'edges') {
          waitForHelper = false;
          await helperClaimedAChunk(claims, job);
        }
      }
      await reader.seek(job ? await joinHelperParts(file, parser, job, claims, options.onSplit) : claims.end);
      const target = parser.edgeTailTarget;
      if (target && parser.edgesComplete) {
        // The edges are all read: the helper indexes them while this thread finishes.
        const { columns, layout } = target;
        const indexes = indexEdgesElsewhere(helper, { edgeTypes: columns.types, edgeToNodes: columns.toNodes, nodeCount: layout.nodeCount, edgeTypeNames: layout.edgeTypeNames });
        helperBusy = true;
        void indexes.retainerRows.finally(() => helper.stop());
      }
    }
    for (;;) {
      const chunk = await reader.next();
      signal?.throwIfAborted();
      if (!chunk) break;
      parser.write(chunk);
    }
    return parser.end();
  } catch (error) {
    await helper?.stop();
    if (signal?.aborted) throw signal.reason;
    if (error instanceof SnapshotFormatError) throw error.withSource(path);
    if (error instanceof RangeError) throw new Error(`${path}: ${error.message}`);
    throw unreadable(path, error);
  } finally {
    if (!helperBusy) await helper?.stop();
    await reader.close();
    await file.close();
  }
}

/**
 * Joins what the helper read to what the parser read (the parser's chunks end
 * at the meeting point) and returns where to read on. The edges: the parser
 * reads up to the first ',' at or after the meeting point (the helper read
 * from just after it) and takes the helper's part. The rest of the file: taken
 * from the helper when it claimed it, once the parser has read the edges' ']'.
 * Whatever does not fit, the parser reads itself, so it names any error.
 */
async function joinHelperParts(file: FileHandle, parser: SnapshotParser, job: Promise<EdgeTailReply>, claims: EdgeClaims, onSplit: ReadSnapshotOptions['onSplit']): Promise<number> {
  const { meetingPoint, end } = claims;
  const reply = job.catch((error: Error): EdgeTailReply => ({ edges: { mismatch: error.message }, fileTail: { mismatch: error.message } }));
  let position = meetingPoint;
  let joined = false;
  let mismatch: string | undefined;
  if (claims.helperChunks > 0) {
    const head = await bytesThroughComma(file, meetingPoint, end);
    const { edges } = await reply;
    if (head) {
      parser.write(head);
      joined = 'tail' in edges && parser.acceptEdgeTail(edges.tail, end);
      mismatch = joined ? undefined : 'mismatch' in edges ? edges.mismatch : 'the two parts do not fit together';
      position = joined ? end : meetingPoint + head.length;
    } else {
      mismatch = "no ',' where the threads met";
    }
  }
  let fileTail = false;
  if (position === end && !claims.claimFileTail('parser')) {
    const helperPart = (await reply).fileTail;
    const tail = helperPart && 'tail' in helperPart ? helperPart.tail : undefined;
    parser.write(await readAt(file, end, 1)); // the edges' ']'
    fileTail = tail !== undefined && parser.acceptFileTail(tail);
    position = tail && fileTail ? tail.end : end + 1;
  }
  onSplit?.({ meetingPoint, end, joined, mismatch, fileTail });
  return position;
}

/** Resolves once the helper claimed a chunk of the edges or its job settled (it then claims none). */
async function helperClaimedAChunk(claims: EdgeClaims, job: Promise<EdgeTailReply>): Promise<void> {
  let settled = false;
  void job.then(() => (settled = true), () => (settled = true));
  // The helper does not signal its claims (that would cost every load for a test's sake): poll.
  while (!settled && claims.helperChunks === 0) await new Promise((resolve) => setTimeout(resolve, 1));
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
  private inFlightLength = 0;

  constructor(private readonly file: FileHandle) {}

  /** The next `length` bytes (fewer at the end of the file); the read after it is started at once. */
  async next(length = READ_SIZE): Promise<Buffer | undefined> {
    if (this.inFlight && this.inFlightLength !== length) await this.close();
    const bytesRead = await (this.inFlight ?? this.read(this.position, length));
    this.inFlight = undefined;
    if (bytesRead === 0) return undefined;
    const chunk = this.buffers[this.current].subarray(0, bytesRead);
    this.position += bytesRead;
    this.current ^= 1;
    this.inFlight = this.read(this.position, length);
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

  private read(position: number, length: number): Promise<number> {
    this.inFlightLength = length;
    const read = this.file.read(this.buffers[this.current], 0, length, position).then(({ bytesRead }) => bytesRead);
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
