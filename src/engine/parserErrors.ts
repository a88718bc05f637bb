/*
 * How the parser words what went wrong. Every message says what was expected
 * and at which byte, so a user can tell a truncated download from a file that
 * was never a snapshot. The parser finds the problem; this file explains it.
 */
import type { Layout } from './parserLayout';
import { A_AFTER, A_FIRST, A_IN, A_OPEN } from './parserNumbers';
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
  return [k + layout.nodeEdgeCountOffset, `edge counts adding up to at most snapshot.edge_count (${layout.edgeCount})`];
}

/** Why the edge record at scratch[k] was refused. */
export function whyEdgeRefused(layout: Layout, scratch: Float64Array, k: number, edgesParsed: number): [number, string] {
  const typeCount = layout.edgeTypeNames.length;
  if (edgesParsed + k / layout.edgeFieldCount >= layout.edgeCount) return [k, `no more than snapshot.edge_count (${layout.edgeCount}) edges`];
  if (scratch[k + layout.edgeTypeOffset] >= typeCount) return [k + layout.edgeTypeOffset, `an edge type below ${typeCount} (meta.edge_types)`];
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
