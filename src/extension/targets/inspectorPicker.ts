/** Where to attach: the quick pick of inspector targets on the configured ports, or an address typed by the user. */
import * as vscode from 'vscode';
import { formatHostPort, listTargets, parseHostPort, type InspectorTarget } from '../../inspector';
import { readConfig } from '../config';
import { UserCancelled, UserFacingError } from '../errors';

/** Where to attach: a concrete inspector target (its WebSocket URL) plus how to name it. */
export interface InspectorChoice {
  webSocketUrl: string;
  host: string;
  port: number;
  label: string;
}

export function choiceOf(target: InspectorTarget, host: string, port: number): InspectorChoice {
  const title = target.title || target.url || target.id;
  return { webSocketUrl: target.webSocketDebuggerUrl, host, port, label: `${title} (${formatHostPort({ host, port })})` };
}

/** Parses what the user typed: `host:port`, a bare port, or a `ws://` URL. */
export async function resolveAddress(text: string): Promise<InspectorChoice> {
  const trimmed = text.trim();
  if (/^wss?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new UserFacingError(`"${trimmed}" is not a valid WebSocket URL; use ws://host:port/id as printed by node --inspect.`);
    }
    const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return { webSocketUrl: trimmed, host, port, label: url.host };
  }
  const hostPort = parseHostPort(trimmed);
  if (!hostPort) throw new UserFacingError(`"${trimmed}" is not a host:port or ws:// URL; try 127.0.0.1:9229.`);
  const targets = await listTargets(hostPort.host, hostPort.port);
  if (targets.length === 0) throw new UserFacingError(`${formatHostPort(hostPort)} has no inspectable target; is the process still starting?`);
  if (targets.length === 1) return choiceOf(targets[0], hostPort.host, hostPort.port);
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: target.title || target.id, description: target.url, target })),
    { title: `Targets on ${formatHostPort(hostPort)}`, ignoreFocusOut: true },
  );
  if (!picked) throw new UserCancelled();
  return choiceOf(picked.target, hostPort.host, hostPort.port);
}

type TargetItem = vscode.QuickPickItem & { choice?: InspectorChoice; manual?: true };

/**
 * The quick pick of inspector targets on the configured ports, plus "Enter
 * host:port or ws:// URL…"; the process attached last comes first.
 */
export async function pickInspectorTarget(last?: InspectorChoice): Promise<InspectorChoice> {
  const quickPick = vscode.window.createQuickPick<TargetItem>();
  quickPick.title = 'Attach to a Node Process';
  quickPick.placeholder = 'Looking for Node.js inspectors…';
  quickPick.matchOnDescription = true;
  // As every step of these flows: a graph still loading beside it must not close the list by taking focus.
  quickPick.ignoreFocusOut = true;
  const manual: TargetItem = { label: '$(edit) Enter host:port or ws:// URL…', manual: true, alwaysShow: true };
  quickPick.items = [manual];
  quickPick.busy = true;
  quickPick.show();
  const addresses = readConfig('inspectorPorts').map((text) => parseHostPort(text)).filter((hp) => hp !== null);
  void Promise.all(
    addresses.map(async ({ host, port }) => {
      try {
        return (await listTargets(host, port, { timeoutMs: 2000 })).map((target) => choiceOf(target, host, port));
      } catch {
        return []; // nothing on this port: not an error, just not a candidate
      }
    }),
  ).then((found) => {
    const choices = found.flat();
    const lastIndex = choices.findIndex((choice) => choice.webSocketUrl === last?.webSocketUrl);
    if (lastIndex > 0) choices.unshift(...choices.splice(lastIndex, 1));
    const items: TargetItem[] = choices.map((choice) => ({
      label: choice.label.replace(/ \([^)]*\)$/, ''),
      description: `${formatHostPort(choice)}${choice.webSocketUrl === last?.webSocketUrl ? ' · attached last' : ''}`,
      detail: choice.webSocketUrl,
      choice,
    }));
    quickPick.items = [...items, manual];
    quickPick.busy = false;
    quickPick.placeholder = items.length ? 'Pick a Node.js process' : `No inspector found on ${readConfig('inspectorPorts').join(', ')}; start Node with --inspect or enter an address`;
  });
  const picked = await new Promise<TargetItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.dispose();
  if (!picked) throw new UserCancelled();
  if (picked.choice) return picked.choice;
  const typed = await vscode.window.showInputBox({
    title: 'Attach to a Node Process',
    prompt: 'host:port of a Node.js inspector (node --inspect), or its ws:// URL',
    placeHolder: '127.0.0.1:9229',
    ignoreFocusOut: true,
  });
  if (!typed) throw new UserCancelled();
  return resolveAddress(typed);
}
