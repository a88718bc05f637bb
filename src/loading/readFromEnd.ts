/*
 * The helper's side of the two-thread read (twoThreadRead.ts is the parser's):
 * it reads what follows the edges (locations, strings), then the end of the
 * edges array backwards (src/engine/backwardEdges.ts), while the parser reads
 * the file forwards, the two meeting wherever they meet (edgeClaims.ts).
 * Synchronous reads: this thread has nothing else to do meanwhile.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BackwardEdgeParser, type BackwardEdges } from '../engine/backwardEdges';
import { SnapshotParser, type SectionsAfterEdges } from '../engine/parser';
import type { HelperPart, ReadFromEndJob, ReadFromEndReply } from '../protocol/helperApi';
import { EdgeClaims } from './edgeClaims';

export function readFromEnd(job: ReadFromEndJob): ReadFromEndReply {
  const claims = new EdgeClaims(job.end, job.claims, job.chunkSize);
  let fd: number;
  try {
    fd = openSync(job.path, 'r');
  } catch (error) {
    // Nothing claimed: the parser reads all.
    return { afterEdges: null, edges: { mismatch: (error as Error).message } };
  }
  try {
    // The file's end first: it is needed whoever reads the edges, and the edges balance the load.
    const afterEdges = claims.claimSectionsAfterEdges('helper') ? attempt(() => readSectionsAfterEdges(fd, job)) : null;
    return { afterEdges, edges: attempt(() => readEdgesBackwards(fd, job, claims)) };
  } finally {
    closeSync(fd);
  }
}

function attempt<T>(read: () => T): HelperPart<T> {
  try {
    return { read: read() };
  } catch (error) {
    return { mismatch: (error as Error).message };
  }
}

/** Everything after the edges' ']' (locations, strings), parsed as the parser would. */
function readSectionsAfterEdges(fd: number, job: ReadFromEndJob): SectionsAfterEdges {
  const start = job.end + 1;
  // Strings in SharedArrayBuffers: the loading thread gets them without a copy, and this thread can read them later.
  const parser = new SnapshotParser({ afterEdges: { layout: job.layout, offset: start }, sharedEdges: true });
  const buffer = new Uint8Array(job.chunkSize);
  const size = fstatSync(fd).size;
  for (let at = start; at < size; ) {
    const chunk = readRange(fd, buffer, [at, Math.min(size, at + buffer.length)]);
    parser.write(chunk);
    at += chunk.length;
  }
  return parser.endSectionsAfterEdges();
}

/**
 * Claims chunks from the end of the edges backwards until the parser's claims
 * meet ours. A chunk is parsed only once the next one is claimed: the last one
 * is parsed from just after its first ',', where the parser stops.
 */
function readEdgesBackwards(fd: number, job: ReadFromEndJob, claims: EdgeClaims): BackwardEdges {
  const parser = new BackwardEdgeParser(job.layout, job.columns);
  let buffer = new Uint8Array(job.chunkSize);
  let spare = new Uint8Array(job.chunkSize);
  const index = claims.claimBackward();
  if (index < 0) return parser.end();
  let chunk = readRange(fd, buffer, claims.range(index));
  for (;;) {
    const next = claims.claimBackward();
    if (next < 0) {
      const comma = chunk.indexOf(0x2c);
      if (comma < 0) throw new Error('no \',\' in the last chunk');
      parser.writeBackward(chunk.subarray(comma + 1));
      break;
    }
    parser.writeBackward(chunk);
    [buffer, spare] = [spare, buffer];
    chunk = readRange(fd, buffer, claims.range(next));
  }
  return parser.end();
}

function readRange(fd: number, buffer: Uint8Array, [start, end]: [number, number]): Uint8Array {
  const length = end - start;
  for (let got = 0; got < length; ) {
    const bytesRead = readSync(fd, buffer, got, length - got, start + got);
    if (bytesRead === 0) throw new Error('the file ended early');
    got += bytesRead;
  }
  return buffer.subarray(0, length);
}
