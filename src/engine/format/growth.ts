/**
 * The growth report as text, leading with the answer (the leak suspects),
 * then the classes that changed (DevTools' Comparison view, objgraph's
 * show_growth) and the collections that grew; or as JSON, exactly the
 * GrowthReport contract. Heap strings pass through `printable`.
 */
import type { ClassSuspect, CollectionGrowth, CollectionSuspect, GrowthReport, LeakSuspect } from '../../protocol/growth';
import type { AllocationSiteCount } from '../../protocol/allocations';
import { isInternalClass } from '../growth/suspects';
import { count, formatBytes, printable, truncate } from './describe';
import { lostStacksNote } from './lostStacks';

export function formatGrowthJson(report: GrowthReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** `top`: suspects, classes and collections shown at most. */
export function formatGrowthText(report: GrowthReport, top = 10): string {
  const lines: string[] = [];
  const steps = report.snapshots.length;
  if (!report.sameProcess) {
    lines.push(
      `These snapshots are not of one process (${percent(report.idMismatch)} of the object ids they share name objects of another class),`,
      'or the inspector session was closed between them: object ids cannot be matched, so only per-class',
      'figures are compared; new, deleted and collections are unknown.',
      '',
    );
  }
  if (report.suspects.length === 0) {
    lines.push(`No leak suspects in ${steps} snapshots: no collection grew at every step, and no class by more than a few objects a step.`);
    if (steps < 3) lines.push('(With three or more snapshots a steady leak stands apart from a batch that comes and goes.)');
  } else {
    lines.push(`Leak suspects (grew at every step of ${steps} snapshots${steps < 3 ? '; take a third to tell a leak from a batch that comes and goes' : ''}):`);
    report.suspects.slice(0, top).forEach((suspect, i) => lines.push(`  ${i + 1}. ${describeSuspect(suspect)}`));
    if (report.suspects.length > top) lines.push(`  … ${report.suspects.length - top} more (--top to see them)`);
  }
  lines.push('');
  lines.push(...classTable(report, top));
  const sites = allocationSiteList(report, top);
  if (sites.length > 0) lines.push('', ...sites);
  if (report.sameProcess) {
    lines.push('');
    lines.push(...collectionList(report, top));
  }
  lines.push('');
  lines.push('Snapshots:');
  report.snapshots.forEach((snapshot, i) => {
    lines.push(`  ${i + 1}. ${printable(snapshot.file)}: ${count(snapshot.nodeCount)} nodes, ${formatBytes(snapshot.totalSize)}${snapshot.hasRetainedSizes ? ', retained sizes' : ''}${snapshot.allocationStacks ? ', allocation stacks' : ''}`);
  });
  return lines.join('\n') + '\n';
}

function describeSuspect(suspect: LeakSuspect): string {
  return suspect.kind === 'collection' ? describeCollectionSuspect(suspect) : describeClassSuspect(suspect);
}

/** `Scheduler.queued (Map, static-map): +400 entries at every step (400 → 800 → 1,200), holding 800 new Job; 544 KB in new objects` */
function describeCollectionSuspect(c: CollectionSuspect): string {
  const parts = [`${collectionName(c)}: ${rise(c.entries, 'entries')} (${series(c.entries)})`];
  const held = c.holds.map((h) => `${count(h.count)} new ${printable(h.name)}`).join(', ');
  if (held) parts[0] += `, holding ${held}`;
  parts.push(`${formatBytes(c.newSize)} in new objects`);
  if (c.retainedGrowth !== null) parts.push(`${signedBytes(c.retainedGrowth)} retained`);
  return parts.join('; ');
}

/** `Job: +400 at every step (400 → 800 → 1,200), 800 new; 488 KB in new objects; 95 % of them held by Scheduler.queued` */
function describeClassSuspect(c: ClassSuspect): string {
  const parts = [`${truncate(printable(c.label), 60)}: ${rise(c.counts, '')} (${series(c.counts)})${c.new !== null ? `, ${count(c.new)} new` : ''}`];
  parts.push(c.newSize !== null ? `${formatBytes(c.newSize)} in new objects` : `${signedBytes(c.sizeGrowth)} self size`);
  if (c.retainedGrowth !== null) parts.push(`${signedBytes(c.retainedGrowth)} retained`);
  if (c.heldBy) parts.push(`${percent(c.heldBy.share)} of them held by ${truncate(printable(c.heldBy.label), 80)}`);
  const sites = (c.allocationSites ?? []).filter((row) => row.site !== null).slice(0, 2);
  if (sites.length > 0) parts.push(`allocated at ${sites.map((row) => `${truncate(printable(row.site!.label), 80)} (${count(row.count)})`).join(', ')}`);
  return parts.join('; ');
}

/**
 * Classes listed above (not V8's pseudo-classes) with recorded allocation
 * stacks, each with its sites: `Job: 800 at lib/jobs.js:12 in enqueue(); 400
 * without a stack`, and a note when new objects lost theirs.
 */
function allocationSiteList(report: GrowthReport, top: number): string[] {
  if (!report.snapshots[report.snapshots.length - 1].allocationStacks) return [];
  const listed = report.classes.slice(0, top).filter((c) => !isInternalClass(c.name));
  const rows = listed.filter((c) => c.allocationSites?.some((row) => row.site !== null));
  const lines =
    rows.length === 0
      ? ["No class above has allocation stacks: its objects were allocated before recording began, or V8's GC dropped their stacks when it moved them (node --no-compact keeps them)."]
      : ['Where they were allocated (the nearest frame in the program\'s own code):'];
  for (const c of rows) {
    const before = c.allocationSites!.find((row) => row.site === null);
    const newOnes = c.newWithoutStack ? ` (${count(c.newWithoutStack)} of them new)` : '';
    lines.push(`  ${truncate(printable(c.name), 40)}: ${sitesText(c.allocationSites!, 3)}${before ? `; ${count(before.count)} without a stack${newOnes}` : ''}`);
  }
  const lost = listed.reduce((sum, c) => sum + (c.newWithoutStack ?? 0), 0);
  if (lost > 0) lines.push(lostStacksNote(lost, listed.reduce((sum, c) => sum + (c.newWithoutStack === undefined ? 0 : (c.new ?? 0)), 0), 'new objects of the classes above'));
  return lines;
}

/** `800 at lib/jobs.js:12 in enqueue(), 3 at …` (sites with a stack, most first). */
function sitesText(sites: readonly AllocationSiteCount[], shown: number): string {
  const recorded = sites.filter((row) => row.site !== null);
  return recorded
    .slice(0, shown)
    .map((row) => `${count(row.count)} at ${truncate(printable(row.site!.label), 80)}`)
    .join(', ');
}

function collectionName(c: CollectionGrowth): string {
  const kind = c.rootKind ? `${printable(c.type)}, ${c.rootKind}` : printable(c.type);
  return `${truncate(printable(c.label), 80)} (${kind} @${c.id})`;
}

/** `+400 entries at every step` when every step added the same, else `+1,200 entries, rising at every step`. */
function rise(values: readonly (number | null)[], noun: string): string {
  const present = values.filter((v): v is number => v !== null);
  const deltas = present.slice(1).map((v, i) => v - present[i]);
  const unit = noun ? ` ${noun}` : '';
  if (deltas.length > 1 && deltas.every((d) => d === deltas[0])) return `+${count(deltas[0])}${unit} at every step`;
  const total = present[present.length - 1] - present[0];
  return deltas.length > 1 ? `+${count(total)}${unit}, rising at every step` : `+${count(total)}${unit}`;
}

function classTable(report: GrowthReport, top: number): string[] {
  const { classes } = report;
  if (classes.length === 0) return ['No class changed between the snapshots.'];
  const shown = classes.slice(0, top);
  const first = report.snapshots[0];
  const last = report.snapshots[report.snapshots.length - 1];
  const withRetained = first.hasRetainedSizes && last.hasRetainedSizes;
  const header = ['class', `count ${report.snapshots.map((_, i) => i + 1).join(' → ')}`, 'new', 'deleted', 'self size Δ', ...(withRetained ? ['retained Δ'] : []), ''];
  const rows = shown.map((c) => {
    const end = c.sizes.length - 1;
    const retained = withRetained ? [signedBytes((c.retainedSizes[end] ?? 0) - (c.retainedSizes[0] ?? 0))] : [];
    return [truncate(printable(c.name), 40), series(c.counts), c.new === null ? '–' : count(c.new), c.deleted === null ? '–' : count(c.deleted), signedBytes(c.sizes[end] - c.sizes[0]), ...retained, c.grewEveryStep ? '↑ every step' : ''];
  });
  const title = `Classes that changed, largest self size growth first${classes.length > top ? ` (top ${top} of ${count(classes.length)})` : ''}:`;
  const rightAligned = [false, false, true, true, true, ...(withRetained ? [true] : []), false];
  return [title, ...table([header, ...rows], rightAligned).map((line) => `  ${line}`)];
}

function collectionList(report: GrowthReport, top: number): string[] {
  const { collections } = report;
  const all = collections.length + report.moreCollections;
  if (all === 0) return ['No collection grew.'];
  const lines = [`Collections that grew, most entries gained first${all > top ? ` (top ${top} of ${count(all)})` : ''}:`];
  for (const c of collections.slice(0, top)) {
    const held = c.holds.length > 0 ? `, holds ${c.holds.map((h) => `${count(h.count)} new ${printable(h.name)}`).join(', ')}` : '';
    lines.push(`  ${collectionName(c)}: entries ${series(c.entries)}${c.grewEveryStep ? ' ↑ every step' : ''}${held}`);
  }
  return lines;
}

/** `400 → 800 → 1,200`; `–` where a collection did not exist yet. */
function series(values: readonly (number | null)[]): string {
  return values.map((v) => (v === null ? '–' : count(v))).join(' → ');
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function signedBytes(bytes: number): string {
  if (bytes === 0) return '0 B';
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(rows: readonly string[][], rightAligned: readonly boolean[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        return rightAligned[column] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
