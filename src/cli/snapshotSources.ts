/**
 * Where the heap comes from: a snapshot file streamed from disk, or a live
 * process over the inspector whose chunks stream into the parser as V8
 * produces them (parse overlaps capture).
 */
import { createReadStream, statSync } from 'node:fs';
import { HeapGraph } from '../engine/index';
import { SnapshotParser, SnapshotFormatError } from '../engine/parser';
import { CancelledError, InspectorSession, type InspectorEndpoint } from '../inspector/index';
import { formatHostPort } from '../inspector/targets';
import { CliFailure } from './errors';
import type { Progress } from './progress';

export async function loadSnapshotFile(path: string, progress: Progress): Promise<HeapGraph> {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new CliFailure(`cannot read ${path}: it is a directory, not a .heapsnapshot file`);
    size = stat.size;
  } catch (error) {
    throw error instanceof CliFailure ? error : new CliFailure(`cannot read ${path}: ${fileErrorText(error)}`);
  }
  const parser = new SnapshotParser({ onProgress: ({ bytes }) => progress.update('Reading snapshot', size > 0 ? bytes / size : undefined) });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.write(chunk as Buffer);
    const data = parser.end();
    return buildGraph(data, progress);
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw new CliFailure(`${path} is not a valid heap snapshot: ${error.message}`);
    if (error instanceof CliFailure) throw error;
    if (isFileError(error)) throw new CliFailure(`cannot read ${path}: ${fileErrorText(error)}`);
    throw error;
  }
}

export interface LiveSnapshot {
  graph: HeapGraph;
  /** Snapshot ids of the evaluated expressions, in order. */
  ids: number[];
}

/**
 * Attach, evaluate `expressions`, snapshot, detach. The session is closed in
 * every outcome; `signal` (Ctrl-C) cancels and cleans up the target.
 */
export async function captureLive(endpoint: InspectorEndpoint, expressions: readonly string[], progress: Progress, signal: AbortSignal): Promise<LiveSnapshot> {
  progress.update(`Connecting to ${'webSocketUrl' in endpoint ? endpoint.webSocketUrl : formatHostPort(endpoint)}`);
  const session = await InspectorSession.connect(endpoint);
  try {
    const handles = [];
    for (const expression of expressions) handles.push(await session.evaluate(expression));
    if (signal.aborted) throw new CancelledError();
    const parser = new SnapshotParser();
    // A parse failure stops the capture at once instead of after V8 sent everything.
    const stop = new AbortController();
    let parseError: unknown;
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let ids: number[];
    try {
      ids = await session.captureSnapshot(handles, {
        signal: stop.signal,
        onProgress: ({ done, total }) => progress.update('Taking heap snapshot', total > 0 ? done / total : undefined),
        onChunk: (chunk) => {
          if (parseError) return;
          try {
            parser.write(chunk);
          } catch (error) {
            parseError = error;
            stop.abort();
          }
        },
      });
    } catch (error) {
      if (parseError && error instanceof CancelledError) throw parseError;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    progress.update('Parsing snapshot');
    const data = parser.end();
    return { graph: buildGraph(data, progress), ids };
  } finally {
    await session.close();
  }
}

function buildGraph(data: Parameters<typeof HeapGraph.build>[0], progress: Progress): HeapGraph {
  return HeapGraph.build(data, (phase, done, total) => progress.update(`Indexing: ${phase}`, total > 0 ? done / total : undefined));
}

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function fileErrorText(error: unknown): string {
  if (!isFileError(error)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a .heapsnapshot file';
    default:
      return error.message;
  }
}
