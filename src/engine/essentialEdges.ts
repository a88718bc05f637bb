/**
 * The edges that retain, for the dominator tree (dominators.ts): DevTools'
 * computeIsEssentialEdge. Not `weak`; not a self edge; not the table's half
 * of a WeakMap entry (the key's half stays: the key is what a reader can
 * act on); and, except from the root, not a `shortcut`, nor an edge from an
 * object the global object does not reach into one it does ("page
 * objects": so `(Internalized strings)` or the compilation cache do not
 * steal what the program's objects hold).
 */
import type { HeapSnapshotData } from './snapshotData';
import { NAME_EPHEMERON, NAME_OTHER, type EphemeronEdges, type TypeCodes } from './edgeTypes';
import { SYSTEM_DISTANCE } from './distances';
import { countTargets } from './compressedRows';
import type { FirstPass } from './dominators';

/** What marking reads of a graph. */
export interface MarkingInputs {
  data: HeapSnapshotData;
  codes: TypeCodes;
  ephemerons: EphemeronEdges;
  /** What the distances' first pass found, when the page objects follow from it. */
  firstPass: FirstPass | null;
  /** RetainerRows.firstRetainerIndexes: how many edges lead to each node, without counting them again. */
  firstRetainerIndexes?: Uint32Array;
  /** Memory for the counts of retaining edges (nodeCount + 1 entries, any content) that another use is done with. */
  countsMemory?: Uint32Array;
}

export interface EssentialEdges {
  /** One bit per edgeIndex: does it retain? */
  essential: Uint8Array;
  /** Retaining edges per nodeOrdinal (nodeCount + 1 entries, the last 0). */
  retainerCounts: Uint32Array;
}

/** Progress: the page objects found (up to nodeCount), then nodeCount + the nodes whose edges are marked. */
export type MarkingProgress = (done: number) => void;

/** Nodes between two yields. */
const SLICE = 1 << 16;

/**
 * The page objects, then which edges retain and how many retain each node:
 * all its edges, less those that do not (fewer, so fewer scattered writes).
 * `stack` is scratch space of nodeCount entries; `allocate` gives the
 * results' memory. Yields between slices.
 */
export function* essentialEdgeSteps(inputs: MarkingInputs, stack: Uint32Array, allocate: (bytes: number) => ArrayBufferLike, report: MarkingProgress): Generator<void, EssentialEdges, void> {
  const { data, codes, firstPass, firstRetainerIndexes, countsMemory } = inputs;
  const { nodeCount } = data;
  const page = new Uint8Array(nodeCount);
  if (!(firstPass && pageObjectsFromDistances(data, codes, firstPass, page, stack))) yield* pageObjects(data, codes, page, stack, report);
  const essential = new Uint8Array(allocate((data.edgeCount >>> 3) + 1));
  const retainerCounts = countsMemory ?? new Uint32Array(allocate((nodeCount + 1) * 4));
  countEdgesInto(data, firstRetainerIndexes, retainerCounts);
  const marking: Marking = { ...inputs, page, essential, retainerCounts };
  for (let start = 0; start < nodeCount; ) {
    start = markEssentialEdges(marking, start, SLICE);
    report(nodeCount + start);
    yield;
  }
  return { essential, retainerCounts };
}

/**
 * How many edges lead to each node, into `counts` (nodeCount + 1 entries,
 * the last 0, whatever they held): from the retainer rows' starts when
 * given, else counted.
 */
function countEdgesInto(data: HeapSnapshotData, firstRetainerIndexes: Uint32Array | undefined, counts: Uint32Array): void {
  const { nodeCount } = data;
  counts[nodeCount] = 0;
  if (firstRetainerIndexes) {
    for (let n = 0; n < nodeCount; n++) counts[n] = firstRetainerIndexes[n + 1] - firstRetainerIndexes[n];
    return;
  }
  counts.fill(0);
  countTargets(data.edgeToNodes, counts);
}

interface Marking extends MarkingInputs, EssentialEdges {
  page: Uint8Array;
}

/**
 * DevTools' isEssentialEdge for the edges of nodes `start`, `start + 1`, …
 * until about `budget` edges were seen; returns where to go on. Each edge
 * that does not retain takes one off its target's count. A plain function
 * with every array in a local (hot loop).
 */
function markEssentialEdges(marking: Marking, start: number, budget: number): number {
  const { codes, ephemerons, page, essential, retainerCounts } = marking;
  const { nodeCount, firstEdgeIndexes, edgeTypes, edgeNamesOrIndexes, edgeToNodes, nodeIds } = marking.data;
  const weak = codes.edgeWeak;
  const internal = codes.edgeInternal;
  const shortcut = codes.edgeShortcut;
  const nameFlags = ephemerons.nameFlags;
  const weakMapValues = ephemerons.values;
  let seen = 0;
  for (; start < nodeCount && seen < budget; start++) {
    const holder = start;
    const fromNonPage = holder !== 0 && page[holder] === 0;
    const end = firstEdgeIndexes[holder + 1];
    for (let e = firstEdgeIndexes[holder]; e < end; e++) {
      const type = edgeTypes[e];
      const to = edgeToNodes[e];
      if (type === weak || to === holder || (holder !== 0 && (type === shortcut || (fromNonPage && page[to] === 1)))) {
        retainerCounts[to]--;
        continue;
      }
      if (type === internal && (weakMapValues[to >>> 5] & (1 << (to & 31))) !== 0) {
        const nameIndex = edgeNamesOrIndexes[e];
        const flag = nameFlags[nameIndex];
        if (flag !== NAME_OTHER && (flag === NAME_EPHEMERON || ephemerons.isEphemeronName(nameIndex)) && nodeIds[holder] === ephemerons.tableIdOf(nameIndex)) {
          retainerCounts[to]--;
          continue;
        }
      }
      essential[e >>> 3] |= 1 << (e & 7);
    }
    seen += end - firstEdgeIndexes[holder] + 1;
  }
  return start;
}

/**
 * DevTools' page objects (JSHeapSnapshot.markPageOwnedNodes): what the user
 * roots — the root's `shortcut` children (the global object) and a
 * `(Document DOM trees)` root — reach over non-weak edges, as nodeOrdinal → 1
 * in `page`. `stack` is scratch space of nodeCount entries.
 */
function* pageObjects(data: HeapSnapshotData, codes: TypeCodes, page: Uint8Array, stack: Uint32Array, report: MarkingProgress): Generator<void, void, void> {
  const { nodeCount, firstEdgeIndexes, edgeToNodes } = data;
  const marking: PageMarking = { data, weak: codes.edgeWeak, page, stack, top: 0, marked: 0 };
  for (let e = firstEdgeIndexes[0]; e < firstEdgeIndexes[1]; e++) {
    const to = edgeToNodes[e];
    if (!isPageStart(data, codes, e) || page[to] === 1) continue;
    page[to] = 1;
    stack[marking.top++] = to;
  }
  while (marking.top > 0) {
    markPage(marking, SLICE);
    report(Math.min(nodeCount, marking.marked));
    yield;
  }
}

/**
 * The page objects from the distances' first pass, which starts from the
 * root's non-synthetic children and follows every non-weak edge but those
 * it records as skipped: so what it reached, and what the skipped edges lead
 * to, is what the user roots reach. False when its start is not the page
 * objects' (a root child that is not a `shortcut`, a DOM trees root) or an
 * edge leads to the root; pageObjects then searches the graph.
 */
function pageObjectsFromDistances(data: HeapSnapshotData, codes: TypeCodes, { distances, skipped, rootRetained }: FirstPass, page: Uint8Array, stack: Uint32Array): boolean {
  const { nodeCount, firstEdgeIndexes, edgeToNodes, nodeTypes } = data;
  if (rootRetained) return false;
  let userRoots = 0;
  for (let e = firstEdgeIndexes[0]; e < firstEdgeIndexes[1]; e++) {
    // The first pass starts from the root's non-synthetic children.
    const userRoot = nodeTypes[edgeToNodes[e]] !== codes.nodeSynthetic;
    if (userRoot !== isPageStart(data, codes, e)) return false;
    if (userRoot) userRoots++;
  }
  // Without user roots the first pass reached nothing (and the second one's distances start low).
  if (userRoots === 0) return true;
  for (let n = 1; n < nodeCount; n++) if (distances[n] < SYSTEM_DISTANCE) page[n] = 1;
  const marking: PageMarking = { data, weak: codes.edgeWeak, page, stack, top: 0, marked: 0 };
  for (const to of skipped) {
    if (page[to] === 1) continue;
    page[to] = 1;
    stack[marking.top++] = to;
    while (marking.top > 0) markPage(marking, SLICE);
  }
  return true;
}

/** Does root edge `e` lead to where DevTools' page objects start: a `shortcut` (the global object) or a `(Document DOM trees)` root? */
function isPageStart(data: HeapSnapshotData, codes: TypeCodes, e: number): boolean {
  const type = data.edgeTypes[e];
  if (type === codes.edgeShortcut) return true;
  const to = data.edgeToNodes[e];
  return type === codes.edgeElement && data.nodeTypes[to] === codes.nodeSynthetic && data.strings.get(data.nodeNames[to]) === '(Document DOM trees)';
}

interface PageMarking {
  data: HeapSnapshotData;
  weak: number;
  page: Uint8Array;
  stack: Uint32Array;
  top: number;
  marked: number;
}

/** The page-object DFS for about `budget` nodes (a plain function: V8 optimises a generator's loop less well). */
function markPage(marking: PageMarking, budget: number): void {
  const { weak, page, stack } = marking;
  const { firstEdgeIndexes, edgeTypes, edgeToNodes } = marking.data;
  let { top, marked } = marking;
  for (let visited = 0; top > 0 && visited < budget; visited++) {
    const ordinal = stack[--top];
    for (let e = firstEdgeIndexes[ordinal], end = firstEdgeIndexes[ordinal + 1]; e < end; e++) {
      const to = edgeToNodes[e];
      if (page[to] === 1 || edgeTypes[e] === weak) continue;
      page[to] = 1;
      stack[top++] = to;
      marked++;
    }
  }
  marking.top = top;
  marking.marked = marked;
}
