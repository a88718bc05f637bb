/**
 * `retainer-graph --connect <host:port> (--expr "<JS>" | --id <N>) --watch`:
 * did the fix free the object? Exit 0 once it is collected, 1 when it is
 * still alive after `--timeout`, with its retainers from a fresh snapshot
 * over the same session (closing it would renumber every object).
 *
 * One inspector session from start to end. `--expr`: one snapshot first, to
 * learn the object's snapshot id (the handle is released before it, so we
 * never keep the object alive); `--id`: an id from a snapshot whose session
 * is still open (DevTools, the VS Code extension), checked as is. Each check
 * is InspectorSession.checkAlive: a full GC, then one lookup.
 */
import type { InspectorEndpoint, InspectorSession } from '../inspector/index';
import { CancelledError, ObjectIdsLostError, TargetExitedError } from '../inspector/index';
import { formatWalk } from '../engine/format/index';
import type { WatchReport } from '../protocol/liveHeap';
import type { Walk } from '../protocol/walk';
import { CliFailure } from './errors';
import type { Progress } from './progress';
import { captureData, connectSession, indexGraph } from './snapshotSources';

/** Without --every: a check a second, or ten times as long as a check takes (the debuggee then spends under a tenth of its time on them). */
const DEFAULT_EVERY_SECONDS = 1;
const ADAPTIVE_FACTOR = 10;
export const DEFAULT_WATCH_TIMEOUT_SECONDS = 30;

export interface WatchCommand {
  kind: 'watch';
  endpoint: InspectorEndpoint;
  selector: { kind: 'expr'; expression: string } | { kind: 'id'; id: number };
  /** null: adaptive (see DEFAULT_EVERY_SECONDS). */
  everySeconds: number | null;
  timeoutSeconds: number;
  format: 'text' | 'json';
  depth: number;
  fanOut: number;
  includeWeak: boolean;
}

export interface WatchIo {
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

/** What to print and the exit code: 0 collected, 1 still alive. */
export async function runWatch(command: WatchCommand, io: WatchIo, progress: Progress): Promise<{ output: string; code: number }> {
  const session = await connectSession(command.endpoint, progress);
  try {
    const { id, className } = await watchedObject(session, command, progress, io.signal);
    const every = command.everySeconds === null ? 'a check every second or so' : `a check every ${seconds(command.everySeconds)}`;
    io.stderr.write(`Watching ${className} @${id} until it is collected (${every}, for up to ${seconds(command.timeoutSeconds)}; Ctrl-C stops and leaves the process as it was)\n`);
    try {
      return await watchUntilCollected(session, id, className, command, io.signal, progress);
    } catch (error) {
      if (error instanceof TargetExitedError) throw new CliFailure(`the process exited (or closed its inspector) while ${className} @${id} was watched: not collected before then`);
      // V8 forgets every snapshot id when ANY inspector session closes (another debugger client, a second retainer-graph).
      if (error instanceof ObjectIdsLostError) throw new CliFailure(`another inspector client disconnected from the process while ${className} @${id} was watched, and V8 forgot every snapshot id with it: the watch cannot tell any more; run it again`);
      throw error;
    }
  } finally {
    await session.close();
  }
}

/** Checks until the object is collected or --timeout passes; then the chain from a fresh snapshot. */
async function watchUntilCollected(session: InspectorSession, id: number, className: string, command: WatchCommand, signal: AbortSignal, progress: Progress): Promise<{ output: string; code: number }> {
  const started = Date.now();
  let checks = 0;
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    const checkStarted = Date.now();
    const { objects } = await abortable(session.checkAlive([id]), signal);
    checks++;
    const elapsed = (Date.now() - started) / 1000;
    const report: WatchReport = { outcome: objects[0].state, id, className, checks, seconds: round(elapsed) };
    if (report.outcome === 'collected') return { output: render(report, null, command), code: 0 };
    if (elapsed >= command.timeoutSeconds) {
      const walk = await freshWalk(session, id, command, progress, signal);
      // Freed between the last check and the snapshot: that is the answer too.
      if (!walk) return { output: render({ ...report, outcome: 'collected' }, null, command), code: 0 };
      return { output: render(report, walk, command), code: 1 };
    }
    progress.update(`${className} @${id} still alive after ${seconds(elapsed)} (${checks} check${checks === 1 ? '' : 's'})`);
    const checkSeconds = (Date.now() - checkStarted) / 1000;
    const pause = command.everySeconds ?? Math.max(DEFAULT_EVERY_SECONDS, ADAPTIVE_FACTOR * checkSeconds);
    await sleep(Math.min(pause, Math.max(0, command.timeoutSeconds - elapsed)) * 1000, signal);
  }
}

/** The watched object's id and class name. */
async function watchedObject(session: InspectorSession, command: WatchCommand, progress: Progress, signal: AbortSignal): Promise<{ id: number; className: string }> {
  const { selector } = command;
  if (selector.kind === 'id') {
    const { objects } = await abortable(session.checkAlive([selector.id]), signal);
    const [object] = objects;
    if (object.state === 'collected') throw new CliFailure(`@${selector.id} is not in the process: it was collected, or the id comes from a snapshot of another inspector session`);
    return { id: selector.id, className: object.className ?? object.description ?? 'object' };
  }
  const handle = await session.evaluate(selector.expression);
  if (signal.aborted) throw new CancelledError();
  // The snapshot itself is not needed: V8 assigns ids for it. Its chunks are dropped as they come.
  progress.update('Taking a heap snapshot to learn the object\'s id');
  const [id] = await session.captureSnapshot([handle], { signal, onProgress: ({ done, total }) => progress.update('Taking a heap snapshot to learn the object\'s id', total > 0 ? done / total : undefined) });
  progress.done();
  if (!id) throw new CliFailure('the object was collected before it could be watched (nothing retains it any more)');
  return { id, className: handle.className ?? handle.description ?? handle.type };
}

/** The walk from a snapshot taken now, over the watch's own session; null when the object is gone by then. */
async function freshWalk(session: InspectorSession, id: number, command: WatchCommand, progress: Progress, signal: AbortSignal): Promise<Walk | null> {
  const { data } = await captureData(session, [], progress, signal);
  const graph = await indexGraph({ data }, progress);
  progress.done();
  if (graph.ordinalOf(id) < 0) return null;
  return graph.walk(id, { depth: command.depth, fanOut: command.fanOut, includeWeak: command.includeWeak });
}

function render(report: WatchReport, walk: Walk | null, command: WatchCommand): string {
  if (command.format === 'json') return JSON.stringify(walk ? { ...report, walk } : report, null, 2) + '\n';
  const after = `after ${seconds(report.seconds)}, ${report.checks} check${report.checks === 1 ? '' : 's'}`;
  if (report.outcome === 'collected') return `${report.className} @${report.id} was collected (${after}).\n`;
  return `${report.className} @${report.id} is still alive (${after}). What keeps it alive:\n\n${walk ? formatWalk(walk, 'text') : ''}`;
}

function seconds(value: number): string {
  return `${round(value)} s`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A check cannot be stopped half-way; Ctrl-C stops waiting for it (closing the session then cleans up). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
