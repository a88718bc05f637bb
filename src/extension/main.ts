/**
 * Activation: one push of registrations. The returned object is a small test
 * API (what the extension-host suite inspects), not a public extension API.
 */
import * as vscode from 'vscode';
import type { Walk } from '../protocol/walk';
import { RetainerGraphCommands, type ShowResult } from './commands';
import { HeapSnapshotEditorProvider } from './heapSnapshotEditor';
import { ActivityLog, MessageLog } from './messages';
import { PanelManager, type WalkExporters } from './panel';
import { SnapshotStore } from './snapshots';
import { walkExporters } from './exporters';

export interface RetainerGraphTestApi {
  /** The walk most recently drawn in a panel or editor. */
  lastWalk(): { walk: Walk; title: string } | undefined;
  /** Messages shown to the user, oldest first. */
  messages(): readonly { severity: 'error' | 'info' | 'warning'; text: string }[];
  /** Targets whose last snapshot is kept for re-walks. */
  keptSnapshots(): string[];
  /** Is a snapshot of `key` (or of any target) being taken right now? */
  isCapturing(key?: string): boolean;
  /** Cancels captures in progress, as the progress notification's Cancel button does. */
  cancelCaptures(): void;
  /** The "Retainer Graph" output channel's recent lines (steps and timings). */
  logLines(): readonly string[];
}

export type { ShowResult };

export function activate(context: vscode.ExtensionContext): RetainerGraphTestApi {
  const log = new ActivityLog();
  const store = new SnapshotStore(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  const exporters: WalkExporters = walkExporters;
  const panels = new PanelManager(context.extensionUri, exporters);
  const messages = new MessageLog();
  const commands = new RetainerGraphCommands(store, panels, messages);
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'retainerGraph.hasSnapshots', store.keys().length > 0);

  context.subscriptions.push(
    log,
    store,
    panels,
    ...commands.register(),
    HeapSnapshotEditorProvider.register(new HeapSnapshotEditorProvider(store, panels, commands, messages)),
    store.onDidChange(updateContext),
  );

  return {
    lastWalk: () => panels.lastWalk,
    messages: () => messages.shown,
    keptSnapshots: () => store.keys(),
    isCapturing: (key) => (key === undefined ? store.anyCapturing() : store.isCapturing(key)),
    cancelCaptures: () => store.cancelCaptures(),
    logLines: () => log.lines,
  };
}

export function deactivate(): void {}
