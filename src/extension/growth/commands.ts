/**
 * Record Growth…, Take Next Snapshot, Stop Recording Growth and Save Recorded
 * Snapshots… (a live target), Compare Heap Snapshots (files selected in the
 * Explorer) and Compare with… (the `.heapsnapshot` editor).
 */
import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands/registry';
import { Commands, type GrowthShown } from '../contributions';
import { UserCancelled } from '../errors';
import type { Services } from '../services';
import { SnapshotComparison } from './comparison';
import type { GrowthViews } from './growthViews';
import type { GrowthRecorder } from './recorder';

type GrowthCommands = Commands.RecordGrowth | Commands.TakeNextSnapshot | Commands.StopRecording | Commands.SaveRecording | Commands.CompareSnapshots | Commands.CompareWith;

const SNAPSHOT_FILE = /\.heapsnapshot(\.gz)?$/i;

export function growthCommands({ store, targets, messages }: Services, recorder: GrowthRecorder, views: GrowthViews): Pick<CommandHandlers, GrowthCommands> {
  const compare = async (uris: readonly vscode.Uri[]): Promise<GrowthShown> => {
    const comparison = await SnapshotComparison.load(store, messages, uris);
    views.show(comparison);
    return { snapshotKey: comparison.key, snapshots: comparison.files.length, report: comparison.report, files: comparison.files };
  };

  return {
    [Commands.RecordGrowth]: async (arg) => {
      // From the Call Stack view: the id of the session right-clicked.
      const target = typeof arg === 'string' ? targets.debugSession(arg).target : (await targets.resolve(arg?.target)).target;
      // Asked from the palette and the Call Stack menu; scripts and tests passing arguments choose (default: off).
      const allocationStacks = typeof arg === 'object' ? arg.allocationStacks === true : await askAllocationStacks();
      return recorder.record(target, { allocationStacks });
    },

    [Commands.TakeNextSnapshot]: () => recorder.takeNext(),

    [Commands.StopRecording]: () => recorder.stop(),

    [Commands.SaveRecording]: (args = {}) => recorder.save(args.folder),

    [Commands.CompareSnapshots]: async (uri, selected) => {
      let uris = (selected?.length ? selected : uri instanceof vscode.Uri ? [uri] : []).filter((candidate) => SNAPSHOT_FILE.test(candidate.path));
      if (uris.length < 2) uris = [...uris, ...(await pickSnapshots(uris.length === 0 ? 'Compare Heap Snapshots' : `Compare ${basenameOf(uris[0])} with…`))];
      return compare(uris);
    },

    [Commands.CompareWith]: async (uri, others) => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const mine = uri instanceof vscode.Uri ? uri : active instanceof vscode.TabInputCustom ? active.uri : undefined;
      if (!mine) return compare(await pickSnapshots('Compare Heap Snapshots'));
      return compare([mine, ...(others ?? (await pickSnapshots(`Compare ${basenameOf(mine)} with…`)))]);
    },
  };
}

/** How much allocation tracking slowed the demo's bot loading (test/bench/liveCost.ts, docs/live.md: 17–29× in wall time, ~65× in the program's CPU time). */
export const ALLOCATION_TRACKING_SLOWDOWN = '20–65×';

/** The option offered when a recording starts: snapshots only (the default), or allocation stacks too. */
async function askAllocationStacks(): Promise<boolean> {
  const plain = { label: 'Record growth', detail: 'Heap snapshots only; the program runs at full speed.', stacks: false };
  const withStacks = {
    label: 'Record growth with allocation stacks',
    detail: `Where each new object was allocated. Slows allocation ${ALLOCATION_TRACKING_SLOWDOWN} (the demo); ~40 % of a core when idle.`,
    stacks: true,
  };
  const picked = await vscode.window.showQuickPick([plain, withStacks], { title: 'Record Growth', placeHolder: 'Record allocation stacks too? (slows the program)', ignoreFocusOut: true });
  if (!picked) throw new UserCancelled();
  return picked.stacks;
}

/** Snapshot files picked in a dialog (several at once). */
async function pickSnapshots(title: string): Promise<vscode.Uri[]> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    filters: { 'Heap snapshots': ['heapsnapshot', 'gz'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Compare',
    title,
  });
  if (!picked?.length) throw new UserCancelled();
  return picked;
}

function basenameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
