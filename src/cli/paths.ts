/**
 * `retainer-graph paths`: which paths keep all the instances of a class
 * alive (Eclipse MAT's merged shortest paths), or only those allocated since
 * an older snapshot of the same process.
 */
import { parseArgs } from 'node:util';
import { GrowthRecording, mergedPathsOfClass } from '../engine/index';
import { formatPathsDot, formatPathsJson, formatPathsText } from '../engine/format/paths';
import { positiveInteger, usageErrorOf } from './args';
import { CliFailure, UsageError } from './errors';
import { noSuchClass } from './pickObject';
import type { Progress } from './progress';
import { loadSnapshotFile, readSnapshotData } from './snapshotSources';
import { withStep } from './growth';
import { renderDotSvg } from './svg';
import { collectGarbage } from './collectGarbage';

export const PATHS_FORMATS = ['text', 'json', 'dot', 'svg'] as const;
/** How groups are formed: by path, or by path and allocation site. */
export const PATHS_GROUPINGS = ['path', 'allocation'] as const;
export type PathsFormat = (typeof PATHS_FORMATS)[number];
const DEFAULT_TOP = 10;

export interface PathsCommand {
  kind: 'paths';
  path: string;
  className: string;
  newSince: string | null;
  top: number;
  format: PathsFormat;
  by: (typeof PATHS_GROUPINGS)[number];
}

export function parsePathsCommand(argv: readonly string[]): PathsCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        class: { type: 'string' },
        'new-since': { type: 'string' },
        top: { type: 'string' },
        format: { type: 'string' },
        by: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageErrorOf(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`paths needs one snapshot file, got ${positionals.length === 0 ? 'none' : positionals.length}`);
  if (values.class === undefined || values.class.trim() === '') throw new UsageError('paths needs --class <Name>: whose instances to follow');
  const format = (values.format ?? 'text') as PathsFormat;
  if (!PATHS_FORMATS.includes(format)) throw new UsageError(`paths --format must be one of ${PATHS_FORMATS.join(', ')}, got "${values.format}"`);
  const by = (values.by ?? 'path') as PathsCommand['by'];
  if (!PATHS_GROUPINGS.includes(by)) throw new UsageError(`paths --by must be one of ${PATHS_GROUPINGS.join(', ')}, got "${values.by}"`);
  return { kind: 'paths', path: positionals[0], className: values.class, newSince: values['new-since'] ?? null, top: positiveInteger('--top', values.top, DEFAULT_TOP), format, by };
}

export async function runPaths(command: PathsCommand, progress: Progress): Promise<string> {
  const baseline = command.newSince === null ? null : await baselineOf(command.newSince, progress);
  if (baseline) collectGarbage();
  const graph = await loadSnapshotFile(command.path, command.newSince === null ? progress : withStep(progress, command.path));
  graph.computeRetainedSizes((phase, done, total) => progress.update(`Retained sizes: ${phase}`, total > 0 ? done / total : undefined));
  let newSince = null;
  if (baseline && command.newSince !== null) {
    const identity = baseline.identityOf(graph);
    if (!identity.sameProcess) {
      throw new UsageError(`--new-since needs an older snapshot of the same process: ${command.newSince} and ${command.path} are not (their object ids disagree), or an inspector session was closed between them`);
    }
    if (!identity.newer) throw new UsageError(`--new-since needs an older snapshot of the same process: ${command.newSince} is not older than ${command.path}`);
    newSince = { file: command.newSince, maxObjectId: identity.firstMaxObjectId };
  }
  if (command.by === 'allocation' && !graph.hasAllocationStacks) {
    throw new CliFailure(`${command.path} has no allocation stacks: V8 records them only while it tracks allocations (DevTools' "Allocation instrumentation on timeline", or HeapProfiler.startTrackingHeapObjects with trackAllocations) before the objects are allocated`);
  }
  progress.update('Merging shortest paths');
  const paths = mergedPathsOfClass(graph, command.className, newSince, { byAllocationSite: command.by === 'allocation' });
  if (!paths) throw noSuchClass(graph, command.className);
  switch (command.format) {
    case 'json':
      return formatPathsJson(paths);
    case 'dot':
      return formatPathsDot(paths, command.top);
    case 'svg':
      return renderDotSvg(formatPathsDot(paths, command.top));
    default:
      return formatPathsText(paths, command.top);
  }
}

/** The older snapshot's digest (ids and classes); its graph is never built. */
async function baselineOf(path: string, progress: Progress): Promise<GrowthRecording> {
  const recording = new GrowthRecording();
  recording.add(await readSnapshotData(path, withStep(progress, path)), path);
  return recording;
}
