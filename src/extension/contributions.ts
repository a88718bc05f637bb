/**
 * What package.json `contributes`, typed in one place (js-debug's
 * contributionUtils.ts): command ids with their arguments and results, and
 * settings with their defaults. No vscode at run time, so plain-Node tests can
 * check it against the manifest (test/vscode/manifest.test.ts).
 */
import type * as vscode from 'vscode';
import { DEFAULT_WALK_OPTIONS, type Walk } from '../protocol/walk';

export enum Commands {
  Attach = 'retainerGraph.attach',
  ShowRetainers = 'retainerGraph.showRetainers',
  ShowRetainersOfExpression = 'retainerGraph.showRetainersOfExpression',
  ShowRetainersOfClass = 'retainerGraph.showRetainersOfClass',
  OpenSnapshot = 'retainerGraph.openSnapshot',
  ReleaseSnapshots = 'retainerGraph.releaseSnapshots',
}

// Keyed by the enum, so a command added to it but not here does not compile.
const commandSet: { [K in Commands]: null } = {
  [Commands.Attach]: null,
  [Commands.ShowRetainers]: null,
  [Commands.ShowRetainersOfExpression]: null,
  [Commands.ShowRetainersOfClass]: null,
  [Commands.OpenSnapshot]: null,
  [Commands.ReleaseSnapshots]: null,
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
  /** `fresh`: take a new snapshot even when one of the target is kept. */
  [Commands.ShowRetainersOfClass]: [args?: { className?: string; nth?: number; target?: TargetSpec; file?: string; fresh?: boolean }];
  [Commands.OpenSnapshot]: [uri?: vscode.Uri];
  [Commands.ReleaseSnapshots]: [];
}

/** What a command showed: returned to callers (tests, scripts). */
export interface ShowResult {
  walk: Walk;
  title: string;
  snapshotKey: string;
}

/** What each command resolves with; undefined when it failed or was cancelled (the user was told). */
export interface CommandResults {
  [Commands.Attach]: ShowResult;
  [Commands.ShowRetainers]: ShowResult;
  [Commands.ShowRetainersOfExpression]: ShowResult;
  [Commands.ShowRetainersOfClass]: ShowResult;
  [Commands.OpenSnapshot]: ShowResult;
  [Commands.ReleaseSnapshots]: void;
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
}

export const CONFIG_DEFAULTS: Config = {
  depth: DEFAULT_WALK_OPTIONS.depth,
  fanOut: DEFAULT_WALK_OPTIONS.fanOut,
  inspectorPorts: ['127.0.0.1:9229', '127.0.0.1:9230', '127.0.0.1:9231', '127.0.0.1:9232'],
  hideDebuggerRetainers: true,
};
