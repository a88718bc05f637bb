/** Show Retainers of a Class…: a class of a file, of the current target, or of the latest kept snapshot. */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import type { Services } from '../services';
import type { LiveTarget } from '../snapshots/capture';
import { loadSnapshotFile } from '../snapshots/loadFile';
import { NoTargetError } from '../targets/targetService';
import type { CommandHandlers } from './registry';

export function classesCommand({ store, targets, show }: Services): Pick<CommandHandlers, Commands.ShowRetainersOfClass> {
  return {
    [Commands.ShowRetainersOfClass]: async (args = {}) => {
      if (args.file) return show.pickAndShow(await loadSnapshotFile(store, vscode.Uri.file(args.file)), args);
      let target: LiveTarget | undefined;
      try {
        target = (await targets.resolve(args.target, { ask: false })).target;
      } catch (error) {
        if (!(error instanceof NoTargetError)) throw error;
      }
      if (!target) {
        // Nothing to attach to without asking: a snapshot already taken is the better guess.
        const latest = store.latest();
        if (latest) return show.pickAndShow(latest, args);
        target = (await targets.resolve(args.target)).target;
      }
      return show.classesOf(target, args);
    },
  };
}
