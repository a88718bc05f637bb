import { open, type FileHandle } from 'node:fs/promises';
import { SnapshotFormatError, SnapshotParser } from '../engine/parser';
import type { ParseProgress } from '../engine/snapshotData';
import type { IndexedElsewhere } from '../engine/heapGraph';
import type { LoadedSnapshot } from './buildGraph';
import { ChunkReader } from './chunkReader';
import { HelperThread, defaultHelperScript } from './helperThread';
import { findEdgesEnd, readWithHelper, type SplitOutcome } from './twoThreadRead';

export type { SplitOutcome } from './twoThreadRead';

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

/** Below this, starting a thread costs more than it saves. */
const TWO_THREADS_FROM_BYTES = 32 << 20;

/**
 * Streams a `.heapsnapshot` file through the parser without ever holding the
 * whole text (files above 512 MiB do not fit one JS string). Large files are
 * read by two threads (see twoThreadRead.ts): a helper reads what follows the
 * edges, then the end of the edges backwards, while this thread parses from
 * the start; the helper then indexes the edges (`indexing`: hand it to
 * buildGraph with the data) while this thread reads the rest.
 * Rejects with a SnapshotFormatError naming the file when it is not a valid
 * snapshot, and with an Error naming the file when it cannot be read.
 */
export async function readSnapshotFile(path: string, options: ReadSnapshotOptions = {}): Promise<LoadedSnapshot> {
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
    if (helper && edgesEnd !== undefined) {
      const split = await readWithHelper({ file, path, parser, reader, helper, edgesEnd, signal, onSplit: options.onSplit });
      indexing = split.indexing;
      await reader.seek(split.position);
    }
    for (;;) {
      const chunk = await reader.next();
      signal?.throwIfAborted();
      if (!chunk) break;
      parser.write(chunk);
    }
    return { data: parser.end(), indexing };
  } catch (error) {
    await helper?.stop();
    if (signal?.aborted) throw signal.reason;
    if (error instanceof SnapshotFormatError) throw error.withSource(path);
    if (error instanceof RangeError) throw new Error(`${path}: ${error.message}`);
    throw unreadable(path, error);
  } finally {
    // A helper that indexes stops by itself once done.
    if (!indexing) await helper?.stop();
    await reader.close();
    await file.close();
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
