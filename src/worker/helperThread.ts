// dist/helper.js: a second thread for the two big sequential jobs of loading
// a snapshot on a multi-core machine. One job per thread:
//  - "edge-tail": read the end of the edges array backwards while
//    readSnapshotFile parses the rest forwards (src/engine/edgeTail.ts);
//  - "retainers": build the retainer index while HeapGraph.buildWith
//    computes the distances (src/worker/buildGraph.ts).
// Both write into SharedArrayBuffers, so nothing large is copied.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { EdgeTailParser, type EdgeTail } from '../engine/edgeTail';
import type { EdgeTailTarget } from '../engine/parser';
import { buildRetainerRows, type RetainerRows } from '../engine/retainerIndex';

export interface EdgeTailJob extends EdgeTailTarget {
  kind: 'edge-tail';
  path: string;
  /** Bytes [from, to) of the file: just after a ',' inside "edges" up to the array's closing ']'. */
  from: number;
  to: number;
}

export type EdgeTailReply = { tail: EdgeTail } | { mismatch: string };

export interface RetainersJob {
  kind: 'retainers';
  /** Over a SharedArrayBuffer. */
  edgeToNodes: Uint32Array;
  nodeCount: number;
}

export type HelperJob = EdgeTailJob | RetainersJob;

const READ_SIZE = 4 << 20;

function readEdgeTail(job: EdgeTailJob): EdgeTailReply {
  try {
    const parser = new EdgeTailParser(job.layout, job.columns);
    const buffer = new Uint8Array(READ_SIZE);
    const fd = openSync(job.path, 'r');
    try {
      for (let end = job.to; end > job.from; ) {
        const start = Math.max(job.from, end - READ_SIZE);
        const length = end - start;
        for (let got = 0; got < length; ) {
          const bytesRead = readSync(fd, buffer, got, length - got, start + got);
          if (bytesRead === 0) throw new Error('the file ended early');
          got += bytesRead;
        }
        parser.writeBackward(buffer.subarray(0, length));
        end = start;
      }
    } finally {
      closeSync(fd);
    }
    return { tail: parser.end() };
  } catch (error) {
    return { mismatch: (error as Error).message };
  }
}

function buildRetainers(job: RetainersJob): RetainerRows {
  return buildRetainerRows(job.edgeToNodes, job.nodeCount, (bytes) => new SharedArrayBuffer(bytes));
}

const port = parentPort;
if (!port) throw new Error('dist/helper.js must run in a worker thread.');
port.once('message', (job: HelperJob) => port.postMessage(job.kind === 'edge-tail' ? readEdgeTail(job) : buildRetainers(job)));
