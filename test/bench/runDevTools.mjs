// One benchmark run of Chrome DevTools' own heap snapshot code
// (heap-snapshot-toolkit, an extraction of DevTools' heap_snapshot_worker):
// its load, which computes everything DevTools shows at once (edge and
// retainer indexes, shallow sizes, distances, dominators, retained sizes,
// statistics), then the summary view's class aggregates with their retained
// sizes. argv: <snapshot>. Prints one JSON line.
import { createReadStream } from 'node:fs';
import { DevToolsAPI, parse } from 'heap-snapshot-toolkit';

const [path] = process.argv.slice(2);

async function main() {
  const started = performance.now();
  const snapshot = await parse(createReadStream(path));
  const loaded = performance.now();
  const cpuLoaded = cpuMs();
  const aggregates = snapshot.aggregatesWithFilter(new DevToolsAPI.HeapSnapshotModel.NodeFilter());
  const summarized = performance.now();
  console.log(JSON.stringify({
    loadMs: loaded - started,
    loadCpuMs: cpuLoaded,
    summaryMs: summarized - loaded,
    allMs: summarized - started,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    cpuMs: cpuMs(),
    nodes: snapshot.nodeCount,
    classes: Object.keys(aggregates).length,
  }));
}

main().catch((error) => {
  console.error(error && error.message ? error.message : String(error));
  process.exit(1);
});

/** User + system CPU time of this process so far: robust when other work shares the cores. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
