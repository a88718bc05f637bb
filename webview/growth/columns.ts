/**
 * The columns of the class table (DevTools' Comparison view, objgraph's
 * show_growth) and of the collections that grew. Columns the report cannot
 * fill are left out: new and deleted across different processes, retained
 * sizes when they were not computed.
 */
import type { ClassGrowth, CollectionGrowth, GrowthReport } from '../../src/protocol/growth';
import { h } from '../dom';
import { formatBytes, formatCount, formatSignedBytes, formatSignedCount } from '../format';
import type { Column } from './dataTable';
import { collectionName } from './sentences';
import { sparkline } from './sparkline';

const last = <T>(values: readonly T[]): T => values[values.length - 1];

/** `400 → 800 → 1,200`; `400 → … → 1,200` past four snapshots; `–` where a collection did not exist yet. */
export function seriesText(values: readonly (number | null)[], full = false): string {
  const text = (v: number | null) => (v === null ? '–' : formatCount(v));
  if (full || values.length <= 4) return values.map(text).join(' → ');
  return `${text(values[0])} → … → ${text(last(values))}`;
}

/** Sparkline and the series; a narrow panel shows only the last value (the whole series is the cell's hover text). */
function seriesCell(values: readonly (number | null)[]): Node {
  const lastValue = last(values);
  return h('span', { class: 'series' }, sparkline(values), h('span', { class: 'series-text' }, seriesText(values)), h('span', { class: 'series-last' }, lastValue === null ? '–' : formatCount(lastValue)));
}

/** Signed figures, coloured by direction (growth is what the user hunts). */
function change(text: string, delta: number): Node {
  return h('span', { class: delta > 0 ? 'delta up' : delta < 0 ? 'delta down' : 'delta' }, text);
}

export function hasRetained(report: GrowthReport): boolean {
  return report.snapshots[0].hasRetainedSizes && last(report.snapshots).hasRetainedSizes;
}

const countGrowth = (c: ClassGrowth) => last(c.counts) - c.counts[0];
const sizeGrowth = (c: ClassGrowth) => last(c.sizes) - c.sizes[0];
const retainedGrowth = (c: ClassGrowth) => (last(c.retainedSizes) ?? 0) - (c.retainedSizes[0] ?? 0);

/** What a pin costs the program, said where the user pins (measured on the demo: test/bench/liveCost.ts). */
export const PIN_COST =
  'Pin: its live instance count on the memory chart. Each count is a full GC and heap walk in the program (Runtime.queryObjects): about 1 s of the program\'s time per 100 MB of heap (9 s at 1 GB). Counted every 5 s at most, and never more than a tenth of the time.';

/** The pin control of a live recording's class rows: the class's live count on the memory chart. */
export interface PinColumn {
  pinned: ReadonlySet<string>;
  toggle(className: string): void;
}

/** Why new objects recorded with stacks have none, and what keeps them. */
const LOST_STACKS = (lost: number): string => `${formatCount(lost)} of the new ones lost their stack: V8's GC drops the stack of an object it moves. Start the program with node --no-compact for exact stacks.`;

/** `lib/resourceLoader.js:4 in ResourceLoader()` for the site most of the class's instances were allocated at. */
export function topSiteText(c: ClassGrowth): string {
  const sites = c.allocationSites ?? [];
  const top = sites.find((row) => row.site !== null);
  if (!top?.site) return sites.length === 0 ? '' : c.newWithoutStack ? `no stack (${formatCount(c.newWithoutStack)} new ones lost theirs: the GC moved them)` : 'no stack (allocated before tracking)';
  const more = sites.filter((row) => row.site !== null).length - 1;
  return `${formatCount(top.count)} at ${top.site.label}${more > 0 ? ` (+${more} more site${more === 1 ? '' : 's'})` : ''}`;
}

export function classColumns(report: GrowthReport, pin?: PinColumn): Column<ClassGrowth>[] {
  const n = report.snapshots.length;
  const columns: Column<ClassGrowth>[] = [
    { id: 'name', header: 'Class', hint: 'Constructor name, grouped as DevTools groups classes', sortValue: (c) => c.name, cell: (c) => h('span', { class: 'class-name' }, c.name), cellHint: (c) => c.name },
    {
      id: 'count',
      header: 'Count',
      hint: `Instances in each of the ${n} snapshots, oldest first; sorted by the last`,
      numeric: true,
      sortValue: (c) => last(c.counts),
      cell: (c) => seriesCell(c.counts),
      cellHint: (c) => seriesText(c.counts, true),
    },
    { id: 'countDelta', header: '# Δ', hint: 'Change in count from the first snapshot to the last', numeric: true, sortValue: countGrowth, cell: (c) => change(formatSignedCount(countGrowth(c)), countGrowth(c)) },
  ];
  if (report.sameProcess) {
    columns.push(
      { id: 'new', header: 'New', hint: 'Alive in the last snapshot, allocated after the first', numeric: true, sortValue: (c) => c.new ?? 0, cell: (c) => formatCount(c.new ?? 0) },
      { id: 'deleted', header: 'Deleted', hint: 'In the first snapshot, gone from the last', numeric: true, sortValue: (c) => c.deleted ?? 0, cell: (c) => formatCount(c.deleted ?? 0) },
    );
  }
  columns.push({
    id: 'sizeDelta',
    header: 'Self Δ',
    hint: 'Change in the sum of shallow sizes, first snapshot to last',
    numeric: true,
    sortValue: sizeGrowth,
    cell: (c) => change(formatSignedBytes(sizeGrowth(c)), sizeGrowth(c)),
    cellHint: (c) => c.sizes.map(formatBytes).join(' → '),
  });
  if (hasRetained(report)) {
    columns.push({
      id: 'retainedDelta',
      header: 'Retained Δ',
      hint: 'Change in the class retained size, first snapshot to last',
      numeric: true,
      sortValue: retainedGrowth,
      cell: (c) => change(formatSignedBytes(retainedGrowth(c)), retainedGrowth(c)),
      cellHint: (c) => c.retainedSizes.map((size) => (size === null ? '–' : formatBytes(size))).join(' → '),
    });
  }
  columns.push({
    id: 'everyStep',
    header: 'Every step',
    hint: 'The count rose at every step (a steady leak, not a batch that comes and goes)',
    sortValue: (c) => (c.grewEveryStep ? 1 : 0),
    numeric: true,
    cell: (c) => (c.grewEveryStep ? h('span', { class: 'every-step' }, '↑ grew') : ''),
  });
  if (report.classes.some((c) => c.allocationSites !== undefined)) {
    columns.push({
      id: 'allocatedAt',
      header: 'Allocated at',
      hint: 'Where the last snapshot\'s instances were allocated (recorded with allocation stacks), most first',
      sortValue: (c) => c.allocationSites?.find((row) => row.site !== null)?.count ?? 0,
      cell: (c) => h('span', { class: 'allocated-at' }, topSiteText(c)),
      cellHint: (c) => [...(c.allocationSites ?? []).map((row) => `${formatCount(row.count)} ${row.site ? `at ${row.site.label}` : 'without a stack'}`), ...(c.newWithoutStack ? [LOST_STACKS(c.newWithoutStack)] : [])].join('\n'),
    });
  }
  if (pin) {
    columns.unshift({
      id: 'pin',
      header: 'Pin',
      hint: PIN_COST,
      sortValue: (c) => (pin.pinned.has(c.name) ? 1 : 0),
      cell: (c) => {
        const on = pin.pinned.has(c.name);
        const button = h('button', { type: 'button', class: `pin${on ? ' pinned' : ''}`, 'aria-pressed': on ? 'true' : 'false', title: on ? `Unpin ${c.name}` : `Pin ${c.name}. ${PIN_COST}`, 'data-class': c.name }, on ? 'Unpin' : 'Pin');
        button.addEventListener('click', (event) => {
          event.stopPropagation();
          pin.toggle(c.name);
        });
        button.addEventListener('keydown', (event) => event.stopPropagation());
        return button;
      },
    });
  }
  return columns;
}

const holdsText = (c: CollectionGrowth) => c.holds.map((held) => `${formatCount(held.count)} new ${held.name}`).join(', ');

const entriesGrowth = (c: CollectionGrowth) => {
  const present = c.entries.filter((e): e is number => e !== null);
  return present.length > 0 ? last(present) - present[0] : 0;
};

export function collectionColumns(report: GrowthReport): Column<CollectionGrowth>[] {
  const withRetained = hasRetained(report);
  const columns: Column<CollectionGrowth>[] = [
    {
      id: 'label',
      header: 'Collection',
      hint: 'How code reaches it',
      sortValue: (c) => c.label,
      cell: (c) => h('span', { class: 'collection-name' }, h('span', { class: `swatch role-${c.rootKind ?? 'plain'}`, 'aria-hidden': 'true' }), h('span', { class: 'collection-label' }, collectionName(c))),
      cellHint: (c) => `${c.label} (${c.type} @${c.id})`,
    },
    { id: 'entries', header: 'Entries', hint: 'Entries holding an object, in every snapshot', numeric: true, sortValue: (c) => last(c.entries) ?? 0, cell: (c) => seriesCell(c.entries), cellHint: (c) => seriesText(c.entries, true) },
    { id: 'entriesDelta', header: 'Δ', hint: 'Entries gained since it first appeared', numeric: true, sortValue: entriesGrowth, cell: (c) => change(formatSignedCount(entriesGrowth(c)), entriesGrowth(c)) },
  ];
  if (withRetained) {
    columns.push({ id: 'retained', header: 'Retained', hint: 'Retained size in the last snapshot', numeric: true, sortValue: (c) => last(c.retainedSizes) ?? 0, cell: (c) => formatBytes(last(c.retainedSizes) ?? 0) });
  }
  columns.push(
    { id: 'newSize', header: 'New held', hint: 'Bytes of the objects allocated since the first snapshot that it holds', numeric: true, sortValue: (c) => c.newSize, cell: (c) => formatBytes(c.newSize) },
    { id: 'holds', header: 'Holds', hint: 'New objects among its entries, by class', sortValue: (c) => c.holds[0]?.count ?? 0, cell: (c) => h('span', { class: 'holds' }, holdsText(c)), cellHint: holdsText },
  );
  return columns;
}
