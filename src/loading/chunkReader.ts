import type { FileHandle } from 'node:fs/promises';

/** 4 MiB reads: large enough that per-chunk overhead vanishes. */
export const READ_SIZE = 4 << 20;

/**
 * Positional reads into two reused buffers: the next read runs in the thread
 * pool while this chunk is parsed, and no fresh 4 MiB of pages is touched per
 * chunk (a stream allocates one per read: ~0.5 s of page faults per GB).
 * A chunk is valid until the next call to next().
 */
export class ChunkReader {
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
