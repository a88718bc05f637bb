/**
 * What package.json `contributes`, typed in one place (js-debug's
 * contributionUtils.ts): command ids with their arguments and results, and
 * settings with their defaults. No vscode at run time, so plain-Node tests can
 * check it against the manifest (test/vscode/manifest.test.ts).
 */
import type * as vscode from 'vscode';
import type { GrowthReport } from '../protocol/growth';
import type { MemorySeries } from '../protocol/memoryChart';
import type { WatchRow } from './live/watchesTree';
import type { WatchStatus } from './live/watches';
import { DEFAULT_WALK_OPTIONS, type Walk } from '../protocol/walk';

export enum Commands {
  Attach = 'retainerGraph.attach',
  ShowRetainers = 'retainerGraph.showRetainers',
  ShowRetainersOfExpression = 'retainerGraph.showRetainersOfExpression',
  ShowRetainersOfClass = 'retainerGraph.showRetainersOfClass',
  OpenSnapshot = 'retainerGraph.openSnapshot',
  ReleaseSnapshots = 'retainerGraph.releaseSnapshots',
  RecordGrowth = 'retainerGraph.recordGrowth',
  TakeNextSnapshot = 'retainerGraph.takeNextSnapshot',
  StopRecording = 'retainerGraph.stopRecording',
  SaveRecording = 'retainerGraph.saveRecording',
  CompareSnapshots = 'retainerGraph.compareSnapshots',
  CompareWith = 'retainerGraph.compareWith',
  ShowMemoryChart = 'retainerGraph.showMemoryChart',
  StopMemoryChart = 'retainerGraph.stopMemoryChart',
  CheckWatch = 'retainerGraph.checkWatch',
  RemoveWatch = 'retainerGraph.removeWatch',
  ShowWatchRetainers = 'retainerGraph.showWatchRetainers',
}

// Keyed by the enum, so a command added to it but not here does not compile.
const commandSet: { [K in Commands]: null } = {
  [Commands.Attach]: null,
  [Commands.ShowRetainers]: null,
  [Commands.ShowRetainersOfExpression]: null,
  [Commands.ShowRetainersOfClass]: null,
  [Commands.OpenSnapshot]: null,
  [Commands.ReleaseSnapshots]: null,
  [Commands.RecordGrowth]: null,
  [Commands.TakeNextSnapshot]: null,
  [Commands.StopRecording]: null,
  [Commands.SaveRecording]: null,
  [Commands.CompareSnapshots]: null,
  [Commands.CompareWith]: null,
  [Commands.ShowMemoryChart]: null,
  [Commands.StopMemoryChart]: null,
  [Commands.CheckWatch]: null,
  [Commands.RemoveWatch]: null,
  [Commands.ShowWatchRetainers]: null,
};

export const ALL_COMMANDS: readonly Commands[] = Object.keys(commandSet) as Commands[];

/** What the Variables / Watch context menu hands to a command (VS Code's own shape). */
export interface DebugVariableArg {
  sessionId: string;
  container?: { name?: string; variablesReference?: number; expensive?: boolean; expression?: string };
  variable: { name: string; value?: string; type?: string; variablesReference?: number; evaluateName?: string };
}

/** Where a live target is: a plain inspector or a js-debug session. */
export type TargetSpec =
  | { kind: 'inspector'; host: string; port: number; webSocketUrl?: string }
  | { kind: 'debugSession'; sessionId: string };

/** Optional arguments so scripts and tests can run commands without quick picks. */
export interface CommandArgs {
  [Commands.Attach]: [args?: { address?: string; webSocketUrl?: string; expression?: string; confirmRemote?: boolean }];
  [Commands.ShowRetainers]: [arg?: DebugVariableArg];
  [Commands.ShowRetainersOfExpression]: [args?: { expression?: string; target?: TargetSpec; frameIndex?: number }];
  /**
   * `fresh`: take a new snapshot even when one of the target is kept.
   * `allInstances`: the merged paths of every instance in the Growth view (the
   * instance list's first entry), instead of one instance's graph.
   */
  [Commands.ShowRetainersOfClass]: [args?: { className?: string; nth?: number; allInstances?: boolean; target?: TargetSpec; file?: string; fresh?: boolean }];
  [Commands.OpenSnapshot]: [uri?: vscode.Uri];
  [Commands.ReleaseSnapshots]: [];
  /**
   * The Call Stack view passes the id of the session right-clicked.
   * `allocationStacks`: record where objects are allocated (asked when not given).
   */
  [Commands.RecordGrowth]: [arg?: { target?: TargetSpec; allocationStacks?: boolean } | string];
  [Commands.TakeNextSnapshot]: [];
  [Commands.StopRecording]: [];
  /** `folder`: where to save, without asking. */
  [Commands.SaveRecording]: [args?: { folder?: string }];
  /** The Explorer passes the file right-clicked and every file selected. */
  [Commands.CompareSnapshots]: [uri?: vscode.Uri, selected?: vscode.Uri[]];
  /** The `.heapsnapshot` editor passes its file; `others` are asked for when not given. */
  [Commands.CompareWith]: [uri?: vscode.Uri, others?: vscode.Uri[]];
  [Commands.ShowMemoryChart]: [args?: { target?: TargetSpec }];
  [Commands.StopMemoryChart]: [];
  /** The Watches view passes its row; without one, the only watch (or the last added). */
  [Commands.CheckWatch]: [row?: WatchRow];
  [Commands.RemoveWatch]: [row?: WatchRow];
  /** An object still alive: its retainers in a fresh snapshot. */
  [Commands.ShowWatchRetainers]: [row?: WatchRow];
}

/** What a command showed: returned to callers (tests, scripts). */
export interface ShowResult {
  walk: Walk;
  title: string;
  snapshotKey: string;
}

/** What the class flow showed when all instances were chosen: their merged paths in the Growth view. */
export interface MergedPathsShown {
  mergedPaths: { className: string };
  /** The Growth view's title. */
  title: string;
  snapshotKey: string;
}

/** One instance's retainer graph, or the merged paths of all of them. */
export type ClassFlowResult = ShowResult | MergedPathsShown;

/** A growth recording or a comparison of files, as its Growth view shows it. */
export interface GrowthShown {
  /** The kept snapshot of the recording or comparison (`growth:…`). */
  snapshotKey: string;
  /** Snapshots taken or compared so far. */
  snapshots: number;
  /** Null while there is only one snapshot. */
  report: GrowthReport | null;
  /** The compared files, oldest first (by highest object id). */
  files?: string[];
}

/** What each command resolves with; undefined when it failed or was cancelled (the user was told). */
export interface CommandResults {
  [Commands.Attach]: ClassFlowResult;
  [Commands.ShowRetainers]: ShowResult;
  [Commands.ShowRetainersOfExpression]: ShowResult;
  [Commands.ShowRetainersOfClass]: ClassFlowResult;
  [Commands.OpenSnapshot]: ClassFlowResult;
  [Commands.ReleaseSnapshots]: void;
  [Commands.RecordGrowth]: GrowthShown;
  [Commands.TakeNextSnapshot]: GrowthShown;
  [Commands.StopRecording]: void;
  [Commands.SaveRecording]: { folder: string; files: string[] };
  [Commands.CompareSnapshots]: GrowthShown;
  [Commands.CompareWith]: GrowthShown;
  [Commands.ShowMemoryChart]: MemorySeries;
  [Commands.StopMemoryChart]: void;
  [Commands.CheckWatch]: WatchStatus;
  [Commands.RemoveWatch]: void;
  [Commands.ShowWatchRetainers]: ShowResult;
}

export const CONFIG_SECTION = 'retainerGraph';

export interface Config {
  /** Levels of retainers above the target (objgraph's max_depth). */
  depth: number;
  /** Retainers shown per node (objgraph's too_many). */
  fanOut: number;
  /** host:port pairs where Attach looks for inspector targets. */
  inspectorPorts: string[];
  /** Hide retainers that exist only because a debugger is attached. */
  hideDebuggerRetainers: boolean;
  /** Watches check themselves this often (0: only when the debugger pauses, or on "Check Now"). */
  watchCheckEverySeconds: number;
}

export const CONFIG_DEFAULTS: Config = {
  depth: DEFAULT_WALK_OPTIONS.depth,
  fanOut: DEFAULT_WALK_OPTIONS.fanOut,
  inspectorPorts: ['127.0.0.1:9229', '127.0.0.1:9230', '127.0.0.1:9231', '127.0.0.1:9232'],
  hideDebuggerRetainers: true,
  watchCheckEverySeconds: 15,
};
