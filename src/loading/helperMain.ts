// dist/helper.js: the second thread of a load (its handle is helperThread.ts).
// It serves HelperApi: the helper's part of the two-thread read
// (readFromEnd.ts), then, while HeapGraph.buildWith computes ids and
// distances (buildGraph.ts), shallow sizes and the retainer rows (which that
// thread joins once its distances are done), then, when asked, the dominator tree.
import { parentPort } from 'node:worker_threads';
import { buildSplitRows } from '../engine/splitRetainerRows';
import { ordinalsById } from '../engine/idIndex';
import { collectionTableOf, type CollectionTable } from '../engine/growth/digest';
import { computeShallowSizes } from '../engine/shallowSizes';
import { computeDominators, type DominatorTree } from '../engine/dominators';
import type { FillAssistant } from '../engine/predecessorWindows';
import { EphemeronEdges, typeCodes } from '../engine/edgeTypes';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { stringTableFromParts } from '../engine/stringTable';
import { NO_DETACHEDNESS } from '../engine/detachedness';
import type { FromHelper, HelperApi, ReadFromEndReply, SharedSnapshot, ToHelper } from '../protocol/helperApi';
import { serveRpc } from '../protocol/rpc';
import { readFromEnd } from './readFromEnd';

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

const helper: HelperApi = {
  readFromEnd: async (job) => readFromEnd(job),
  ordinalsById: async (nodeIds) => ordinalsById(nodeIds),
  retainerRows: async (rows) => buildSplitRows(rows),
  collectionTable: async (snapshot) => {
    const data = snapshotData(snapshot);
    return collectionTableOf(data, typeCodes(data), null);
  },
  shallowSizes: async (snapshot) => {
    const data = snapshotData(snapshot);
    return computeShallowSizes(data, typeCodes(data), shared);
  },
  dominatorTree: async (snapshot, shallowSizes, { weakMapValues, firstPass, retainerRows, countsMemory }) => {
    const data = snapshotData(snapshot);
    const codes = typeCodes(data);
    // The loading thread waits for this tree meanwhile: it fills windows of predecessors.
    const assistant: FillAssistant = { allocate: shared, offer: (window) => send({ kind: 'event', event: { fillWindow: window } }) };
    return computeDominators(data, codes, new EphemeronEdges(data, codes, weakMapValues), shallowSizes, firstPass, { retainerRows, assistant, countsMemory });
  },
};

function snapshotData(snapshot: SharedSnapshot): HeapSnapshotData {
  const none = new Uint32Array(0);
  return {
    ...snapshot,
    nodeDetachedness: NO_DETACHEDNESS,
    locations: { count: 0, nodeOrdinals: none, scriptIds: none, lines: none, columns: none },
    strings: stringTableFromParts(snapshot.strings),
  };
}

/**
 * Moved to the loading thread, not copied: the sections after the edges, an
 * id order, a collection table and the dominator tree. What is already shared (string blocks, indexes) cannot
 * be moved, nor needs to be.
 */
function transferOf(method: keyof HelperApi, result: unknown): ArrayBuffer[] {
  let arrays: ArrayBufferView[] = [];
  if (method === 'ordinalsById') {
    arrays = [result as Uint32Array];
  } else if (method === 'collectionTable') {
    const table = result as CollectionTable;
    arrays = [table.ids, table.entries];
  } else if (method === 'dominatorTree') {
    const tree = result as DominatorTree;
    arrays = [tree.dominators, tree.retainedSizes, ...(tree.scratch ? [tree.scratch.rows, tree.scratch.entries] : [])];
  } else if (method === 'readFromEnd') {
    const part = (result as ReadFromEndReply).afterEdges;
    if (!part || !('read' in part)) return [];
    const { locations, strings } = part.read;
    arrays = [locations.nodeOrdinals, locations.scriptIds, locations.lines, locations.columns, ...strings.blocks, strings.bases, strings.used, strings.starts, strings.ephemeronNames.nameIndexes, strings.ephemeronNames.keyIds, strings.ephemeronNames.valueIds, strings.ephemeronNames.tableIds];
  }
  const movable = arrays.map((array) => array.buffer).filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
  return [...new Set(movable)];
}

const port = parentPort;
if (!port) throw new Error('dist/helper.js must run in a worker thread.');
const send = (message: FromHelper, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
const handle = serveRpc(helper, send, transferOf);
port.on('message', (message: ToHelper) => void handle(message));
