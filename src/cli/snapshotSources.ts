/**
 * Where the heap comes from: a snapshot file streamed from disk, or a live
 * process over the inspector whose chunks stream into the parser as V8
 * produces them (parse overlaps capture).
 */
import type { HeapGraph } from '../engine/index';
import { SnapshotParser, SnapshotFormatError } from '../engine/parser';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { readSnapshotFile } from '../loading/readSnapshotFile';
import { buildGraph, type IndexingOptions, type LoadedSnapshot } from '../loading/buildGraph';
import { CancelledError, InspectorSession, type InspectorEndpoint, type RemoteObjectHandle } from '../inspector/index';
import { formatHostPort } from '../inspector/targets';
import { CliFailure } from './errors';
import type { Progress } from './progress';

export async function loadSnapshotFile(path: string, progress: Progress, indexing: IndexingOptions = {}): Promise<HeapGraph> {
  return indexGraph(await readSnapshot(path, progress, indexing), progress, indexing);
}

/** The parsed snapshot alone, for what needs no graph (nothing is indexed ahead for one). */
export async function readSnapshotData(path: string, progress: Progress): Promise<HeapSnapshotData> {
  return (await readSnapshot(path, progress, null)).data;
}

/** `indexing` for a graph; null when none will be built. */
async function readSnapshot(path: string, progress: Progress, indexing: IndexingOptions | null): Promise<LoadedSnapshot> {
  try {
    return await readSnapshotFile(path, { ...indexing, indexEdges: indexing !== null, onProgress: ({ bytes, totalBytes }) => progress.update('Reading snapshot', totalBytes > 0 ? bytes / totalBytes : undefined) });
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw new CliFailure(`${path} is not a valid heap snapshot: ${error.reason}`);
    // readSnapshotFile keeps the file system's error as the cause.
    if (error instanceof Error && isFileError(error.cause)) throw new CliFailure(`cannot read ${path}: ${fileErrorText(error.cause)}`);
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
  const session = await connectSession(endpoint, progress);
  try {
    const handles = [];
    for (const expression of expressions) handles.push(await session.evaluate(expression));
    if (signal.aborted) throw new CancelledError();
    const { data, ids } = await captureData(session, handles, progress, signal);
    return { graph: await indexGraph({ data }, progress), ids };
  } finally {
    await session.close();
  }
}

/** How the CLI names a process it attaches to: `127.0.0.1:9229`, or the ws:// URL it was given. */
export function endpointName(endpoint: InspectorEndpoint): string {
  return 'webSocketUrl' in endpoint ? endpoint.webSocketUrl : formatHostPort(endpoint);
}

export async function connectSession(endpoint: InspectorEndpoint, progress: Progress): Promise<InspectorSession> {
  progress.update(`Connecting to ${endpointName(endpoint)}`);
  return InspectorSession.connect(endpoint);
}

/**
 * One snapshot over an open session, parsed as its chunks arrive, with the
 * snapshot ids of `handles`. The session stays open (object ids stay valid).
 */
export async function captureData(
  session: InspectorSession,
  handles: readonly RemoteObjectHandle[],
  progress: Progress,
  signal: AbortSignal,
  { stopAllocationTracking = false }: { stopAllocationTracking?: boolean } = {},
): Promise<{ data: HeapSnapshotData; ids: number[] }> {
  const parser = new SnapshotParser({ sharedEdges: true }); // lets buildGraph use a second thread
  // A parse failure stops the capture at once instead of after V8 sent everything.
  const stop = new AbortController();
  let parseError: unknown;
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  // Parsed to its closing brace: go on without V8's reply (it comes after V8 freed its copy).
  let readToEnd: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (readToEnd = resolve));
  let ids: number[];
  try {
    ids = await session.captureSnapshot(handles, {
      signal: stop.signal,
      stopAllocationTracking,
      complete,
      onProgress: ({ done, total }) => progress.update('Taking heap snapshot', total > 0 ? done / total : undefined),
      onChunk: (chunk) => {
        if (parseError) return;
        try {
          parser.write(chunk);
          if (parser.complete) readToEnd();
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
  return { data: parser.end(), ids };
}

export async function indexGraph(loaded: LoadedSnapshot, progress: Progress, indexing: IndexingOptions = {}): Promise<HeapGraph> {
  return buildGraph(loaded, (phase, done, total) => progress.update(`Indexing: ${phase}`, total > 0 ? done / total : undefined), undefined, indexing);
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
