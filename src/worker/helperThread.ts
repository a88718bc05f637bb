// dist/helper.js: a second thread for the two big sequential jobs of loading
// a snapshot on a multi-core machine, answered in order:
//  - "edge-tail": read the end of the edges array backwards while
//    readSnapshotFile parses the rest forwards (src/engine/edgeTail.ts), the
//    two meeting wherever they meet (src/worker/edgeClaims.ts);
//  - "retainers": build the retainer index while HeapGraph.buildWith
//    computes the distances (src/worker/buildGraph.ts).
// Both write into SharedArrayBuffers, so nothing large is copied.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { EdgeTailParser, type EdgeTail } from '../engine/edgeTail';
import type { EdgeTailTarget } from '../engine/parser';
import { buildRetainerRows, type RetainerRows } from '../engine/retainerIndex';
import { EdgeClaims } from './edgeClaims';

export interface EdgeTailJob extends EdgeTailTarget {
  kind: 'edge-tail';
  path: string;
  /** EdgeClaims' shared state, its `end` (the edges' closing ']') and chunk size. */
  claims: Int32Array;
  end: number;
  chunkSize: number;
}

export type EdgeTailReply = { tail: EdgeTail } | { mismatch: string };

export interface RetainersJob {
  kind: 'retainers';
  /** Over a SharedArrayBuffer. */
  edgeToNodes: Uint32Array;
  nodeCount: number;
}

export type HelperJob = EdgeTailJob | RetainersJob;

/**
 * Claims chunks from the end of the edges backwards until the parser's claims
 * meet ours. A chunk is parsed only once the next one is claimed: the last one
 * is parsed from just after its first ',', where the parser stops.
 */
function readEdgeTail(job: EdgeTailJob): EdgeTailReply {
  try {
    const claims = new EdgeClaims(job.end, job.claims, job.chunkSize);
    const parser = new EdgeTailParser(job.layout, job.columns);
    const fd = openSync(job.path, 'r');
    try {
      let buffer = new Uint8Array(job.chunkSize);
      let spare = new Uint8Array(job.chunkSize);
      const index = claims.claimBackward();
      if (index < 0) return { tail: parser.end() };
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
    } finally {
      closeSync(fd);
    }
    return { tail: parser.end() };
  } catch (error) {
    return { mismatch: (error as Error).message };
  }
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

function buildRetainers(job: RetainersJob): RetainerRows {
  return buildRetainerRows(job.edgeToNodes, job.nodeCount, (bytes) => new SharedArrayBuffer(bytes));
}

const port = parentPort;
if (!port) throw new Error('dist/helper.js must run in a worker thread.');
port.on('message', (job: HelperJob) => port.postMessage(job.kind === 'edge-tail' ? readEdgeTail(job) : buildRetainers(job)));
