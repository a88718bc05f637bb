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

/** Returns the chosen instance; `first` is true when the user chose "the first N". */
export async function pickInstance(list: InstanceList): Promise<{ node: WalkNode; first: boolean }> {
  if (list.nodes.length === 0) throw new UserFacingError(`The snapshot has no instances of ${list.name}.`);
  if (list.nodes.length === 1) return { node: list.nodes[0], first: false };
  type Item = vscode.QuickPickItem & { node: WalkNode; first: boolean };
  const firstItem: Item = {
    label: `$(list-ordered) The first of ${list.total.toLocaleString('en-US')}`,
    description: 'closest to a root',
    node: list.nodes[0],
    first: true,
  };
  const items: Item[] = list.nodes.map((node) => ({
    label: `@${node.id}`,
    description: `${formatBytes(node.selfSize)}${node.retainedSize !== null ? ` · ${formatBytes(node.retainedSize)} retained` : ''}${node.distance !== null ? ` · distance ${node.distance}` : ''}`,
    detail: node.preview ?? (node.label !== node.name ? node.label : undefined),
    node,
    first: false,
  }));
  const picked = await vscode.window.showQuickPick([firstItem, ...items], {
    title: `${list.name}: ${list.total.toLocaleString('en-US')} instances${list.total > list.nodes.length ? ` (showing ${list.nodes.length})` : ''}`,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) throw new UserCancelled();
  return { node: picked.node, first: picked.first };
}
