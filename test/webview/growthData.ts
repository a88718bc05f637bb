/**
 * What the Growth view's host hands it, computed by the engine from real
 * snapshots: the growth report of test/fixtures/growth.js (a scheduler that
 * leaks jobs into a class-static Map, beside churn and a batch that comes and
 * goes) and the merged paths of any class of its last snapshot, new or all,
 * as the host answers `mergedPaths`.
 */
import { readFileSync } from 'node:fs';
import { GrowthRecording, HeapGraph, mergedPathsOfClass, SnapshotParser } from '../../src/engine/index';
import type { GrowthReport, MergedPaths } from '../../src/protocol/growth';
import type { PathsScope } from '../../src/protocol/growthView';
import { fixtureSeries } from '../fixtures/series';
import { fixtureSnapshot } from '../fixtures/snapshot';

export interface GrowthFixture {
  report: GrowthReport;
  /** The host's answer to `mergedPaths(className, scope, options)`. */
  mergedPaths(className: string, scope: PathsScope, options?: { byAllocationSite?: boolean }): MergedPaths;
}

function graphOf(path: string, retainedSizes: boolean): HeapGraph {
  const parser = new SnapshotParser();
  parser.write(readFileSync(path));
  const graph = HeapGraph.build(parser.end());
  if (retainedSizes) graph.computeRetainedSizes();
  return graph;
}

/** A series as the host compares it: older snapshots digested, the last one whole (with retained sizes, for merged paths). */
export async function growthOf(paths: readonly string[], { retainedSizes = true } = {}): Promise<GrowthFixture> {
  const recording = new GrowthRecording();
  for (const path of paths.slice(0, -1)) recording.add(graphOf(path, retainedSizes), path);
  const lastPath = paths[paths.length - 1];
  const last = graphOf(lastPath, true);
  const report = await recording.report(last, lastPath);
  const identity = recording.identityOf(last);
  return {
    report,
    mergedPaths: (className, scope, options) => {
      const since = scope === 'new' && identity.sameProcess ? { file: paths[0], maxObjectId: identity.firstMaxObjectId } : null;
      const merged = mergedPathsOfClass(last, className, since, { byAllocationSite: options?.byAllocationSite === true });
      if (!merged) throw new Error(`No ${className} in the last snapshot.`);
      return merged;
    },
  };
}

const cache = new Map<string, Promise<GrowthFixture>>();

function cached(key: string, make: () => Promise<GrowthFixture>): Promise<GrowthFixture> {
  let fixture = cache.get(key);
  if (!fixture) {
    fixture = make();
    cache.set(key, fixture);
  }
  return fixture;
}

/** The three snapshots of the leaking scheduler, with retained sizes. */
export function leakingScheduler(): Promise<GrowthFixture> {
  return cached('three', async () => growthOf(await fixtureSeries('growth')));
}

/** Its first two snapshots only, without retained sizes (what a recording shows after "Take Next" once). */
export function leakingSchedulerTwoSnapshots(): Promise<GrowthFixture> {
  return cached('two', async () => growthOf((await fixtureSeries('growth')).slice(0, 2), { retainedSizes: false }));
}

/** Three snapshots of a leaking job queue taken while V8 recorded allocation stacks (test/fixtures/allocations.js). */
export function leakingQueueWithStacks(): Promise<GrowthFixture> {
  return cached('stacks', async () => growthOf(await fixtureSeries('allocations')));
}

/** A snapshot of another program, then one of the scheduler: ids mean nothing across them. */
export function differentProcesses(): Promise<GrowthFixture> {
  return cached('different', async () => growthOf([await fixtureSnapshot('staticMap'), (await fixtureSeries('growth'))[0]]));
}
