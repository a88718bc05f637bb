// The real engine pieces behind EngineService: brief A's streaming parser and
// brief B's HeapGraph.
import { HeapGraph } from '../engine/index';
import { SnapshotParser } from '../engine/parser';
import type { EngineParts } from './engineService';
import { readSnapshotFile } from './readSnapshotFile';

export const realEngineParts: EngineParts = {
  createParser: (onProgress) => new SnapshotParser({ onProgress }),
  buildGraph: (data, onProgress) => HeapGraph.build(data, (_phase, done, total) => onProgress(total > 0 ? done / total : 0)),
  readFile: (path, onProgress) => readSnapshotFile(path, { onProgress }),
};
