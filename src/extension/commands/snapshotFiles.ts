/** Open Heap Snapshot… (a .heapsnapshot file into the class flow) and Release Kept Snapshots. */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { UserCancelled } from '../errors';
import type { Services } from '../services';
import { loadSnapshotFile } from '../snapshots/loadFile';
import type { CommandHandlers } from './registry';

export function snapshotFileCommands({ store, show, messages }: Services): Pick<CommandHandlers, Commands.OpenSnapshot | Commands.ReleaseSnapshots> {
  return {
    [Commands.OpenSnapshot]: async (uri) => {
      if (!(uri instanceof vscode.Uri)) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Heap snapshots': ['heapsnapshot'] }, title: 'Open Heap Snapshot' });
        if (!picked?.length) throw new UserCancelled();
        uri = picked[0];
      }
      return show.pickAndShow(await loadSnapshotFile(store, uri));
    },

    [Commands.ReleaseSnapshots]: async () => {
      const count = store.keys().length;
      store.releaseAll();
      messages.info(count ? `Released ${count} kept snapshot${count > 1 ? 's' : ''}.` : 'No snapshots were kept.');
    },
  };
}
