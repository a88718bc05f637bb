import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SnapshotFormatError, SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';

export interface ReadSnapshotOptions {
  /** Bytes consumed and the section being read; `totalBytes` is the file size. */
  onProgress?: (progress: ParseProgress & { totalBytes: number }) => void;
  /** Aborting stops reading and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** 4 MiB reads: large enough that per-chunk overhead vanishes, small enough to stay out of the way of GC. */
const READ_SIZE = 4 << 20;

/**
 * Streams a `.heapsnapshot` file through the parser without ever holding the
 * whole text (files above 512 MiB do not fit one JS string).
 * Rejects with a SnapshotFormatError naming the file when it is not a valid
 * snapshot, and with an Error naming the file when it cannot be read.
 */
export async function readSnapshotFile(path: string, options: ReadSnapshotOptions = {}): Promise<HeapSnapshotData> {
  const { onProgress, signal } = options;
  signal?.throwIfAborted();
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (error) {
    throw unreadable(path, error);
  }
  const parser = new SnapshotParser({ onProgress: onProgress && ((progress) => onProgress({ ...progress, totalBytes })) });
  const stream = createReadStream(path, { highWaterMark: READ_SIZE, signal });
  try {
    for await (const chunk of stream) parser.write(chunk as Buffer);
    return parser.end();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof SnapshotFormatError) throw error.withSource(path);
    if (error instanceof RangeError) throw new Error(`${path}: ${error.message}`);
    throw unreadable(path, error);
  } finally {
    stream.destroy();
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
