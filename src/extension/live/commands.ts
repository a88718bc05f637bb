/**
 * Show Memory Chart / Stop Memory Chart (the Memory view beside the
 * debugger), and the Watches view's Check Now, Remove and Show Retainers.
 */
import type { CommandHandlers } from '../commands/registry';
import { Commands } from '../contributions';
import { UserFacingError } from '../errors';
import type { Services } from '../services';
import { captureSnapshot } from '../snapshots/capture';
import type { MemoryView } from './memoryView';
import type { Watch, Watches } from './watches';
import type { WatchRow } from './watchesTree';

type LiveCommands = Commands.ShowMemoryChart | Commands.StopMemoryChart | Commands.CheckWatch | Commands.RemoveWatch | Commands.ShowWatchRetainers;

export function liveCommands({ targets, store, show }: Services, memory: MemoryView, watches: Watches): Pick<CommandHandlers, LiveCommands> {
  const watchOf = (row: WatchRow | undefined): Watch => {
    if (row) return watches.get(row.watchId);
    const last = watches.all.at(-1);
    if (!last) throw new UserFacingError('Nothing is watched; use "Watch Until Collected" in a graph of a live process, or on a group of merged paths.');
    return last;
  };

  return {
    [Commands.ShowMemoryChart]: async (args) => memory.show((await targets.resolve(args?.target)).target),

    [Commands.StopMemoryChart]: async () => memory.stop(),

    [Commands.CheckWatch]: (row) => watches.check(watchOf(row).watchId),

    [Commands.RemoveWatch]: (row) => watches.remove(watchOf(row).watchId),

    [Commands.ShowWatchRetainers]: async (row) => {
      const watch = watchOf(row);
      const id = row?.kind === 'object' ? row.id : watch.objects.find((object) => object.state !== 'collected')?.id;
      if (id === undefined) throw new UserFacingError(`Every object of "${watch.label}" was collected: nothing retains them.`);
      if (watch.ended) throw new UserFacingError(watch.ended);
      // A fresh snapshot over the watch's open connection: the id still names the object there.
      const { snapshot } = await captureSnapshot(store, watch.target);
      return show.object(snapshot, id);
    },
  };
}
