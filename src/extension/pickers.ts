/** Quick picks on a loaded snapshot: its classes, then the instances of one class. */
import * as vscode from 'vscode';
import type { InstanceList } from '../protocol/engineApi';
import type { ClassSummary, WalkNode } from '../protocol/walk';
import { UserCancelled, UserFacingError } from './errors';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export async function pickClass(classes: readonly ClassSummary[], title: string): Promise<ClassSummary> {
  const items = classes.map((summary) => ({
    label: summary.name || '(anonymous)',
    description: `×${summary.count.toLocaleString('en-US')}`,
    detail: `${formatBytes(summary.selfSize)} self size${summary.retainedSize !== undefined ? ` · ${formatBytes(summary.retainedSize)} retained` : ''}`,
    summary,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Type a constructor name (instances are grouped as in DevTools\' Summary view)',
    matchOnDescription: false,
    ignoreFocusOut: true,
  });
  if (!picked) throw new UserCancelled();
  return picked.summary;
}

/** One instance (`first`: the user chose "the first of N"), or all of them (their merged paths). */
export type InstanceChoice = { kind: 'one'; node: WalkNode; first: boolean } | { kind: 'all' };

/**
 * The instances of a class: "All N instances — merged paths" first (Eclipse
 * MAT's answer to "why are all of these alive?"), then "the first of N" and
 * one row per instance.
 */
export async function pickInstance(list: InstanceList): Promise<InstanceChoice> {
  if (list.nodes.length === 0) throw new UserFacingError(`The snapshot has no instances of ${list.name}.`);
  if (list.nodes.length === 1) return { kind: 'one', node: list.nodes[0], first: false };
  type Item = vscode.QuickPickItem & { choice: InstanceChoice };
  const total = list.total.toLocaleString('en-US');
  const allItem: Item = {
    label: `$(type-hierarchy) All ${total} instances — merged paths`,
    description: 'which paths keep them alive, and how many go through each',
    choice: { kind: 'all' },
  };
  const firstItem: Item = {
    label: `$(list-ordered) The first of ${total}`,
    description: 'closest to a root',
    choice: { kind: 'one', node: list.nodes[0], first: true },
  };
  const items: Item[] = list.nodes.map((node) => ({
    label: `@${node.id}`,
    description: `${formatBytes(node.selfSize)}${node.retainedSize !== null ? ` · ${formatBytes(node.retainedSize)} retained` : ''}${node.distance !== null ? ` · distance ${node.distance}` : ''}`,
    detail: node.preview ?? (node.label !== node.name ? node.label : undefined),
    choice: { kind: 'one', node, first: false },
  }));
  const picked = await vscode.window.showQuickPick([allItem, firstItem, ...items], {
    title: `${list.name}: ${total} instances${list.total > list.nodes.length ? ` (showing ${list.nodes.length})` : ''}`,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) throw new UserCancelled();
  return picked.choice;
}
