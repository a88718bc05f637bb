/*
 * How the parser words what went wrong. Every message says what was expected
 * and at which byte, so a user can tell a truncated download from a file that
 * was never a snapshot. The parser finds the problem; this file explains it.
 */
import type { Layout } from './parserLayout';
import { A_AFTER, A_FIRST, A_IN, A_OPEN, UINT32_LIMIT } from './parserNumbers';
import { SnapshotFormatError } from './snapshotFormatError';

/** `expected X in "section" at byte N, found Y`. */
export function unexpected(expected: string, section: string, offset: number, found: string): SnapshotFormatError {
  const where = section ? ` in "${section}"` : '';
  return new SnapshotFormatError(`expected ${expected}${where} at byte ${offset}, found ${found}`, offset, expected);
}

/** What may come next in an array of numbers or strings, in state `state` (A_*). */
export function expectedInArray(state: number, value: string): string {
  switch (state) {
    case A_OPEN: return "'['";
    case A_FIRST: return `${value} or ']'`;
    case A_IN: return value === 'a digit' ? "a digit, ',' or ']'" : "the closing '\"'";
    case A_AFTER: return "',' or ']'";
    default: return value;
  }
}

/** Why the node record at scratch[k] was refused: the number to point at and what it should have been. */
export function whyNodeRefused(layout: Layout, scratch: Float64Array, k: number, nodesParsed: number): [number, string] {
  const typeCount = layout.nodeTypeNames.length;
  if (nodesParsed + k / layout.nodeFieldCount >= layout.nodeCount) return [k, `no more than snapshot.node_count (${layout.nodeCount}) nodes`];
  if (scratch[k + layout.nodeTypeOffset] >= typeCount) return [k + layout.nodeTypeOffset, `a node type below ${typeCount} (meta.node_types)`];
  if (scratch[k + layout.nodeNameOffset] >= UINT32_LIMIT) return [k + layout.nodeNameOffset, 'a string index below 2^32 in name'];
  if (scratch[k + layout.nodeIdOffset] >= UINT32_LIMIT) return [k + layout.nodeIdOffset, 'an id below 2^32'];
  return [k + layout.nodeEdgeCountOffset, `edge counts adding up to at most snapshot.edge_count (${layout.edgeCount})`];
}

/** Why the edge record at scratch[k] was refused. */
export function whyEdgeRefused(layout: Layout, scratch: Float64Array, k: number, edgesParsed: number): [number, string] {
  const typeCount = layout.edgeTypeNames.length;
  if (edgesParsed + k / layout.edgeFieldCount >= layout.edgeCount) return [k, `no more than snapshot.edge_count (${layout.edgeCount}) edges`];
  if (scratch[k + layout.edgeTypeOffset] >= typeCount) return [k + layout.edgeTypeOffset, `an edge type below ${typeCount} (meta.edge_types)`];
  if (scratch[k + layout.edgeNameOffset] >= UINT32_LIMIT) return [k + layout.edgeNameOffset, 'a number below 2^32 in name_or_index'];
  return [k + layout.edgeToNodeOffset, `${nodeIndexExpected(layout)} in to_node`];
}

/** Why the location record at scratch[k] was refused (only its node can be wrong). */
export function whyLocationRefused(layout: Layout, k: number): [number, string] {
  return [k + layout.locationObjectOffset, `${nodeIndexExpected(layout)} in object_index`];
}

function nodeIndexExpected(layout: Layout): string {
  return `a node index (a multiple of ${layout.nodeFieldCount} below ${layout.nodeCount * layout.nodeFieldCount})`;
}

/** "nodes" or "edges" holds another number of records than the header says. */
export function countMismatch(section: 'nodes' | 'edges', expected: number, found: number, offset: number): SnapshotFormatError {
  const field = section === 'nodes' ? 'node_count' : 'edge_count';
  return new SnapshotFormatError(`"${section}" holds ${found} ${section} but snapshot.${field} says ${expected} (at byte ${offset})`, offset, `${expected} ${section}`);
}

export function edgeCountsMismatch(sum: number, edgeCount: number, offset: number): SnapshotFormatError {
  return new SnapshotFormatError(`the nodes' edge counts add up to ${sum} but snapshot.edge_count says ${edgeCount} (at byte ${offset})`, offset, `edge counts adding up to ${edgeCount}`);
}

export function missingSection(name: string, total: number): SnapshotFormatError {
  return new SnapshotFormatError(`the "${name}" section is missing (input ends at byte ${total})`, total, `"${name}"`);
}

/** A node or edge names a string past the end of "strings". */
export function stringIndexTooHigh(what: 'node' | 'edge', index: number, name: number, stringCount: number, offset: number): SnapshotFormatError {
  return new SnapshotFormatError(`${what} ${index} names string ${name} but "strings" holds ${stringCount}`, offset, `a string index below ${stringCount}`);
}

/** What the parser had read when its input ended, for estimateSnapshotBytes. */
export interface ReadSoFar {
  layout: Layout;
  endsAt: number;
  /** The array being read when the input ended ('' when none). */
  inArray: string;
  /** Where each section's value began, and where each array that was closed ended. */
  sectionStarts: ReadonlyMap<string, number>;
  sectionEnds: ReadonlyMap<string, number>;
  /** Records read per array ("strings": strings). */
  nodes: number;
  edges: number;
  locations: number;
  strings: number;
  /** 1 + the highest string index the names read so far use: at least the strings to come. */
  stringsNamed: number;
  /** Closures among the nodes read: V8 writes a location for most of them. */
  closures: number;
}

/**
 * Roughly how many bytes a whole snapshot with this header's counts takes:
 * what was read, plus for each array still to come its records times their
 * size, measured on the records read when there are enough of them, else
 * guessed from how many digits V8 writes for numbers of this size. The
 * string count is the least certain part: the header does not give it, so it
 * is read off the names seen (exact once all the edges were read).
 */
export function estimateSnapshotBytes(read: ReadSoFar): number {
  const { layout } = read;
  const nodeIndexDigits = digits((layout.nodeCount * layout.nodeFieldCount) / 2);
  const remaining = (section: string, done: number, count: number, guessPerRecord: number): number => {
    if (done >= count || read.sectionEnds.has(section)) return 0;
    const start = read.sectionStarts.get(section);
    const measured = read.inArray === section && start !== undefined && done >= 100 ? (read.endsAt - start) / done : guessPerRecord;
    return (count - done) * measured;
  };
  // Per record: 2 bytes per small field (digit and separator), ids and names about as wide as the node count.
  const nodes = remaining('nodes', read.nodes, layout.nodeCount, 2 * layout.nodeFieldCount + 2 * digits(layout.nodeCount));
  const edges = remaining('edges', read.edges, layout.edgeCount, 2 * layout.edgeFieldCount + 2 + nodeIndexDigits);
  const closures = read.nodes > 0 ? (read.closures * layout.nodeCount) / read.nodes : 0;
  const locations = remaining('locations', read.locations, Math.round(closures), 2 * layout.locationFieldCount + 2 + nodeIndexDigits);
  const strings = remaining('strings', read.strings, Math.max(read.strings, read.stringsNamed), 20);
  return read.endsAt + nodes + edges + locations + strings + 1;
}

export function countOf(values: Uint8Array, length: number, value: number): number {
  let count = 0;
  for (let i = 0; i < length; i++) if (values[i] === value) count++;
  return count;
}

function digits(value: number): number {
  return String(Math.max(1, Math.round(value))).length;
}
