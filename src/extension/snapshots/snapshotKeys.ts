/**
 * Which target a kept snapshot came from. The key also enforces one capture
 * or load per target at a time, and names the panel that shows its walks.
 * Built only here.
 */
import type * as vscode from 'vscode';

export type SnapshotKey = `inspector:${string}` | `debug:${string}` | `file:${string}` | `growth:${string}`;

/** A process behind a plain inspector, by the WebSocket URL of its target. */
export function inspectorKey(webSocketUrl: string): SnapshotKey {
  return `inspector:${webSocketUrl}`;
}

/** The process behind a VS Code debug session (its concrete child session). */
export function debugSessionKey(sessionId: string): SnapshotKey {
  return `debug:${sessionId}`;
}

/** A `.heapsnapshot` file. */
export function fileKey(uri: vscode.Uri): SnapshotKey {
  return `file:${uri.toString()}`;
}

/** The latest snapshot of a growth recording or of a comparison of files (each its own; `id` unique per window). */
export function growthKey(id: string): SnapshotKey {
  return `growth:${id}`;
}
