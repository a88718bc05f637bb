/*
 * Snapshots stored compressed (`.heapsnapshot.gz`): recognised by gzip's
 * magic bytes whatever the file is called, inflated as a stream (node:zlib
 * inflates on libuv's thread pool, so it overlaps parsing on a second core)
 * and parsed by this thread alone: the two-thread read needs to start at the
 * end of the edges, which a gzip stream cannot. Indexing still uses a second
 * thread (buildGraph).
 */
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { IncompleteSnapshotError, SnapshotFormatError } from '../engine/snapshotFormatError';

/** gzip's first two bytes (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];
/** Compressed bytes per read, and inflated bytes per chunk handed to the parser. */
const CHUNK_SIZE = 1 << 20;

export async function isGzip(file: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(GZIP_MAGIC.length);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  return bytesRead === head.length && GZIP_MAGIC.every((byte, i) => head[i] === byte);
}

/**
 * Inflates the file through `parser` and returns its data. `onRead` is told
 * how many bytes of the file were read so far (progress is a fraction of the
 * file's size, compressed or not). An incomplete snapshot is said of a gzip
 * file, and a corrupt gzip stream is a SnapshotFormatError.
 */
export async function parseGzipFile(file: FileHandle, parser: SnapshotParser, signal: AbortSignal | undefined, onRead?: (bytes: number) => void): Promise<HeapSnapshotData> {
  const source = file.createReadStream({ start: 0, highWaterMark: CHUNK_SIZE, autoClose: false });
  let endedEarly = false;
  try {
    await pipeline(
      source,
      createGunzip({ chunkSize: CHUNK_SIZE }),
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) {
          onRead?.(source.bytesRead);
          parser.write(chunk);
        }
      },
      { signal },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // zlib's "unexpected end of file": the file was cut; the parser says what is missing.
    if (code === 'Z_BUF_ERROR') endedEarly = true;
    else if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new SnapshotFormatError(`the gzip data is corrupt (zlib: ${(error as Error).message}) within the first ${source.bytesRead} bytes of the file`, source.bytesRead, 'gzip data');
    } else throw error;
  }
  try {
    const data = parser.end();
    if (endedEarly) throw new SnapshotFormatError("the gzip data ends early, after the whole snapshot (only gzip's checksum is missing)", source.bytesRead, 'the end of the gzip data');
    return data;
  } catch (error) {
    if (error instanceof IncompleteSnapshotError) throw error.cameIn(endedEarly ? 'cut gzip file' : 'gzip file');
    throw error;
  }
}
