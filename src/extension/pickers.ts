/**
 * Quick picks on a loaded snapshot: its classes, then the instances of one
 * class. Each row says what tells it apart (for an instance: the named chain
 * that holds it, its retained size, a string field), and retained sizes fill
 * in as soon as the engine has them, while the list is open.
 */
import * as vscode from 'vscode';
import type { InstanceList, InstanceNode } from '../protocol/engineApi';
import type { ClassSummary } from '../protocol/walk';
import { UserCancelled, UserFacingError } from './errors';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

type Row<T> = vscode.QuickPickItem & { value: T; key: string };

/** What a picker shows: its title, its rows' labels, the row the keyboard is on. */
export interface ShownPicker {
  title: string;
  rows: string[];
  active: string | undefined;
}

let open: vscode.QuickPick<vscode.QuickPickItem> | undefined;

/** The class or instance picker open now, as the user sees it. */
export function shownPicker(): ShownPicker | undefined {
  if (!open) return undefined;
  return { title: open.title ?? '', rows: open.items.map((row) => row.label), active: open.activeItems[0]?.label };
}

/**
 * A quick pick whose rows can be replaced once better ones are known (retained
 * sizes), keeping the row the user is on. Resolves with the picked value.
 */
async function pickUpdating<T>(rows: Row<T>[], later: Promise<Row<T>[]> | undefined, options: { title: string; placeholder?: string; matchOnDescription?: boolean; matchOnDetail?: boolean }): Promise<T> {
  const pick = vscode.window.createQuickPick<Row<T>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.ignoreFocusOut = true;
  pick.items = rows;
  let settled = false;
  void later?.then(
    (better) => {
      if (settled) return;
      const active = pick.activeItems[0]?.key;
      pick.items = better;
      const again = better.find((row) => row.key === active);
      if (again) pick.activeItems = [again];
    },
    () => undefined, // sizes are a bonus: the rows without them stay right
  );
  const picked = await new Promise<Row<T> | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
    open = pick;
  });
  settled = true;
  if (open === pick) open = undefined;
  pick.dispose();
  if (!picked) throw new UserCancelled();
  return picked.value;
}

function classRow(summary: ClassSummary): Row<ClassSummary> {
  return {
    label: summary.name || '(anonymous)',
    description: `×${summary.count.toLocaleString('en-US')}`,
    detail: `${formatBytes(summary.selfSize)} self size${summary.retainedSize !== undefined ? ` · ${formatBytes(summary.retainedSize)} retained` : ' · retained size being computed…'}`,
    value: summary,
    key: summary.name,
  };
}

/** The class list; `sized` brings the same list with retained sizes, shown as soon as it comes. */
export function pickClass(classes: readonly ClassSummary[], title: string, sized?: Promise<readonly ClassSummary[]>): Promise<ClassSummary> {
  return pickUpdating(classes.map(classRow), sized?.then((rows) => rows.map(classRow)), {
    title,
    placeholder: 'Type a constructor name (instances are grouped as in DevTools\' Summary view)',
  });
}

/** `via Processor.instanceMap.get("bot12").resourceLoader`, then sizes and a string field: what tells one instance from the next. */
function instanceRow(node: InstanceNode): Row<InstanceChoice> {
  const facts = [`${formatBytes(node.selfSize)} self`];
  if (node.retainedSize !== null) facts.push(`${formatBytes(node.retainedSize)} retained`);
  if (node.field) facts.push(node.field);
  if (node.distance !== null) facts.push(`distance ${node.distance}`);
  return {
    label: `@${node.id}`,
    description: node.via ? `via ${node.via}` : node.preview,
    detail: facts.join(' · '),
    value: { kind: 'one', node, first: false },
    key: String(node.id),
  };
}

/** One instance (`first`: the user chose "the first of N"), or all of them (their merged paths). */
export type InstanceChoice = { kind: 'one'; node: InstanceNode; first: boolean } | { kind: 'all' };

/**
 * The instances of a class: "All N instances — merged paths" first (Eclipse
 * MAT's answer to "why are all of these alive?"), then "the first of N" and
 * one row per instance. `sized` brings the same list with retained sizes.
 */
export async function pickInstance(list: InstanceList, sized?: Promise<InstanceList>): Promise<InstanceChoice> {
  if (list.nodes.length === 0) throw new UserFacingError(`The snapshot has no instances of ${list.name}.`);
  if (list.nodes.length === 1) return { kind: 'one', node: list.nodes[0], first: false };
  const rows = (shown: InstanceList): Row<InstanceChoice>[] => [
    {
      label: `$(type-hierarchy) All ${shown.total.toLocaleString('en-US')} instances — merged paths`,
      description: 'which paths keep them alive, and how many go through each',
      value: { kind: 'all' },
      key: 'all',
    },
    {
      label: `$(list-ordered) The first of ${shown.total.toLocaleString('en-US')}`,
      description: 'closest to a root',
      value: { kind: 'one', node: shown.nodes[0], first: true },
      key: 'first',
    },
    ...shown.nodes.map(instanceRow),
  ];
  return pickUpdating(rows(list), sized?.then(rows), {
    title: `${list.name}: ${list.total.toLocaleString('en-US')} instances${list.total > list.nodes.length ? ` (showing ${list.nodes.length})` : ''}`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
}
