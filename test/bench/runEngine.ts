// One benchmark run of this engine, in its own process so its peak RSS is its
// own: stream-parse the file, build the graph, walk one Processor instance.
// Prints one JSON line. Bundled by bench.mjs; argv: <snapshot> [id].
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';
import { buildGraph } from '../../src/loading/buildGraph';

async function main(): Promise<void> {
  const [path, idArgument] = process.argv.slice(2);
  const started = performance.now();
  const cpuStarted = cpuMs();
  const loaded = await readSnapshotFile(path);
  const { data } = loaded;
  const parsed = performance.now();
  const cpuParsed = cpuMs();
  const graph = await buildGraph(loaded);
  const built = performance.now();
  const cpuBuilt = cpuMs();
  const id = idArgument ? Number(idArgument) : graph.instances('Processor', 1)[0]?.id;
  if (id === undefined) throw new Error(`${path} holds no Processor instance to walk`);
  const walkStarted = performance.now();
  const walk = graph.walk(id);
  const walked = performance.now();
  const path0 = walk.shortestPath.nodes.map((nodeId) => walk.nodes.find((node) => node.id === nodeId)?.label || walk.nodes.find((node) => node.id === nodeId)?.name);
  console.log(JSON.stringify({
    parseMs: parsed - started,
    indexMs: built - parsed,
    parseIndexMs: built - started,
    parseCpuMs: cpuParsed - cpuStarted,
    indexCpuMs: cpuBuilt - cpuParsed,
    firstWalkMs: walked - walkStarted,
    maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: cpuMs(),
    id,
    nodes: data.nodeCount,
    edges: data.edgeCount,
    walkNodes: walk.nodes.length,
    shortestPath: path0.join(' → '),
  }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

/** User + system CPU time of this process so far: robust when other work shares the cores. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
