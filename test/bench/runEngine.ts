// One benchmark run of this engine, in its own process so its peak RSS is its
// own: stream-parse the file, build the graph, walk one instance; with
// `--all`, then everything DevTools computes at load (shallow sizes,
// distances, dominators, retained sizes) and its class list with retained
// sizes. Prints one JSON line. Bundled by bench.mjs;
// argv: <snapshot> [--class Name | --id N] [--all] [--depth N] [--fan-out N] (the walk's; default the CLI's)
import { parseArgs } from 'node:util';
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';
import { buildGraph } from '../../src/loading/buildGraph';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { class: { type: 'string', default: 'Processor' }, id: { type: 'string' }, all: { type: 'boolean', default: false }, depth: { type: 'string' }, 'fan-out': { type: 'string' } } });
  const [path] = positionals;
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseStarted = 0;
  const onProgress = (name: string): void => {
    if (name === phase) return;
    const now = performance.now();
    if (phase) phases[phase] = (phases[phase] ?? 0) + now - phaseStarted;
    phase = name;
    phaseStarted = now;
  };
  const endPhase = (): void => onProgress('');

  const started = performance.now();
  const cpuStarted = cpuMs();
  // With --all the helper thread computes the dominator tree while this one indexes and walks.
  const indexing = { retainedSizes: values.all };
  const loaded = await readSnapshotFile(path, indexing);
  const { data } = loaded;
  const parsed = performance.now();
  const cpuParsed = cpuMs();
  const graph = await buildGraph(loaded, onProgress, undefined, indexing);
  endPhase();
  const built = performance.now();
  const cpuBuilt = cpuMs();
  const id = values.id ? Number(values.id) : graph.instances(values.class, 1)[0]?.id;
  if (id === undefined) throw new Error(`${path} holds no ${values.class} instance to walk`);
  const walkStarted = performance.now();
  const walk = graph.walk(id, { ...(values.depth ? { depth: Number(values.depth) } : {}), ...(values['fan-out'] ? { fanOut: Number(values['fan-out']) } : {}) });
  const walked = performance.now();
  const cpuWalked = cpuMs();
  const path0 = walk.shortestPath.nodes.map((nodeId) => walk.nodes.find((node) => node.id === nodeId)?.label || walk.nodes.find((node) => node.id === nodeId)?.name);
  const firstWalk = {
    parseMs: parsed - started,
    indexMs: built - parsed,
    parseIndexMs: built - started,
    parseCpuMs: cpuParsed - cpuStarted,
    indexCpuMs: cpuBuilt - cpuParsed,
    firstWalkMs: walked - walkStarted,
    walkCpuMs: cpuWalked - cpuStarted,
    walkRssMB: process.resourceUsage().maxRSS / 1024,
  };
  let all = {};
  if (values.all) {
    onProgress('dominators (helper thread)');
    await graph.retainedSizesElsewhere();
    graph.computeRetainedSizes(onProgress);
    const classes = graph.classes();
    endPhase();
    const done = performance.now();
    all = { allMs: done - started, allCpuMs: cpuMs() - cpuStarted, retainedMs: done - walked, classes: classes.length };
  }
  console.log(JSON.stringify({
    ...firstWalk,
    ...all,
    phases: Object.fromEntries(Object.entries(phases).map(([name, ms]) => [name, Math.round(ms)])),
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
