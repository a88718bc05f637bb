// dist/helper.js: the second thread of a load (its handle is helperThread.ts).
// It serves HelperApi: the helper's part of the two-thread read
// (readFromEnd.ts), then the indexes over the edges alone while
// HeapGraph.buildWith computes ids and distances (buildGraph.ts).
import { parentPort } from 'node:worker_threads';
import { buildRetainerRows } from '../engine/retainerIndex';
import type { FromHelper, HelperApi, ReadFromEndReply, ToHelper } from '../protocol/helperApi';
import { serveRpc } from '../protocol/rpc';
import { readFromEnd } from './readFromEnd';

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

const helper: HelperApi = {
  readFromEnd: async (job) => readFromEnd(job),
  retainerRows: async (edgeToNodes, nodeCount) => buildRetainerRows(edgeToNodes, nodeCount, shared),
};

/** The sections after the edges are moved to the parser's thread, not copied; the indexes are already shared. */
function transferOf(method: keyof HelperApi, result: unknown): ArrayBuffer[] {
  const part = method === 'readFromEnd' ? (result as ReadFromEndReply).afterEdges : null;
  if (!part || !('read' in part)) return [];
  const { locations, strings } = part.read;
  const arrays = [locations.nodeOrdinals, locations.scriptIds, locations.lines, locations.columns, ...strings.blocks, strings.bases, strings.used, strings.starts];
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))];
}

const port = parentPort;
if (!port) throw new Error('dist/helper.js must run in a worker thread.');
const handle = serveRpc(helper, (message: FromHelper, transfer) => port.postMessage(message, transfer), transferOf);
port.on('message', (message: ToHelper) => void handle(message));
