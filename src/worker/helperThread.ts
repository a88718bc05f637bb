// dist/helper.js: a second thread for the two big sequential jobs of loading
// a snapshot on a multi-core machine, answered in order:
//  - "edge-tail": read the sections after the edges (locations, strings),
//    then the end of the edges array backwards, while readSnapshotFile parses
//    the rest forwards (src/engine/edgeTail.ts), the two meeting wherever they
//    meet (src/worker/edgeClaims.ts);
//  - "retainers": index the edges while HeapGraph.buildWith computes ids
//    and distances (src/worker/buildGraph.ts).
// Both write into SharedArrayBuffers, so nothing large is copied.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { EdgeTailParser, type EdgeTail } from '../engine/edgeTail';
import { SnapshotParser, type EdgeTailTarget, type FileTail } from '../engine/parser';
import { buildRetainerRows } from '../engine/retainerIndex';
import { EdgeClaims } from './edgeClaims';

export interface EdgeTailJob extends EdgeTailTarget {
  kind: 'edge-tail';
  path: string;
  /** EdgeClaims' shared state, its `end` (the edges' closing ']') and chunk size. */
  claims: Int32Array;
  end: number;
  chunkSize: number;
}

export interface EdgeTailReply {
  edges: { tail: EdgeTail } | { mismatch: string };
  /** What follows the edges; null when the parser got there first and reads it itself. */
  fileTail: { tail: FileTail } | { mismatch: string } | null;
}

export interface RetainersJob {
  kind: 'retainers';
  /** Over a SharedArrayBuffer. */
  edgeToNodes: Uint32Array;
  nodeCount: number;
}

export type HelperJob = EdgeTailJob | RetainersJob;

function readEdgeTail(job: EdgeTailJob): EdgeTailReply {
  const claims = new EdgeClaims(job.end, job.claims, job.chunkSize);
  let fd: number;
  try {
    fd = openSync(job.path, 'r');
  } catch (error) {
    // Nothing claimed: the parser reads all.
    return { fileTail: null, edges: { mismatch: (error as Error).message } };
  }
  try {
    // The file's end first: it is needed whoever reads the edges, and the edges balance the load.
    const fileTail = claims.claimFileTail('helper') ? attempt(() => readFileTail(fd, job)) : null;
    return { fileTail, edges: attempt(() => readEdgesBackwards(fd, job, claims)) };
  } finally {
    closeSync(fd);
  }
}

function attempt<T>(read: () => T): { tail: T } | { mismatch: string } {
  try {
    return { tail: read() };
  } catch (error) {
    return { mismatch: (error as Error).message };
  }
}

/** Everything after the edges' ']' (locations, strings), parsed as the parser would. */
function readFileTail(fd: number, job: EdgeTailJob): FileTail {
  const start = job.end + 1;
  const parser = new SnapshotParser({ afterEdges: { layout: job.layout, offset: start } });
  const buffer = new Uint8Array(job.chunkSize);
  const size = fstatSync(fd).size;
  for (let at = start; at < size; ) {
    const chunk = readRange(fd, buffer, [at, Math.min(size, at + buffer.length)]);
    parser.write(chunk);
    at += chunk.length;
  }
  return parser.endFileTail();
}

/**
 * Claims chunks from the end of the edges backwards until the parser's claims
 * meet ours. A chunk is parsed only once the next one is claimed: the last one
 * is parsed from just after its first ',', where the parser stops.
 */
function readEdgesBackwards(fd: number, job: EdgeTailJob, claims: EdgeClaims): EdgeTail {
  const parser = new EdgeTailParser(job.layout, job.columns);
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

/** The buffers a reply can hand over instead of copying. */
function transferables(reply: EdgeTailReply): ArrayBuffer[] {
  if (!reply.fileTail || !('tail' in reply.fileTail)) return [];
  const { locations, strings } = reply.fileTail.tail;
  const arrays = [locations.nodeOrdinals, locations.scriptIds, locations.lines, locations.columns, ...strings.blocks, strings.bases, strings.used, strings.starts];
  const buffers = arrays.map((array) => array.buffer as ArrayBuffer);
  return [...new Set(buffers)];
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

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

const port = parentPort;
if (!port) throw new Error('dist/helper.js must run in a worker thread.');
port.on('message', (job: HelperJob) => {
  if (job.kind === 'retainers') {
    port.postMessage(buildRetainerRows(job.edgeToNodes, job.nodeCount, shared));
    return;
  }
  const reply = readEdgeTail(job);
  port.postMessage(reply, transferables(reply));
});
