import { open, type FileHandle } from 'node:fs/promises';
import { SnapshotFormatError, SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';
import type { IndexedElsewhere } from '../engine/heapGraph';
import { indexGraphElsewhere, indexingSettled, type IndexingOptions, type LoadedSnapshot } from './buildGraph';
import { ChunkReader } from './chunkReader';
import { isGzip, parseGzipFile } from './gzipFile';
import { HelperThread, defaultHelperScript } from './helperThread';
import { findEdgesEnd, readWithHelper, type SplitOutcome } from './twoThreadRead';

export type { SplitOutcome } from './twoThreadRead';

export interface ReadSnapshotOptions extends IndexingOptions {
  /** Bytes of the file read and the section being read; `totalBytes` is the file size (compressed or not). */
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
  /**
   * Have the helper index the edges for buildGraph once they are read
   * (default true); false when no graph will be built from this snapshot,
   * so no thread spends time and memory on indexes nobody takes (nor on
   * shallow sizes or a dominator tree: `retainedSizes` is then ignored).
   */
  indexEdges?: boolean;
}

/** Below this, starting a thread costs more than it saves. */
const TWO_THREADS_FROM_BYTES = 32 << 20;

/**
 * Streams a `.heapsnapshot` file through the parser without ever holding the
 * whole text (files above 512 MiB do not fit one JS string); a gzip file
 * (`.heapsnapshot.gz`) is inflated on the way (gzipFile.ts). Large files are
 * read by two threads (see twoThreadRead.ts): a helper reads what follows the
 * edges, then the end of the edges backwards, while this thread parses from
 * the start; once the file is parsed, the helper goes on with shallow sizes
 * and the retainer rows (`indexing`: hand it to buildGraph with the data).
 * Rejects with a SnapshotFormatError naming the file when it is not a valid
 * snapshot, and with an Error naming the file when it cannot be read.
 */
export async function readSnapshotFile(path: string, options: ReadSnapshotOptions = {}): Promise<LoadedSnapshot> {
  options.signal?.throwIfAborted();
  const { file, size } = await openFile(path);
  let compressed: boolean;
  try {
    compressed = await isGzip(file);
  } catch (error) {
    await file.close();
    throw unreadable(path, error);
  }
  const script = options.helperScript === undefined ? defaultHelperScript() : options.helperScript;
  if (compressed) return { data: await readGzipFile(file, path, size, script, options), indexing: undefined };
  return readPlainFile(file, path, size, script, options);
}

async function openFile(path: string): Promise<{ file: FileHandle; size: number }> {
  try {
    const file = await open(path, 'r');
    const info = await file.stat();
    if (info.isDirectory()) {
      await file.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return { file, size: info.size };
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** One thread, or two for large files. */
async function readPlainFile(file: FileHandle, path: string, totalBytes: number, script: string | null, options: ReadSnapshotOptions): Promise<LoadedSnapshot> {
  const { onProgress, signal } = options;
  const twoThreads = script !== null && totalBytes >= (options.twoThreadsFromBytes ?? TWO_THREADS_FROM_BYTES);
  // Started first: the thread boots while the split is planned.
  const helper = twoThreads ? new HelperThread(script) : undefined;
  let indexing: IndexedElsewhere | undefined;
  const reader = new ChunkReader(file);
  try {
    // Planning only reads; if even that fails, one thread reads all and names the problem.
    const edgesEnd = helper ? await findEdgesEnd(file, totalBytes).catch(() => undefined) : undefined;
    if (edgesEnd === undefined) await helper?.stop();
    const parser = new SnapshotParser({
      onProgress: onProgress && ((progress) => onProgress({ ...progress, totalBytes })),
      sharedEdges: script !== null,
    });
    let edgesRead = false;
    if (helper && edgesEnd !== undefined) {
      const split = await readWithHelper({ file, path, parser, reader, helper, edgesEnd, signal, onSplit: options.onSplit, parserWaitsForHelper: options.parserWaitsForHelper });
      edgesRead = split.edgesRead;
      await reader.seek(split.position);
    }
    for (;;) {
      const chunk = await reader.next();
      signal?.throwIfAborted();
      if (!chunk) break;
      parser.write(chunk);
    }
    const data = parser.end();
    if (helper && edgesRead && options.indexEdges !== false) {
      indexing = indexGraphElsewhere(helper, data, options);
      void indexingSettled(indexing).finally(() => helper.stop());
    }
    return { data, indexing };
  } catch (error) {
    await helper?.stop();
    throw fileError(path, error, signal);
  } finally {
    // A helper that indexes is stopped once its jobs are done.
    if (!indexing) await helper?.stop();
    await reader.close();
    await file.close();
  }
}

/** One thread parses what zlib inflates; `script` says whether buildGraph may use a second one. */
async function readGzipFile(file: FileHandle, path: string, totalBytes: number, script: string | null, { onProgress, signal }: ReadSnapshotOptions): Promise<HeapSnapshotData> {
  let bytesRead = 0;
  const parser = new SnapshotParser({
    onProgress: onProgress && ((progress) => onProgress({ ...progress, bytes: bytesRead, totalBytes })),
    sharedEdges: script !== null,
  });
  try {
    return await parseGzipFile(file, parser, signal, (bytes) => (bytesRead = bytes));
  } catch (error) {
    throw fileError(path, error, signal);
  } finally {
    await file.close();
  }
}

/** The error readSnapshotFile rejects with: the file named, the abort reason as is. */
function fileError(path: string, error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof SnapshotFormatError) return error.withSource(path);
  if (error instanceof RangeError) return new Error(`${path}: ${error.message}`);
  return unreadable(path, error);
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
