/** Reading and writing the settings typed in contributions.ts. */
import * as vscode from 'vscode';
import type { WalkOptions } from '../protocol/walk';
import { CONFIG_DEFAULTS, CONFIG_SECTION, type Config } from './contributions';

export function readConfig<K extends keyof Config>(key: K): Config[K] {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<Config[K]>(key) ?? CONFIG_DEFAULTS[key];
}

export function writeConfig<K extends keyof Config>(key: K, value: Config[K]): Thenable<void> {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/** A command's first walk: the user's depth and fan-out (the graph's toolbar changes them for that graph only). */
export function walkOptionsFromConfig(): WalkOptions {
  return { depth: readConfig('depth'), fanOut: readConfig('fanOut'), includeWeak: false };
}
