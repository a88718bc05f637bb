/**
 * The digest of an older snapshot of a growth series (no graph is built for
 * it) on two threads: a helper computes DevTools' shallow sizes and the
 * collection table while this thread orders the ids and groups the nodes.
 * Each part the helper fails to send is computed here.
 */
import { typeCodes } from '../engine/edgeTypes';
import { collectionTableOf, digestData, digestDataWith, type SnapshotDigest } from '../engine/growth/digest';
import { computeShallowSizes } from '../engine/shallowSizes';
import type { HeapSnapshotData } from '../engine/snapshotData';
import { TWO_THREADS_FROM_EDGES, sharedSnapshot } from './buildGraph';
import { HelperThread, defaultHelperScript } from './helperThread';

export async function digestSnapshotData(data: HeapSnapshotData, file: string, options: { withObjects: boolean }, helperScript: string | null = defaultHelperScript()): Promise<SnapshotDigest> {
  const snapshot = data.edgeCount >= TWO_THREADS_FROM_EDGES ? sharedSnapshot(data) : undefined;
  if (!helperScript || !snapshot) return digestData(data, file, options);
  const helper = new HelperThread(helperScript);
  try {
    // Jobs run in order: the sizes first, which the class grouping here waits for.
    const shallowSizes = helper.call('shallowSizes', snapshot).catch(() => computeShallowSizes(data, typeCodes(data)));
    const collections = helper.call('collectionTable', snapshot).catch(() => collectionTableOf(data, typeCodes(data), null));
    return await digestDataWith(data, file, options, { shallowSizes, collections });
  } finally {
    // Its isolate and buffers go before the next snapshot is read.
    await helper.stop();
  }
}
