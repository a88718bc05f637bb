/**
 * The edges that retain, for the dominator tree (dominators.ts): DevTools'
 * computeIsEssentialEdge. Not `weak`; not the table's half of a WeakMap
 * entry (the key's half stays: the key is what a reader can act on); and,
 * except from the root, not a `shortcut`, nor an edge from an object the
 * global object does not reach into one it does ("page objects": so
 * `(Internalized strings)` or the compilation cache do not steal what the
 * program's objects hold).
 *
 * DevTools drops self edges too. Here they are marked as retaining: an
 * edge from a node to itself changes no dominator, and the two steps of the
 * tree that would see one do not count it (a DFS starts from each node
 * nothing else retains, depthFirstOrder.ts; such a node's semidominator is
 * the root, dominators.ts). So the one pass over every edge reads only the
 * edges' types, a byte an edge in order, and not where they lead; the other
 * two rules concern few edges, found from the nodes at one end: the edges
 * of the few objects that are not page objects, and the retainers of WeakMap
 * values (in the retainer rows).
 */
import type { HeapSnapshotData } from './snapshotData';
import { NAME_EPHEMERON, NAME_OTHER, type EphemeronEdges, type TypeCodes } from './edgeTypes';
import { SYSTEM_DISTANCE } from './distances';
import { buildRetainerRows, holderAmong, type RetainerRows } from './retainerIndex';
import type { FirstPass } from './dominators';

/** What marking reads of a graph. */
export interface MarkingInputs {
  data: HeapSnapshotData;
  codes: TypeCodes;
  ephemerons: EphemeronEdges;
  /** What the distances' first pass found, when the page objects follow from it. */
  firstPass: FirstPass | null;
  /** The graph's retainer rows (built here when not given). */
  retainerRows?: RetainerRows;
  /** Memory for the counts of retaining edges (nodeCount + 1 entries, any content) that another use is done with. */
  countsMemory?: Uint32Array;
}

export interface EssentialEdges {
  /** One bit per edgeIndex: does it retain? */
  essential: Uint8Array;
  /** Retaining edges per nodeOrdinal (nodeCount + 1 entries, the last 0). */
  retainerCounts: Uint32Array;
}

/** Progress: the page objects found (up to nodeCount), then nodeCount + the share of the edges marked, in nodes. */
export type MarkingProgress = (done: number) => void;

/** Nodes between two yields. */
const SLICE = 1 << 16;
/** Edges marked by type between two yields. */
const EDGE_SLICE = 1 << 20;

/**
 * The page objects, then which edges retain and how many retain each node:
 * all its edges, less those that do not (fewer, so fewer scattered writes).
 * `stack` is scratch space of nodeCount entries; `allocate` gives the
 * results' memory. Yields between slices.
 */
export function* essentialEdgeSteps(inputs: MarkingInputs, stack: Uint32Array, allocate: (bytes: number) => ArrayBufferLike, report: MarkingProgress): Generator<void, EssentialEdges, void> {
  const { data, codes, ephemerons, firstPass, countsMemory } = inputs;
  const { nodeCount, edgeCount, firstEdgeIndexes } = data;
  const page = new Uint8Array(nodeCount);
  if (!(firstPass && pageObjectsFromDistances(data, codes, firstPass, page, stack))) yield* pageObjects(data, codes, page, stack, report);
  const rows = inputs.retainerRows ?? buildRetainerRows(data.edgeToNodes, nodeCount);
  const essential = new Uint8Array(allocate((edgeCount >>> 3) + 1));
  const counts = countsMemory ?? new Uint32Array(allocate((nodeCount + 1) * 4));
  countEdgesInto(rows.firstRetainerIndexes, nodeCount, counts);
  // The root's `shortcut` edges retain: only its weak ones do not.
  markByType(data, essential, counts, codes.edgeWeak, codes.edgeWeak, 0, firstEdgeIndexes[1]);
  for (let from = firstEdgeIndexes[1]; from < edgeCount; ) {
    const to = Math.min(edgeCount, from + EDGE_SLICE);
    markByType(data, essential, counts, codes.edgeWeak, codes.edgeShortcut, from, to);
    report(nodeCount + Math.floor((nodeCount * to) / edgeCount));
    from = to;
    yield;
  }
  unmarkFromOutsideThePage(data, page, essential, counts);
  unmarkTablesHalves(data, codes, ephemerons, rows, essential, counts);
  return { essential, retainerCounts: counts };
}

/** How many edges lead to each node, into `counts` (nodeCount + 1 entries, the last 0, whatever they held). */
function countEdgesInto(firstRetainerIndexes: Uint32Array, nodeCount: number, counts: Uint32Array): void {
  counts[nodeCount] = 0;
  for (let n = 0; n < nodeCount; n++) counts[n] = firstRetainerIndexes[n + 1] - firstRetainerIndexes[n];
}

/**
 * Edges [from, to): marked unless of type `weak` or `other`; each that is
 * not takes one off its target's count (reading where it leads only then).
 * Whole bytes of marks are made in a register and stored once.
 */
function markByType(data: HeapSnapshotData, essential: Uint8Array, counts: Uint32Array, weak: number, other: number, from: number, to: number): void {
  const { edgeTypes, edgeToNodes } = data;
  const firstWhole = Math.min(to, (from + 7) & ~7);
  const lastWhole = Math.max(firstWhole, to & ~7);
  for (let e = from; e < firstWhole; e++) markOneByType(data, essential, counts, weak, other, e);
  for (let byte = firstWhole >>> 3; byte < lastWhole >>> 3; byte++) {
    let marks = 0;
    for (let bit = 0, e = byte << 3; bit < 8; bit++, e++) {
      const type = edgeTypes[e];
      if (type === weak || type === other) counts[edgeToNodes[e]]--;
      else marks |= 1 << bit;
    }
    essential[byte] = marks;
  }
  for (let e = lastWhole; e < to; e++) markOneByType(data, essential, counts, weak, other, e);
}

function markOneByType(data: HeapSnapshotData, essential: Uint8Array, counts: Uint32Array, weak: number, other: number, e: number): void {
  const type = data.edgeTypes[e];
  if (type === weak || type === other) counts[data.edgeToNodes[e]]--;
  else essential[e >>> 3] |= 1 << (e & 7);
}

/** Unmarks the edges from objects that are not page objects (nor the root) into page objects. */
function unmarkFromOutsideThePage(data: HeapSnapshotData, page: Uint8Array, essential: Uint8Array, counts: Uint32Array): void {
  const { nodeCount, firstEdgeIndexes, edgeToNodes } = data;
  for (let holder = 1; holder < nodeCount; holder++) {
    if (page[holder] === 1) continue;
    for (let e = firstEdgeIndexes[holder], end = firstEdgeIndexes[holder + 1]; e < end; e++) {
      const to = edgeToNodes[e];
      if (page[to] === 1) unmark(essential, counts, e, to);
    }
  }
}

/**
 * Unmarks the table's half of every WeakMap entry: among the retainers of
 * each entry's value, the `internal` edge named as the entry whose holder is
 * the table the name gives. A heap has few tables and many entries: once a
 * table is found (by bisecting the nodes' first edges for an edge's holder,
 * a cache miss a step), whether an edge is its own is a range check.
 */
function unmarkTablesHalves(data: HeapSnapshotData, codes: TypeCodes, ephemerons: EphemeronEdges, rows: RetainerRows, essential: Uint8Array, counts: Uint32Array): void {
  const { edgeTypes, edgeNamesOrIndexes, nodeIds, firstEdgeIndexes } = data;
  const { firstRetainerIndexes, retainingEdges } = rows;
  const { nameFlags, values } = ephemerons;
  const tables = new Map<number, number>();
  for (let word = 0; word < values.length; word++) {
    for (let bits = values[word]; bits !== 0; bits &= bits - 1) {
      const value = word * 32 + (31 - Math.clz32(bits & -bits));
      for (let r = firstRetainerIndexes[value], end = firstRetainerIndexes[value + 1]; r < end; r++) {
        const e = retainingEdges[r];
        if (edgeTypes[e] !== codes.edgeInternal) continue;
        const nameIndex = edgeNamesOrIndexes[e];
        const flag = nameFlags[nameIndex];
        if (flag === NAME_OTHER || !(flag === NAME_EPHEMERON || ephemerons.isEphemeronName(nameIndex))) continue;
        const tableId = ephemerons.tableIdOf(nameIndex);
        let table = tables.get(tableId);
        if (table === undefined) {
          const holder = holderAmong(firstEdgeIndexes, e, 0, data.nodeCount - 1);
          if (nodeIds[holder] !== tableId) continue;
          tables.set(tableId, (table = holder));
        }
        if (e >= firstEdgeIndexes[table] && e < firstEdgeIndexes[table + 1]) unmark(essential, counts, e, value);
      }
    }
  }
}

/** Unmarks edge `e` (to `to`) unless another rule did. */
function unmark(essential: Uint8Array, counts: Uint32Array, e: number, to: number): void {
  const bit = 1 << (e & 7);
  if ((essential[e >>> 3] & bit) === 0) return;
  essential[e >>> 3] &= ~bit;
  counts[to]--;
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
