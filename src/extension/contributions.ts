/**
 * Commands and settings, typed in one place (js-debug's contributionUtils.ts).
 * package.json `contributes` must list the same ids; the suite checks it.
 */
import * as vscode from 'vscode';

export enum Commands {
  Attach = 'retainerGraph.attach',
  ShowRetainers = 'retainerGraph.showRetainers',
  ShowRetainersOfExpression = 'retainerGraph.showRetainersOfExpression',
  ShowRetainersOfClass = 'retainerGraph.showRetainersOfClass',
  OpenSnapshot = 'retainerGraph.openSnapshot',
  ReleaseSnapshots = 'retainerGraph.releaseSnapshots',
}

export const ALL_COMMANDS: readonly Commands[] = [
  Commands.Attach,
  Commands.ShowRetainers,
  Commands.ShowRetainersOfExpression,
  Commands.ShowRetainersOfClass,
  Commands.OpenSnapshot,
  Commands.ReleaseSnapshots,
];

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

export function registerCommand<C extends Commands>(
  command: C,
  handler: (...args: CommandArgs[C]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(command, handler as (...args: unknown[]) => unknown);
}

export function executeCommand<C extends Commands>(command: C, ...args: CommandArgs[C]): Thenable<unknown> {
  return vscode.commands.executeCommand(command, ...args);
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
  depth: 8,
  fanOut: 10,
  inspectorPorts: ['127.0.0.1:9229', '127.0.0.1:9230', '127.0.0.1:9231', '127.0.0.1:9232'],
  hideDebuggerRetainers: true,
};

export function readConfig<K extends keyof Config>(key: K): Config[K] {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<Config[K]>(key) ?? CONFIG_DEFAULTS[key];
}

export function writeConfig<K extends keyof Config>(key: K, value: Config[K]): Thenable<void> {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
