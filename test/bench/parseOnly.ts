// Times readSnapshotFile alone (no graph index): CPU ms (process.cpuUsage,
// steadier than wall time on a shared machine), wall ms and peak RSS.
// Usage: node --import tsx test/bench/parseOnly.ts <snapshot> [runs]
// For numbers that stand for the shipped worker, bundle it first (tsx's CommonJS
// export getters for the parser's shared constants cost ~1/3 more CPU):
//   npx esbuild test/bench/parseOnly.ts --bundle --platform=node --outfile=/tmp/parseOnly.js
//   node /tmp/parseOnly.js .bench/heap-90000.heapsnapshot 3
import { readSnapshotFile } from '../../src/loading/readSnapshotFile';

async function main(): Promise<void> {
  const [path, runsArgument] = process.argv.slice(2);
  const runs = Number(runsArgument ?? 1);
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { data } = await readSnapshotFile(path);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({
      run,
      cpuMs: Math.round((used.user + used.system) / 1000),
      userMs: Math.round(used.user / 1000),
      wallMs: Math.round(wallMs),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      nodes: data.nodeCount,
      edges: data.edgeCount,
    }));
  }
}

void main();
