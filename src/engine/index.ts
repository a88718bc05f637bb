/** The engine's public surface: parse a snapshot, index it, walk retainers. */
export { SnapshotParser, type SnapshotParserOptions } from './parser';
export { IncompleteSnapshotError, SnapshotFormatError } from './snapshotFormatError';
export { HeapGraph, type BuildProgress } from './heapGraph';
export { UnknownObjectError } from './unknownObjectError';
export { computeDominators, NO_DOMINATOR, type DominatorTree } from './dominators';
export { SYSTEM_DISTANCE, UNREACHABLE } from './distances';
export type { HeapSnapshotData, ParseProgress, SnapshotLocations, StringTable } from './snapshotData';
export { GrowthRecording } from './growth/recording';
export { SnapshotOrderError } from './growth/report';
export { mergedPathsOfClass, mergeShortestPaths } from './mergedPaths';
export { maxObjectId } from './growth/objectIds';
