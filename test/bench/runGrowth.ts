// One benchmark run of growth or merged paths, in its own process so its
// peak RSS is its own. Bundled by bench.mjs; prints one JSON line.
//   open <file> [--retained]             parse + index (+ retained sizes): the baseline
//   growth <file>… [--retained]          growth over the series, graphs loaded one at a time
//   paths <file> <class>                 parse + index + retained sizes, then merged paths of every instance
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';
import { buildGraph } from '../../src/loading/buildGraph';
import { mergedPathsOfClass, type HeapGraph } from '../../src/engine/index';
import { growthOfFiles } from '../../src/cli/growth';

async function load(path: string, retained: boolean): Promise<HeapGraph> {
  const graph = await buildGraph(await readSnapshotFile(path));
  if (retained) graph.computeRetainedSizes();
  return graph;
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  const retained = rest.includes('--retained');
  const args = rest.filter((arg) => arg !== '--retained');
  const started = performance.now();
  let result: Record<string, unknown>;
  if (mode === 'open') {
    const graph = await load(args[0], retained);
    result = { nodes: graph.nodeCount };
  } else if (mode === 'growth') {
    // Exactly what `retainer-graph growth` runs.
    const report = await growthOfFiles(args, retained, { update: () => undefined, done: () => undefined });
    const top = report.suspects[0];
    result = {
      sameProcess: report.sameProcess,
      suspects: report.suspects.length,
      topSuspect: top ? `${top.label} (${top.kind})` : null,
      classes: report.classes.length,
      collections: report.collections.length,
    };
  } else if (mode === 'paths') {
    const graph = await load(args[0], true);
    const builtMs = performance.now() - started;
    const mergeStarted = performance.now();
    const cpuStarted = process.cpuUsage();
    const paths = mergedPathsOfClass(graph, args[1]);
    if (!paths) throw new Error(`no class ${args[1]} in ${args[0]}`);
    const mergeCpu = process.cpuUsage(cpuStarted);
    result = { builtMs, mergeMs: performance.now() - mergeStarted, mergeCpuMs: (mergeCpu.user + mergeCpu.system) / 1000, objects: paths.objects, groups: paths.groups.length, topGroup: `${paths.groups[0]?.count} via ${paths.groups[0]?.label}` };
  } else {
    throw new Error('usage: runGrowth (open <file> | growth <file>… | paths <file> <class>) [--retained]');
  }
  const { user, system } = process.cpuUsage();
  console.log(JSON.stringify({ mode, totalMs: performance.now() - started, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (user + system) / 1000, ...result }));
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
