/**
 * `retainer-graph growth`: what grew between snapshots of one process, from
 * files (oldest first) or taken live over one inspector session (closing it
 * would renumber the objects). Older snapshots are digested and dropped one
 * at a time; only the newest stays whole.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { GrowthRecording, SnapshotOrderError, type HeapGraph } from '../engine/index';
import { formatGrowthJson, formatGrowthText } from '../engine/format/growth';
import type { GrowthReport } from '../protocol/growth';
import { CancelledError, type InspectorEndpoint, type InspectorSession } from '../inspector/index';
import { parseEndpoint, positiveInteger, usageErrorOf } from './args';
import { UsageError } from './errors';
import type { Progress } from './progress';
import { collectGarbage } from './collectGarbage';
import { digestSnapshotData } from '../loading/digestSnapshot';
import { captureData, connectSession, endpointName, indexGraph, loadSnapshotFile, readSnapshotData } from './snapshotSources';

export const GROWTH_FORMATS = ['text', 'json'] as const;
export type GrowthFormat = (typeof GROWTH_FORMATS)[number];
const DEFAULT_TOP = 10;

export interface GrowthCommand {
  kind: 'growth';
  source: { kind: 'files'; paths: string[] } | { kind: 'connect'; endpoint: InspectorEndpoint; count: number; everySeconds: number | null; allocations: boolean };
  top: number;
  format: GrowthFormat;
  retainedSizes: boolean;
}

/** Everything a live series needs from the terminal. */
export interface GrowthIo {
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  signal: AbortSignal;
}

export function parseGrowthCommand(argv: readonly string[], stdinIsTerminal: boolean): GrowthCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        connect: { type: 'string' },
        count: { type: 'string' },
        every: { type: 'string' },
        top: { type: 'string' },
        format: { type: 'string' },
        'retained-sizes': { type: 'boolean' },
        allocations: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw usageErrorOf(error);
  }
  const { values, positionals } = parsed;
  const format = (values.format ?? 'text') as GrowthFormat;
  if (!GROWTH_FORMATS.includes(format)) throw new UsageError(`growth --format must be one of ${GROWTH_FORMATS.join(', ')}, got "${values.format}"`);
  const common = { top: positiveInteger('--top', values.top, DEFAULT_TOP), format, retainedSizes: values['retained-sizes'] ?? false };
  if (values.connect === undefined) {
    if (values.count !== undefined || values.every !== undefined) throw new UsageError('--count and --every take snapshots of a live process: use them with --connect <host:port>');
    if (values.allocations) throw new UsageError('--allocations records allocation stacks in a live process: use it with --connect <host:port>');
    if (positionals.length < 2) throw new UsageError(`growth needs at least two snapshots of one process, oldest first; got ${positionals.length === 0 ? 'none' : `only ${positionals[0]}`}`);
    return { kind: 'growth', source: { kind: 'files', paths: positionals }, ...common };
  }
  if (positionals.length > 0) throw new UsageError('give either snapshot files or --connect, not both');
  const count = positiveInteger('--count', values.count, 2);
  if (count < 2) throw new UsageError('growth needs at least two snapshots: --count 2 or more');
  let everySeconds: number | null = null;
  if (values.every !== undefined) {
    everySeconds = Number(values.every);
    if (!/^\d+(\.\d+)?$/.test(values.every.trim()) || !(everySeconds > 0)) throw new UsageError(`--every expects a number of seconds above 0, got "${values.every}"`);
  } else if (!stdinIsTerminal) {
    throw new UsageError('growth --connect waits for Enter between snapshots, but stdin is not a terminal: give --every <seconds>');
  }
  return { kind: 'growth', source: { kind: 'connect', endpoint: parseEndpoint(values.connect), count, everySeconds, allocations: values.allocations ?? false }, ...common };
}

export async function runGrowth(command: GrowthCommand, io: GrowthIo, progress: Progress): Promise<string> {
  const report = command.source.kind === 'files' ? await growthOfFiles(command.source.paths, command.retainedSizes, progress) : await growthOfLiveProcess(command, io, progress);
  return command.format === 'json' ? formatGrowthJson(report) : formatGrowthText(report, command.top);
}

/** Growth over snapshot files, oldest first (what the CLI and `npm run bench` run). */
export async function growthOfFiles(paths: readonly string[], retainedSizes: boolean, progress: Progress): Promise<GrowthReport> {
  const recording = new GrowthRecording();
  const step = (i: number) => `snapshot ${i + 1} of ${paths.length}`;
  for (let i = 0; i < paths.length - 1; i++) {
    await addOlder(recording, paths[i], retainedSizes, progress, step(i));
    collectGarbage();
  }
  const latest = await loadSnapshotFile(paths[paths.length - 1], withStep(progress, step(paths.length - 1)), { collections: true });
  return reportOf(recording, withRetainedSizes(latest, retainedSizes, progress), paths[paths.length - 1]);
}

/** A function of its own, so no frame still holds the snapshot once it is digested. */
async function addOlder(recording: GrowthRecording, path: string, retainedSizes: boolean, progress: Progress, step: string): Promise<void> {
  const stepProgress = withStep(progress, step);
  if (retainedSizes) recording.add(withRetainedSizes(await loadSnapshotFile(path, stepProgress), true, progress), path);
  else recording.addDigest(await digestSnapshotData(await readSnapshotData(path, stepProgress), path, { withObjects: recording.needsObjects }));
}

/**
 * N snapshots over ONE session (closing it resets V8's object ids), `--every`
 * seconds apart or when the user presses Enter. With `--allocations` V8
 * records allocation stacks from just before the first snapshot, and the last
 * snapshot stops it. Closing the session at the end leaves the process as it
 * was: V8 stops its heap profiler (and any tracking) and forgets the ids.
 */
async function growthOfLiveProcess(command: GrowthCommand, io: GrowthIo, progress: Progress): Promise<GrowthReport> {
  if (command.source.kind !== 'connect') throw new Error('not a live growth command');
  const { endpoint, count, everySeconds, allocations } = command.source;
  const where = endpointName(endpoint);
  const session = await connectSession(endpoint, progress);
  try {
    if (allocations) {
      progress.update('Starting allocation tracking');
      await session.startAllocationTracking();
    }
    const recording = new GrowthRecording();
    for (let i = 1; i < count; i++) {
      await addLive(recording, session, `${where} snapshot ${i}`, command.retainedSizes, io, withStep(progress, `snapshot ${i} of ${count}`));
      collectGarbage();
      progress.done();
      await waitForNext(i, count, everySeconds, io);
    }
    const { data } = await captureData(session, [], withStep(progress, `snapshot ${count} of ${count}`), io.signal, { stopAllocationTracking: allocations });
    const latest = withRetainedSizes(await indexGraph({ data }, progress, { collections: true }), command.retainedSizes, progress);
    return reportOf(recording, latest, `${where} snapshot ${count}`);
  } finally {
    await session.close();
  }
}

async function addLive(recording: GrowthRecording, session: InspectorSession, name: string, retainedSizes: boolean, io: GrowthIo, progress: Progress): Promise<void> {
  const { data } = await captureData(session, [], progress, io.signal);
  recording.add(retainedSizes ? withRetainedSizes(await indexGraph({ data }, progress), true, progress) : data, name);
}

/** Between two snapshots of a live series: `everySeconds`, or until the user presses Enter. */
export async function waitForNext(taken: number, count: number, everySeconds: number | null, io: GrowthIo): Promise<void> {
  if (everySeconds !== null) {
    await sleep(everySeconds * 1000, io.signal);
    return;
  }
  io.stderr.write(`Snapshot ${taken} of ${count} taken. Let the program run, then press Enter for the next one (Ctrl-C stops and leaves the process as it was).\n`);
  const lines = createInterface({ input: io.stdin, terminal: false });
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new CancelledError());
      io.signal.addEventListener('abort', onAbort, { once: true });
      lines.once('line', () => {
        io.signal.removeEventListener('abort', onAbort);
        resolve();
      });
      lines.once('close', () => {
        io.signal.removeEventListener('abort', onAbort);
        reject(new CancelledError());
      });
    });
  } finally {
    lines.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function reportOf(recording: GrowthRecording, latest: HeapGraph, name: string): Promise<GrowthReport> {
  // The build's scratch buffers (the id sort's, the distances' queue: ~4 bytes a node each) go
  // now, not whenever V8 next collects, before the report groups the nodes again beside them.
  collectGarbage();
  try {
    return await recording.report(latest, name);
  } catch (error) {
    if (error instanceof SnapshotOrderError) throw new UsageError(error.message);
    throw error;
  }
}

function withRetainedSizes(graph: HeapGraph, wanted: boolean, progress: Progress): HeapGraph {
  if (wanted) graph.computeRetainedSizes((phase, done, total) => progress.update(`Retained sizes: ${phase}`, total > 0 ? done / total : undefined));
  return graph;
}

/** Progress lines prefixed with which snapshot of the series they are about. */
export function withStep(progress: Progress, step: string): Progress {
  return { update: (message, fraction) => progress.update(`${step}: ${message}`, fraction), done: () => progress.done() };
}
