/** The engine's public surface: parse a snapshot, index it, walk retainers. */
export { HeapGraph, type BuildProgress } from './heapGraph';
export { UnknownObjectError } from './unknownObjectError';
export type { HeapSnapshotData, ParseProgress, SnapshotLocations, StringTable } from './snapshotData';
