/** The inspector layer's public surface, shared by the CLI and the VS Code extension. */
export { InspectorSession } from './session';
export type { InspectorEndpoint, RemoteObjectHandle, CaptureOptions, SnapshotProgress, PausedCallFrame } from './session';
export { listTargets, parseHostPort, formatHostPort, isLoopback } from './targets';
export type { InspectorTarget, HostPort } from './targets';
export { isCaptureInProgress } from './captureLock';
export type { ClassRef } from './liveHeap';
export {
  InspectorError,
  ConnectionError,
  TargetExitedError,
  CancelledError,
  ExpressionError,
  PrimitiveValueError,
  SnapshotInProgressError,
  ObjectIdsLostError,
  ObjectNotAvailableError,
} from './errors';
