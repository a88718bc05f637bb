// One benchmark run of @memlab/core 2.0.5 (installed in .bench/peers):
// load the snapshot, annotate shortest paths (its index), then the retainer
// trace of one object to the GC roots. argv: <peersDir> <snapshot> <id>.
import { createRequire } from 'node:module';
const [peers, path, id] = process.argv.slice(2);
const requirePeer = createRequire(`${peers}/package.json`);
const { utils, TraceFinder, config } = requirePeer('@memlab/core');

async function main() {
  config.verbose = false;
  const started = performance.now();
  const snapshot = await utils.getSnapshotFromFile(path, { buildNodeIdIndex: true, verbose: false });
  const finder = new TraceFinder();
  finder.annotateShortestPaths(snapshot);
  const indexed = performance.now();
  const node = snapshot.getNodeById(Number(id));
  if (!node) throw new Error(`memlab found no node @${id}`);
  const walkStarted = performance.now();
  const trace = finder.getPathToGCRoots(snapshot, node);
  const walked = performance.now();
  let length = 0;
  for (let item = trace; item; item = item.next) length++;
  console.log(JSON.stringify({ parseIndexMs: indexed - started, firstWalkMs: walked - walkStarted, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: cpuMs(), pathLength: length }));
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
