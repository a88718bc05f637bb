/**
 * Activation: the services, built once and passed by hand, then one push of
 * registrations: each feature registers its own commands (the compiler checks
 * none is missing), the custom editor registers itself. The returned object
 * is a small test API (what the extension-host suite inspects), not a public
 * extension API.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { GrowthViewApi, GrowthViewEvent } from '../protocol/growthView';
import type { MemorySeries } from '../protocol/memoryChart';
import type { Walk } from '../protocol/walk';
import type { WebviewApi } from '../protocol/webview';
import { attachCommand } from './commands/attach';
import { classesCommand } from './commands/classes';
import { expressionCommands } from './commands/expression';
import { registerCommands, type CommandHandlers } from './commands/registry';
import { growthCommands } from './growth/commands';
import { liveCommands } from './live/commands';
import { LiveMonitors } from './live/liveMonitors';
import { MemoryView } from './live/memoryView';
import { Watches, type WatchStatus } from './live/watches';
import { WatchesTree } from './live/watchesTree';
import type { ObjectWatcher } from './views/graphViewApi';
import type { KeptSnapshot } from './snapshots/snapshotStore';
import type { GrowthViewState } from './growth/growthPanel';
import { GrowthViews } from './growth/growthViews';
import { GrowthRecorder } from './growth/recorder';
import { removeStaleRecordings } from './growth/recordingFiles';
import { snapshotFileCommands } from './commands/snapshotFiles';
import { ExpressionHistory } from './expressionPrompt';
import { shownPicker, type ShownPicker } from './pickers';
import { ActivityLog, MessageLog } from './messages';
import type { Services } from './services';
import { ShowFlow } from './showFlow';
import type { SnapshotKey } from './snapshots/snapshotKeys';
import { SnapshotStore } from './snapshots/snapshotStore';
import { DebugSessionTracker } from './targets/debugSessionTracker';
import { TargetService } from './targets/targetService';
import { walkExporters } from './views/exporters';
import { HeapSnapshotEditorProvider } from './views/heapSnapshotEditor';
import { PanelManager } from './views/panelManager';

export type { ShowResult } from './contributions';

export interface RetainerGraphTestApi {
  /** The walk most recently drawn in a panel or editor. */
  lastWalk(): { walk: Walk; title: string } | undefined;
  /** The class or instance picker open now. */
  shownPicker(): ShownPicker | undefined;
  /** Messages shown to the user, oldest first. */
  messages(): readonly { severity: 'error' | 'info' | 'warning'; text: string }[];
  /** Targets whose last snapshot is kept for re-walks. */
  keptSnapshots(): string[];
  /** Resolves once the kept snapshot's retained sizes are computed (pickers then list them from the start). */
  retainedSizes(key: string): Promise<void>;
  /** Is a snapshot of `key` (or of any target) being taken right now? */
  isCapturing(key?: string): boolean;
  /** Cancels captures in progress, as the progress notification's Cancel button does. */
  cancelCaptures(): void;
  /** The "Retainer Graph" output channel's recent lines (steps and timings). */
  logLines(): readonly string[];
  /** Calls the host side of the graph view that drew last, as its webview does (reveal source, re-walks, `showing`). */
  viewCall<M extends keyof WebviewApi>(method: M, ...args: Parameters<WebviewApi[M]>): ReturnType<WebviewApi[M]>;
  /**
   * The Growth view opened or brought forward last: what it shows, the
   * events posted to its page, and its calls, made as the page makes them.
   */
  growthView(): { viewType: string; title: string; state: GrowthViewState; posted: readonly GrowthViewEvent[]; api: GrowthViewApi; close(): void } | undefined;
  /** When named moments last happened, epoch ms (`last chunk` of a capture, `growth report` posted). */
  logMarks(): Record<string, number>;
  /** The status bar items of the running growth recording. */
  recordingStatus(): { text: string; stop: string } | undefined;
  /** The series the Memory view shows (null before "Show Memory Chart"). */
  memoryChart(): MemorySeries | null;
  /** Every watch, as the Watches view shows it. */
  watches(): WatchStatus[];
  /** Is the running recording tracking allocation stacks in V8? */
  recordingTracksAllocations(): boolean;
}

export function activate(context: vscode.ExtensionContext): RetainerGraphTestApi {
  const log = new ActivityLog();
  const store = new SnapshotStore(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  const messages = new MessageLog();
  const debugSessions = new DebugSessionTracker();
  const targets = new TargetService(store, debugSessions);
  const watches = new Watches(targets, messages, debugSessions);
  const monitors = new LiveMonitors(targets, debugSessions);
  // Objects of a snapshot can be watched while its process's ids live: its own target, or a running recording's.
  const liveTargetOf = (snapshot: KeptSnapshot) => recorder.runningRecording(snapshot.key)?.target ?? targets.liveTarget(snapshot.key);
  const watcher: ObjectWatcher = {
    canWatch: (snapshot) => liveTargetOf(snapshot) !== undefined,
    watch: async (snapshot, ids, label) => {
      const target = liveTargetOf(snapshot);
      if (!target) throw new Error('this snapshot is not of a live process');
      const { alive, collected } = await watches.add(target, ids, label);
      return { alive, collected };
    },
  };
  const panels = new PanelManager(context.extensionUri, walkExporters, watcher);
  // The Growth view opens single-object graphs through the show flow, which opens merged paths in the Growth view.
  const growthViews: GrowthViews = new GrowthViews(context.extensionUri, (snapshot, id) => show.object(snapshot, id));
  const show: ShowFlow = new ShowFlow(store, panels, messages, growthViews);
  const services: Services = { store, targets, show, panels, messages, expressions: new ExpressionHistory(context.globalState) };
  const recordingsFolder = join(context.globalStorageUri.fsPath, 'recordings');
  void removeStaleRecordings(recordingsFolder);
  const recorder: GrowthRecorder = new GrowthRecorder(
    { store, targets, messages, filesRoot: recordingsFolder, monitors, watch: async (target, ids, label) => {
        const { alive, collected } = await watches.add(target, ids, label);
        return { alive, collected };
      } },
    growthViews,
    debugSessions,
  );
  const memoryView = new MemoryView(context.extensionUri, monitors);

  const commands: CommandHandlers = {
    ...attachCommand(services),
    ...expressionCommands(services),
    ...classesCommand(services),
    ...snapshotFileCommands(services),
    ...growthCommands(services, recorder, growthViews),
    ...liveCommands(services, memoryView, watches),
  };
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'retainerGraph.hasSnapshots', store.keys().length > 0);

  context.subscriptions.push(
    log,
    store,
    panels,
    debugSessions,
    targets,
    growthViews,
    recorder,
    memoryView,
    monitors,
    watches,
    new WatchesTree(watches),
    ...registerCommands(commands, messages),
    HeapSnapshotEditorProvider.register(services),
    store.onDidChange(updateContext),
    debugSessions.onDidChangePaused(({ sessionId, paused }) => log.info(`debug session ${sessionId} ${paused ? 'paused' : 'resumed'}`)),
  );

  return {
    lastWalk: () => panels.lastWalk,
    messages: () => messages.shown,
    keptSnapshots: () => store.keys(),
    shownPicker,
    retainedSizes: async (key) => {
      await store.get(key as SnapshotKey)?.engine.computeRetainedSizes();
    },
    isCapturing: (key) => (key === undefined ? store.anyCapturing() : store.isCapturing(key as SnapshotKey)),
    cancelCaptures: () => store.cancelCaptures(),
    logLines: () => log.lines,
    viewCall: (method, ...args) => {
      const api = panels.lastView?.api;
      if (!api) throw new Error('no graph view has drawn a walk yet');
      return (api[method] as (...a: typeof args) => ReturnType<WebviewApi[typeof method]>)(...args);
    },
    growthView: () => {
      const view = growthViews.last;
      return view && { viewType: view.panel.viewType, title: view.panel.title, state: view.state(), posted: view.posted, api: view.api, close: () => view.panel.dispose() };
    },
    logMarks: () => Object.fromEntries(log.marks),
    recordingStatus: () => recorder.status,
    memoryChart: () => memoryView.series,
    watches: () => watches.all.map((watch) => watch.status()),
    recordingTracksAllocations: () => recorder.tracksAllocations,
  };
}

export function deactivate(): void {}
