// The real engine pieces behind EngineService: brief A's streaming parser and
// brief B's HeapGraph.
import { createReadStream } from 'node:fs';
import { HeapGraph } from '../engine/index';
import { SnapshotParser } from '../engine/parser';
import type { HeapSnapshotData, ParseProgress } from '../engine/snapshotData';
import type { EngineParts } from './engineService';

async function readFile(path: string, onProgress: (progress: ParseProgress) => void): Promise<HeapSnapshotData> {
  const parser = new SnapshotParser({ onProgress });
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.write(chunk as Buffer);
  return parser.end();
}

export const realEngineParts: EngineParts = {
  createParser: (onProgress) => new SnapshotParser({ onProgress }),
  buildGraph: (data, onProgress) => HeapGraph.build(data, (_phase, done, total) => onProgress(total > 0 ? done / total : 0)),
  readFile,
};
