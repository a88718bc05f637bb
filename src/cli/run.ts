/**
 * The CLI from argv to exit code: parse options, get a heap (file or live
 * process), pick the object, walk, print. Every failure a user can cause ends
 * as one line on stderr and exit 1; bad usage prints the usage line, exit 2.
 */
import { version } from '../../package.json';
import type { HeapGraph } from '../engine/index';
import { formatWalk, formatWalkDot } from '../engine/format/index';
import type { Walk } from '../protocol/walk';
import { parseCommandLine, type CliCommand } from './args';
import { failureText, UsageError } from './errors';
import { pickByClass, pickById } from './pickObject';
import { stderrProgress, type Progress } from './progress';
import { captureLive, loadSnapshotFile } from './snapshotSources';
import { renderDotSvg } from './svg';
import { runGrowth, type GrowthIo } from './growth';
import { runPaths } from './paths';
import { runWatch } from './watch';
import { HELP, USAGE_LINE } from './usage';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  /** Where a live growth series waits for Enter; absent or not a terminal: it needs --every. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Ctrl-C: cancels a live capture and cleans up the target. */
  signal: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv, { stdinIsTerminal: io.stdin?.isTTY === true });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error, io);
  }
  if (command.kind === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  const progress = stderrProgress(io.stderr);
  try {
    let output: string;
    let code = EXIT_OK;
    if (command.kind === 'watch') ({ output, code } = await runWatch(command, { stderr: io.stderr, signal: io.signal }, progress));
    else if (command.kind === 'growth') output = await runGrowth(command, seriesIo(io), progress);
    else if (command.kind === 'paths') output = await runPaths(command, seriesIo(io), progress);
    else {
      const walk = await walkFor(command, progress, io.signal);
      output = command.format === 'svg' ? await renderDotSvg(formatWalkDot(walk)) : formatWalk(walk, command.format);
    }
    progress.done();
    io.stdout.write(output);
    return code;
  } catch (error) {
    progress.done();
    if (error instanceof UsageError) return usageFailure(error, io);
    const reason = failureText(error);
    if (reason === undefined) throw error;
    io.stderr.write(`retainer-graph: ${reason}\n`);
    return EXIT_FAILURE;
  }
}

async function walkFor(command: Extract<CliCommand, { kind: 'walk' }>, progress: Progress, signal: AbortSignal): Promise<Walk> {
  const { source, selector } = command;
  let graph: HeapGraph;
  let targetId: number;
  if (source.kind === 'file') {
    graph = await loadSnapshotFile(source.path, progress);
    if (selector.kind === 'expr') throw new UsageError('--expr needs --connect');
    targetId = selector.kind === 'id' ? pickById(graph, selector.id, { live: false }) : pickByClass(graph, selector.className, selector.nth);
  } else {
    const expressions = selector.kind === 'expr' ? [selector.expression] : [];
    const live = await captureLive(source.endpoint, expressions, progress, signal);
    graph = live.graph;
    if (selector.kind === 'expr') targetId = pickById(graph, live.ids[0], { live: true });
    else if (selector.kind === 'id') targetId = pickById(graph, selector.id, { live: true });
    else targetId = pickByClass(graph, selector.className, selector.nth);
  }
  const options = { depth: command.depth, fanOut: command.fanOut, includeWeak: command.includeWeak };
  if (command.direction === 'references') {
    progress.update('Walking references');
    return graph.references(targetId, options);
  }
  progress.update('Walking retainers');
  return graph.walk(targetId, options);
}

/** What a live series of snapshots needs from the terminal: where to say it waits, Enter, Ctrl-C. */
function seriesIo(io: CliIo): GrowthIo {
  return { stderr: io.stderr, stdin: io.stdin ?? process.stdin, signal: io.signal };
}

/** Bad usage, found while parsing or once the snapshots were read (growth's order, --new-since): the reason and the usage line, exit 2. */
function usageFailure(error: UsageError, io: CliIo): number {
  io.stderr.write(`retainer-graph: ${error.message}\n${USAGE_LINE}\nTry 'retainer-graph --help' for more.\n`);
  return EXIT_USAGE;
}
