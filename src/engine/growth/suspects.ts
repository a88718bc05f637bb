/**
 * Leak suspects: the collections and classes that grew at every step,
 * ranked by the memory their growth holds.
 *
 * Growth at every step is what tells a leak from churn: an LRU replacing its
 * entries keeps its size, a batch that comes and goes falls again (objgraph's
 * peak counting, MemLab's snapshot series). Among classes two more filters
 * keep the list to causes:
 *  - V8's own pseudo-classes (`(system)`, `(compiled code)`, backing stores
 *    `(array)`, `system / …`) grow with any activity and are left out;
 *  - so does a class that gains a handful of objects a step on a large
 *    population (a few `Object`s among thousands after a request): that is
 *    the program running, and after a fix it would be the only "suspect";
 *  - a class whose new instances mostly sit inside new objects of another
 *    growing class (the payload arrays of leaked jobs) is part of that
 *    class's growth, not a cause of its own.
 * Both are decided on a sample of each class's new instances, following
 * their shortest paths.
 */
import type { ClassGrowth, ClassSuspect, CollectionGrowth, CollectionSuspect, LeakSuspect } from '../../protocol/growth';
import type { SnapshotDigest } from './digest';
import type { NewObjects } from './newObjects';
import type { ClassRows } from '../classGroups';

export const MAX_SUSPECTS = 50;
/** New instances per class whose paths are followed. */
const SAMPLE_SIZE = 200;

const INTERNAL_CLASSES = new Set(['(system)', '(compiled code)', '(object shape)', '(array)', '(hidden)', '(code)', '(synthetic)', '(root)']);

/** Below both (per step), a class's growth is noise: fewer than this many objects… */
const NOISE_OBJECTS_PER_STEP = 10;
/** …and less than this share of its first count. */
const NOISE_SHARE_PER_STEP = 0.001;

/** Counts per snapshot (oldest first) that rose too little a step to suspect the class; it stays in the class table. */
export function isNoiseGrowth(counts: readonly number[]): boolean {
  const steps = counts.length - 1;
  const perStep = (counts[steps] - counts[0]) / steps;
  return perStep < NOISE_OBJECTS_PER_STEP && perStep < counts[0] * NOISE_SHARE_PER_STEP;
}

export function isInternalClass(name: string): boolean {
  return INTERNAL_CLASSES.has(name) || name.startsWith('system / ');
}

export interface SuspectInputs {
  nodeCount: number;
  snapshots: readonly SnapshotDigest[];
  sameProcess: boolean;
  classes: readonly ClassGrowth[];
  /** The collections that grew at every step, with their nodeOrdinal in the last graph. */
  collections: readonly (CollectionGrowth & { ordinal: number })[];
  classOf: ClassRows;
  classNames: readonly string[];
  newObjects: NewObjects;
}

export function findSuspects(inputs: SuspectInputs): LeakSuspect[] {
  const { collections, sameProcess } = inputs;
  const collectionSuspects: CollectionSuspect[] = collections.map(({ ordinal: _ordinal, ...c }) => ({ kind: 'collection', ...c, retainedGrowth: growthOf(c.retainedSizes) }));
  const candidates = inputs.classes.filter((c) => c.grewEveryStep && !isInternalClass(c.name) && !isNoiseGrowth(c.counts));
  const classSuspects = sameProcess ? classSuspectsOf(candidates, inputs) : candidates.map((c) => classSuspect(c, null, null));
  const suspects: LeakSuspect[] = [...collectionSuspects, ...classSuspects];
  const size = (s: LeakSuspect) => s.newSize ?? 0;
  // A collection whose new entries are a class's new instances holds the same bytes as that class: the collection, the cause, first.
  const kind = (s: LeakSuspect) => (s.kind === 'collection' ? 0 : 1);
  const sizeGrowth = (s: LeakSuspect) => (s.kind === 'class' ? s.sizeGrowth : 0);
  suspects.sort((a, b) => size(b) - size(a) || kind(a) - kind(b) || sizeGrowth(b) - sizeGrowth(a) || a.label.localeCompare(b.label));
  return suspects.slice(0, MAX_SUSPECTS);
}

function classSuspectsOf(candidates: readonly ClassGrowth[], inputs: SuspectInputs): ClassSuspect[] {
  const { classOf, classNames, newObjects, collections, nodeCount } = inputs;
  const candidateOfRow = new Int32Array(classNames.length).fill(-1);
  const rowOfName = new Map(classNames.map((name, row) => [name, row]));
  candidates.forEach((c, index) => {
    const row = rowOfName.get(c.name);
    if (row !== undefined) candidateOfRow[row] = index;
  });
  // The new instances of each candidate, in one array grouped by candidate (4 bytes each, no slack: there can be millions).
  const firstInstance = new Uint32Array(candidates.length + 1);
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    const candidate = candidateOfRow[classOf[ordinal]];
    if (candidate >= 0 && newObjects.isNew(ordinal)) firstInstance[candidate + 1]++;
  }
  for (let c = 0; c < candidates.length; c++) firstInstance[c + 1] += firstInstance[c];
  const ordinals = new Uint32Array(firstInstance[candidates.length]);
  const cursor = firstInstance.slice(0, candidates.length);
  for (let ordinal = 1; ordinal < nodeCount; ordinal++) {
    const candidate = candidateOfRow[classOf[ordinal]];
    if (candidate >= 0 && newObjects.isNew(ordinal)) ordinals[cursor[candidate]++] = ordinal;
  }
  const instancesOf = (candidate: number): Uint32Array => ordinals.subarray(firstInstance[candidate], firstInstance[candidate + 1]);
  const collectionByOrdinal = new Map(collections.map((c) => [c.ordinal, c]));
  const result: ClassSuspect[] = [];
  candidates.forEach((c, index) => {
    const sample = evenSample(instancesOf(index), SAMPLE_SIZE);
    if (sample.length > 0 && isPartOfOtherGrowth(sample, index, inputs, candidateOfRow)) return;
    const holders = new Map<number, number>();
    for (const ordinal of sample) {
      const holder = newObjects.markedHolderOf(ordinal);
      if (holder >= 0) holders.set(holder, (holders.get(holder) ?? 0) + 1);
    }
    let heldBy: ClassSuspect['heldBy'] = null;
    for (const [holder, count] of holders) {
      const share = count / sample.length;
      const collection = collectionByOrdinal.get(holder);
      if (collection && share > 0.5 && (!heldBy || share > heldBy.share)) heldBy = { id: collection.id, label: collection.label, share };
    }
    result.push(classSuspect(c, newObjects.newSizeFrom(instancesOf(index)), heldBy));
  });
  return result;
}

/** Most sampled instances sit in a new object of another growing class. */
function isPartOfOtherGrowth(sample: readonly number[], candidate: number, inputs: SuspectInputs, candidateOfRow: Int32Array): boolean {
  const { newObjects, classOf } = inputs;
  const inside = new Map<number, number>();
  for (const ordinal of sample) {
    const top = newObjects.newStructureAbove(ordinal);
    if (top < 0) continue;
    const other = candidateOfRow[classOf[top]];
    if (other >= 0 && other !== candidate) inside.set(other, (inside.get(other) ?? 0) + 1);
  }
  for (const count of inside.values()) if (count > sample.length / 2) return true;
  return false;
}

function classSuspect(c: ClassGrowth, newSize: number | null, heldBy: ClassSuspect['heldBy']): ClassSuspect {
  const last = c.counts.length - 1;
  return {
    kind: 'class',
    label: c.name,
    counts: c.counts,
    new: c.new,
    newSize,
    sizeGrowth: c.sizes[last] - c.sizes[0],
    retainedGrowth: c.retainedSizes[0] !== null && c.retainedSizes[last] !== null ? c.retainedSizes[last]! - c.retainedSizes[0]! : null,
    heldBy,
  };
}

/** Last minus first of the values present; null when the last is missing. */
function growthOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2 || values[values.length - 1] === null) return null;
  return present[present.length - 1] - present[0];
}

function evenSample(items: ArrayLike<number>, size: number): number[] {
  if (items.length <= size) return Array.from(items);
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]);
}
