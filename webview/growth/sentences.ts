/**
 * What the Growth view says in words, from the engine's figures: one sentence
 * per leak suspect, what was compared, and the answer of a class's merged
 * paths. Pure functions of the protocol types (tested in plain Node); heap
 * strings stay plain text.
 */
import type { ClassSuspect, CollectionGrowth, CollectionSuspect, GrowthReport, GrowthSnapshot, LeakSuspect, MergedPaths } from '../../src/protocol/growth';
import type { GrowthSource } from '../../src/protocol/growthView';
import type { RootKind } from '../../src/protocol/walk';
import { formatBytes, formatCount, formatPercent, formatSignedBytes, truncate } from '../format';

/** How a sentence names a collection's kind: `Scheduler.queued (static map)`. */
const KIND_WORDS: Record<RootKind, string> = {
  'static-map': 'static map',
  global: 'global',
  module: 'module variable',
  closure: 'closure variable',
  'gc-root': 'GC root',
  debugger: 'debugger',
};

const LABEL_MAX = 90;

export function suspectSentence(suspect: LeakSuspect): string {
  return suspect.kind === 'collection' ? collectionSentence(suspect) : classSentence(suspect);
}

/** `Scheduler.queued (static map): +400 entries per snapshot, holding Job, +3.1 MB retained per step` */
function collectionSentence(c: CollectionSuspect): string {
  const parts = [`${collectionName(c)}: ${rise(c.entries, ['entry', 'entries'])}`];
  if (c.holds.length > 0) parts.push(`holding ${c.holds.map((held) => truncate(held.name, 40)).join(', ')}`);
  // Retained growth counts from the collection's first appearance; new objects from the first snapshot.
  if (c.retainedGrowth !== null) parts.push(`${formatSignedBytes(c.retainedGrowth / stepsPresent(c.entries))} retained per step`);
  else parts.push(`${formatSignedBytes(c.newSize / steps(c.entries))} of new objects per step`);
  return parts.join(', ');
}

/** `Job: +400 instances per snapshot, 95 % held by Scheduler.queued, +234 KB retained per step` */
function classSentence(c: ClassSuspect): string {
  const parts = [`${truncate(c.label, LABEL_MAX)}: ${rise(c.counts, ['instance', 'instances'])}`];
  if (c.heldBy) parts.push(`${formatPercent(c.heldBy.share)} held by ${truncate(c.heldBy.label, LABEL_MAX)}`);
  const per = steps(c.counts);
  if (c.retainedGrowth !== null) parts.push(`${formatSignedBytes(c.retainedGrowth / per)} retained per step`);
  else if (c.newSize !== null) parts.push(`${formatSignedBytes(c.newSize / per)} of new objects per step`);
  else parts.push(`${formatSignedBytes(c.sizeGrowth / per)} self size per step`);
  return parts.join(', ');
}

/** `Scheduler.queued (static map)`, `events._events["flush"] (Array)`. */
export function collectionName(c: CollectionGrowth): string {
  return `${truncate(c.label, LABEL_MAX)} (${c.rootKind ? KIND_WORDS[c.rootKind] : truncate(c.type, 40)})`;
}

/** The class a click on a suspect opens: the class itself, or what a collection mostly holds. */
export function suspectClass(suspect: LeakSuspect): string | null {
  return suspect.kind === 'class' ? suspect.label : (suspect.holds[0]?.name ?? null);
}

/**
 * The rise of a series that grew at every step: `+400 entries per snapshot`
 * when every step added the same, else `+1,150 entries over 3 snapshots`.
 */
export function rise(values: readonly (number | null)[], [one, many]: readonly [string, string]): string {
  const present = values.filter((v): v is number => v !== null);
  const deltas = present.slice(1).map((v, i) => v - present[i]);
  const noun = (n: number) => (Math.abs(n) === 1 ? one : many);
  if (deltas.length === 0) return `${formatCount(present[0] ?? 0)} ${noun(present[0] ?? 0)}`;
  if (deltas.every((d) => d === deltas[0])) return `${signed(deltas[0])} ${noun(deltas[0])} per snapshot`;
  const total = present[present.length - 1] - present[0];
  return `${signed(total)} ${noun(total)} over ${present.length} snapshots`;
}

/** Steps of the whole series (snapshots − 1), at least 1. */
function steps(values: readonly unknown[]): number {
  return Math.max(1, values.length - 1);
}

/** Steps since the series' first value (a collection may appear in a later snapshot). */
function stepsPresent(values: readonly (number | null)[]): number {
  return Math.max(1, values.filter((v) => v !== null).length - 1);
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '−'}${formatCount(Math.abs(n))}`;
}

/** Where the snapshots come from, for the source bar: `Recording 127.0.0.1:9229 · 3 snapshots`. */
export function sourceText(source: GrowthSource, report: GrowthReport | null): string {
  const taken = source.snapshots;
  const count = `${formatCount(taken)} snapshot${taken === 1 ? '' : 's'}`;
  const compared = report ? report.snapshots.length : 0;
  const reading = report && taken > compared ? ` (snapshot ${taken} not compared yet)` : '';
  return source.recording ? `Recording ${source.label} · ${count}${reading}` : `${source.label} · ${count}${reading}`;
}

/** `growth-1.heapsnapshot` from a path, or a live snapshot's own name. */
export function snapshotName(snapshot: Pick<GrowthSnapshot, 'file'>): string {
  return snapshot.file.split(/[\\/]/).pop() || snapshot.file;
}

/** Said when no suspect stands out: what was compared, and what would tell more. */
export function noSuspectsText(report: GrowthReport, source: GrowthSource | null): string {
  const n = report.snapshots.length;
  const where = source ? ` of ${source.label}` : '';
  const sentence = `No leak suspects in ${n} snapshots${where}: no collection grew at every step, and no class by more than a few objects a step.`;
  if (n >= 3) return sentence;
  return `${sentence} ${source?.recording ? 'Take a third snapshot' : 'A third snapshot'} would tell a steady leak from a batch that comes and goes.`;
}

/** Said instead of suspects when ids cannot be matched across the snapshots. */
export function differentProcessesText(report: GrowthReport): string {
  return (
    `These snapshots come from different processes (or the inspector session was closed between them): ` +
    `${formatPercent(report.idMismatch)} of the object ids they share name objects of another class. ` +
    'Objects cannot be matched across them, so only class counts and sizes are compared: no new or deleted objects, no collections, no leak suspects.'
  );
}

/** Two snapshots say less than three: suspects may be a batch that comes and goes. */
export function twoSnapshotsHint(report: GrowthReport, source: GrowthSource | null): string | null {
  if (report.snapshots.length >= 3 || report.suspects.length === 0) return null;
  return `Grew between the two snapshots; ${source?.recording ? 'take a third to tell' : 'a third snapshot would tell'} a steady leak from a batch that comes and goes.`;
}

/** `since snapshot 1` (the report's own numbering), else the baseline's file name. */
export function sinceText(paths: MergedPaths, report: GrowthReport | null): string | null {
  const since = paths.newSince;
  if (!since) return null;
  const index = report?.snapshots.findIndex((s) => s.file === since.file || s.maxObjectId === since.maxObjectId) ?? -1;
  return index >= 0 ? `since snapshot ${index + 1}` : `since ${snapshotName(since)}`;
}

/**
 * The answer first, as the CLI gives it: `800 new Job since snapshot 1: 760
 * via Scheduler.queued.get(*), 40 via globalThis.lastJobs[*]`.
 */
export function pathsHeadline(paths: MergedPaths, report: GrowthReport | null): string {
  const since = sinceText(paths, report);
  const what = `${formatCount(paths.objects)} ${since ? 'new ' : ''}${truncate(paths.class, LABEL_MAX)}${since ? ` ${since}` : ''}`;
  if (paths.objects === 0) return `No ${since ? 'new ' : ''}${truncate(paths.class, LABEL_MAX)}${since ? ` ${since}` : ' in the snapshot'}.`;
  const via = paths.groups.slice(0, 3).map((g) => `${formatCount(g.count)} via ${truncate(g.label, LABEL_MAX)}`);
  const rest = paths.groups.slice(3);
  if (rest.length > 0) via.push(`${formatCount(rest.reduce((sum, g) => sum + g.count, 0))} by ${formatCount(rest.length)} more path${rest.length === 1 ? '' : 's'}`);
  return via.length > 0 ? `${what}: ${via.join(', ')}` : what;
}

/** `self 31 KB · 469 KB freed if all of them were released`. */
export function pathsSizes(paths: MergedPaths): string {
  const parts = [`self ${formatBytes(paths.selfSize)}`];
  if (paths.retainedSize !== null) parts.push(`${formatBytes(paths.retainedSize)} freed if all of them were released`);
  return parts.join(' · ');
}

/** Objects no strong path reaches, counted apart; null when there are none. */
export function unreachableText(paths: MergedPaths): string | null {
  const { count, selfSize } = paths.unreachable;
  if (count === 0) return null;
  return `${formatCount(count)} ${count === 1 ? 'has' : 'have'} no strong path from a root (only weakly held, waiting for GC): ${formatBytes(selfSize)}.`;
}
