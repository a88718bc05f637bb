// The real engine pieces behind EngineService: brief A's streaming parser and
// brief B's HeapGraph.
import { buildGraph } from '../loading/buildGraph';
import { SnapshotParser } from '../engine/parser';
import type { EngineParts } from './engineService';
import { readSnapshotFile } from '../loading/readSnapshotFile';

export const realEngineParts: EngineParts = {
  // Shared edges let buildGraph index retainers on a second thread.
  createParser: (onProgress) => new SnapshotParser({ onProgress, sharedEdges: true }),
  buildGraph: (data, onProgress) => buildGraph(data, (_phase, done, total) => onProgress(total > 0 ? done / total : 0)),
  readFile: (path, onProgress) => readSnapshotFile(path, { onProgress }),
};
