/**
 * `retainer-graph paths`: which paths keep all the instances of a class
 * alive (Eclipse MAT's merged shortest paths), or only those allocated since
 * an older snapshot of the same process: from a file, or live over one
 * inspector session (a snapshot now, and with `--new` a first one before it).
 */
import { parseArgs } from 'node:util';
import { GrowthRecording, mergedPathsOfClass, type HeapGraph } from '../engine/index';
import { formatPathsDot, formatPathsJson, formatPathsText } from '../engine/format/paths';
import type { MergedPaths } from '../protocol/growth';
import type { InspectorEndpoint } from '../inspector/index';
import { parseEndpoint, positiveInteger, positiveSeconds, usageErrorOf } from './args';
import { CliFailure, UsageError } from './errors';
import { noSuchClass } from './pickObject';
import type { Progress } from './progress';
import { captureData, connectSession, endpointName, indexGraph, loadSnapshotFile, readSnapshotData } from './snapshotSources';
import { waitForNext, withStep, type GrowthIo } from './growth';
import { renderDotSvg } from './svg';
import { collectGarbage } from './collectGarbage';
import { lostStacksNote } from '../engine/format/lostStacks';

export const PATHS_FORMATS = ['text', 'json', 'dot', 'svg'] as const;
/** How groups are formed: by path, or by path and allocation site. */
export const PATHS_GROUPINGS = ['path', 'allocation'] as const;
export type PathsFormat = (typeof PATHS_FORMATS)[number];
const DEFAULT_TOP = 10;

type FileSource = { kind: 'file'; path: string; newSince: string | null };
/** `newOnly`: a first snapshot, a wait (`everySeconds`, or Enter when null), the second; its instances allocated in between. */
type LiveSource = { kind: 'connect'; endpoint: InspectorEndpoint; newOnly: boolean; everySeconds: number | null };

export interface PathsCommand {
  kind: 'paths';
  source: FileSource | LiveSource;
  className: string;
  top: number;
  format: PathsFormat;
  by: (typeof PATHS_GROUPINGS)[number];
}

/** `stdinIsTerminal`: can a live `--new` wait for Enter? */
export function parsePathsCommand(argv: readonly string[], stdinIsTerminal: boolean): PathsCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        class: { type: 'string' },
        'new-since': { type: 'string' },
        connect: { type: 'string' },
        new: { type: 'boolean' },
        every: { type: 'string' },
        top: { type: 'string' },
        format: { type: 'string' },
        by: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageErrorOf(error);
  }
  const { values, positionals } = parsed;
  if (values.class === undefined || values.class.trim() === '') throw new UsageError('paths needs --class <Name>: whose instances to follow');
  const format = (values.format ?? 'text') as PathsFormat;
  if (!PATHS_FORMATS.includes(format)) throw new UsageError(`paths --format must be one of ${PATHS_FORMATS.join(', ')}, got "${values.format}"`);
  const by = (values.by ?? 'path') as PathsCommand['by'];
  if (!PATHS_GROUPINGS.includes(by)) throw new UsageError(`paths --by must be one of ${PATHS_GROUPINGS.join(', ')}, got "${values.by}"`);
  const common = { kind: 'paths' as const, className: values.class, top: positiveInteger('--top', values.top, DEFAULT_TOP), format, by };
  if (values.connect === undefined) {
    if (values.new || values.every !== undefined) throw new UsageError('--new and --every take snapshots of a live process: use them with --connect <host:port>; for files, --new-since <first.heapsnapshot>');
    if (positionals.length !== 1) throw new UsageError(`paths needs one snapshot file or --connect <host:port>, got ${positionals.length === 0 ? 'neither' : `${positionals.length} files`}`);
    return { ...common, source: { kind: 'file', path: positionals[0], newSince: values['new-since'] ?? null } };
  }
  if (positionals.length > 0) throw new UsageError('give either a snapshot file or --connect, not both');
  if (values['new-since'] !== undefined) throw new UsageError('--new-since compares with a snapshot file of the same process; live, --new takes that first snapshot itself');
  const newOnly = values.new ?? false;
  if (!newOnly && values.every !== undefined) throw new UsageError('--every is the wait between the two snapshots of --new');
  if (by === 'allocation' && !newOnly) {
    throw new UsageError('--by allocation on a live process needs --new: V8 records allocation stacks only from when it is asked, so only objects allocated after a first snapshot have them');
  }
  if (newOnly && values.every === undefined && !stdinIsTerminal) throw new UsageError('paths --new waits for Enter between its two snapshots, but stdin is not a terminal: give --every <seconds>');
  const everySeconds = values.every === undefined ? null : positiveSeconds('--every', values.every);
  return { ...common, source: { kind: 'connect', endpoint: parseEndpoint(values.connect), newOnly, everySeconds } };
}

export async function runPaths(command: PathsCommand, io: GrowthIo, progress: Progress): Promise<string> {
  const { source } = command;
  const paths = source.kind === 'file' ? await pathsInFile(command, source, progress) : await pathsInLiveProcess(command, source, io, progress);
  switch (command.format) {
    case 'json':
      return formatPathsJson(paths);
    case 'dot':
      return formatPathsDot(paths, command.top);
    case 'svg':
      return renderDotSvg(formatPathsDot(paths, command.top));
    default:
      return formatPathsText(paths, command.top) + (command.source.kind === 'connect' && command.by === 'allocation' ? lostStacksText(paths) : '');
  }
}

/** Live, V8 recorded stacks from just before the first snapshot: a new object without one lost it. */
function lostStacksText(paths: MergedPaths): string {
  const lost = paths.groups.reduce((sum, group) => sum + (group.allocationSite === null ? group.count : 0), 0);
  return lost === 0 ? '' : `\n${lostStacksNote(lost, paths.objects - paths.unreachable.count, `new ${paths.class}`)}\n`;
}

async function pathsInFile(command: PathsCommand, { path, newSince }: FileSource, progress: Progress): Promise<MergedPaths> {
  const baseline = newSince === null ? null : await baselineOf(newSince, progress);
  if (baseline) collectGarbage();
  const graph = await loadSnapshotFile(path, newSince === null ? progress : withStep(progress, path));
  if (command.by === 'allocation' && !graph.hasAllocationStacks) {
    throw new CliFailure(`${path} has no allocation stacks: V8 records them only while it tracks allocations (DevTools' "Allocation instrumentation on timeline", or HeapProfiler.startTrackingHeapObjects with trackAllocations) before the objects are allocated`);
  }
  if (!baseline || newSince === null) return mergedPaths(command, graph, null, progress);
  const identity = baseline.identityOf(graph);
  if (!identity.sameProcess) {
    throw new UsageError(`--new-since needs an older snapshot of the same process: ${newSince} and ${path} are not (their object ids disagree), or an inspector session was closed between them`);
  }
  if (!identity.newer) throw new UsageError(`--new-since needs an older snapshot of the same process: ${newSince} is not older than ${path}`);
  return mergedPaths(command, graph, { file: newSince, maxObjectId: identity.firstMaxObjectId }, progress);
}

/**
 * One snapshot, or with `--new` two over ONE session (closing it renumbers
 * the objects); `--by allocation` has V8 record allocation stacks from just
 * before the first, and the second stops it. Closing the session leaves the
 * process as it was.
 */
async function pathsInLiveProcess(command: PathsCommand, { endpoint, newOnly, everySeconds }: LiveSource, io: GrowthIo, progress: Progress): Promise<MergedPaths> {
  const where = endpointName(endpoint);
  const allocations = command.by === 'allocation';
  const snapshots = newOnly ? 2 : 1;
  const session = await connectSession(endpoint, progress);
  try {
    let baseline: GrowthRecording | null = null;
    if (newOnly) {
      if (allocations) {
        progress.update('Starting allocation tracking');
        await session.startAllocationTracking();
      }
      baseline = new GrowthRecording();
      const { data } = await captureData(session, [], withStep(progress, `snapshot 1 of ${snapshots}`), io.signal);
      baseline.add(data, `${where} snapshot 1`);
      collectGarbage();
      progress.done();
      await waitForNext(1, snapshots, everySeconds, io);
    }
    const { data } = await captureData(session, [], withStep(progress, `snapshot ${snapshots} of ${snapshots}`), io.signal, { stopAllocationTracking: allocations });
    const graph = await indexGraph({ data }, progress);
    // Two snapshots over one session are of one process, in order: no check as for files (an idle process may have allocated nothing).
    return mergedPaths(command, graph, baseline ? { file: `${where} snapshot 1`, maxObjectId: baseline.identityOf(graph).firstMaxObjectId } : null, progress);
  } finally {
    await session.close();
  }
}

/** The merged paths of the class's instances in `graph`, or of those allocated after `newSince` (an older snapshot of its process). */
function mergedPaths(command: PathsCommand, graph: HeapGraph, newSince: MergedPaths['newSince'], progress: Progress): MergedPaths {
  graph.computeRetainedSizes((phase, done, total) => progress.update(`Retained sizes: ${phase}`, total > 0 ? done / total : undefined));
  progress.update('Merging shortest paths');
  const paths = mergedPathsOfClass(graph, command.className, newSince, { byAllocationSite: command.by === 'allocation' });
  if (!paths) throw noSuchClass(graph, command.className);
  return paths;
}

/** The older snapshot's digest (ids and classes); its graph is never built. */
async function baselineOf(path: string, progress: Progress): Promise<GrowthRecording> {
  const recording = new GrowthRecording();
  recording.add(await readSnapshotData(path, withStep(progress, path)), path);
  return recording;
}
