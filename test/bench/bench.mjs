// `npm run bench`: this engine against @memlab/core and @vscode/v8-heap-parser
// on the same synthetic snapshots, each tool in its own process (so peak RSS
// is its own). Prints a markdown table and writes it to docs/benchmarks.md.
//
//   node test/bench/bench.mjs [--sizes 90000,900000] [--runs 1] [--no-peers]
//
// `npm run bench -- --live [--runs 3] [--node <binary>]` measures instead what the
// live instruments cost the demo server (test/bench/liveCost.ts; see docs/live.md).
//
// Snapshots and peers are cached in .bench/ (generated / installed on first run).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { generate } from './generate.mjs';
import { PEERS, installPeers } from './peers.mjs';
import { growthRows, growthTable } from './growthBench.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '90000,900000' },
    runs: { type: 'string' }, // default 1; --live: 3
    'no-peers': { type: 'boolean', default: false },
    'no-growth': { type: 'boolean', default: false },
    out: { type: 'string', default: 'docs/benchmarks.md' },
    live: { type: 'boolean', default: false },
    node: { type: 'string' },
  },
});
if (args.live) {
  const live = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/liveCost.ts', '--runs', args.runs ?? '3', ...(args.node ? ['--node', args.node] : [])], { stdio: 'inherit' });
  process.exit(live.status ?? 1);
}
const sizes = args.sizes.split(',').map(Number);
const runs = Math.max(1, Number(args.runs ?? 1));
const NODE_FLAGS = ['--max-old-space-size=16000'];
const TIMEOUT_MS = 15 * 60 * 1000;

async function bundleEngineRunner() {
  const outfile = resolve('.bench', 'engine-runner.js');
  await esbuild.build({ entryPoints: ['test/bench/runEngine.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  // The second thread is found next to the bundle, as dist/helper.js is next to dist/cli.js.
  copyFileSync(resolve('dist', 'helper.js'), resolve('.bench', 'helper.js'));
  return outfile;
}

/** Runs one tool once; returns its JSON result or { error } with the reason it failed. */
function runTool(script, scriptArgs) {
  const result = spawnSync(process.execPath, [...NODE_FLAGS, script, ...scriptArgs], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const lastLine = (text) => text.trim().split('\n').filter(Boolean).pop() ?? '';
  if (result.status === 0) {
    try {
      return JSON.parse(lastLine(result.stdout));
    } catch {
      return { error: `unreadable output: ${lastLine(result.stdout).slice(0, 80)}` };
    }
  }
  const stderr = result.stderr ?? '';
  const reason =
    result.error?.code === 'ETIMEDOUT' ? `timed out after ${TIMEOUT_MS / 60000} min` :
    /heap out of memory|Allocation failed/i.test(stderr) ? 'JavaScript heap out of memory' :
    /Invalid string length|string longer than/i.test(stderr) ? 'string too long' :
    /memory access out of bounds|out of memory|RuntimeError: unreachable/i.test(stderr) ? 'wasm out of memory' :
    result.signal ? `killed by ${result.signal}` :
    lastLine(stderr).slice(0, 100) || `exit ${result.status}`;
  return { error: reason };
}

/** Median by end-to-end time over `runs` runs (a failure fails the tool). */
function measure(script, scriptArgs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = runTool(script, scriptArgs);
    if (result.error) return result;
    results.push(result);
  }
  results.sort((a, b) => a.parseIndexMs + a.firstWalkMs - (b.parseIndexMs + b.firstWalkMs));
  return results[Math.floor(results.length / 2)];
}

const seconds = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(2)} s`);
const millis = (ms) => (ms >= 1000 ? seconds(ms) : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
const megabytes = (mb) => (mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${mb.toFixed(0)} MB`);

async function main() {
  if (!args['no-peers']) installPeers();
  const engineRunner = await bundleEngineRunner();
  const rows = [];
  for (const n of sizes) {
    const path = generate(n);
    const fileMB = statSync(path).size / 1e6;
    console.error(`\n${path} (${fileMB.toFixed(0)} MB)`);
    const engine = measure(engineRunner, [path]);
    console.error('  this engine', JSON.stringify(engine));
    if (engine.error) throw new Error(`this engine failed on ${path}: ${engine.error}`);
    const tools = [['Retainer Graph (this engine)', engine]];
    if (!args['no-peers']) {
      for (const [name, script] of [['@memlab/core 2.0.5', 'test/bench/runMemlab.mjs'], ['@vscode/v8-heap-parser 0.1.0', 'test/bench/runV8HeapParser.mjs']]) {
        const result = measure(resolve(script), [PEERS, path, String(engine.id)]);
        console.error(`  ${name}`, JSON.stringify(result));
        tools.push([name, result]);
      }
    }
    const engineTotal = engine.parseIndexMs + engine.firstWalkMs;
    for (const [name, result] of tools) {
      const file = `${fileMB.toFixed(0)} MB, ${(engine.nodes / 1e6).toFixed(2)} M nodes, ${(engine.edges / 1e6).toFixed(2)} M edges`;
      if (result.error) {
        rows.push(`| ${file} | ${name} | fails (${result.error}) | | | | |`);
        continue;
      }
      const total = result.parseIndexMs + result.firstWalkMs;
      const ratio = result === engine ? '1x' : `${(total / engineTotal).toFixed(1)}x slower`;
      const cpuRatio = result === engine ? '1x' : `${(result.cpuMs / engine.cpuMs).toFixed(1)}x`;
      rows.push(`| ${file} | ${name} | ${seconds(result.parseIndexMs)} | ${millis(result.firstWalkMs)} | ${megabytes(result.maxRssMB)} | ${ratio} | ${seconds(result.cpuMs)} (${cpuRatio}) |`);
    }
    const parseMBs = fileMB / (engine.parseCpuMs / 1000);
    rows.push(`| | (this engine: parse ${seconds(engine.parseMs)} wall, ${seconds(engine.parseCpuMs)} CPU = ${parseMBs.toFixed(0)} MB per CPU-second; index ${seconds(engine.indexMs)} wall, ${seconds(engine.indexCpuMs)} CPU) | | | | | |`);
  }
  const growth = args['no-growth'] ? null : growthTable(await growthRows({ sizes, runs, peers: args['no-peers'] ? null : PEERS }));
  const command = `node test/bench/bench.mjs --sizes ${sizes.join(',')} --runs ${runs}${args['no-peers'] ? ' --no-peers' : ''}${args['no-growth'] ? ' --no-growth' : ''}`;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(1)} at the end of the run`;
  const table = [
    '| file | tool | parse + index | first walk | peak RSS | end to end vs this engine | process CPU time (vs this engine) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const markdown = `# Benchmarks

Produced by \`npm run bench\` (\`${command}\`) on ${new Date().toISOString().slice(0, 10)}:
${machine}. Each tool runs in its own process on the same snapshot file (read from the page
cache); "first walk" is the retainer walk (this engine: depth 8, fan-out 10 with the full
shortest path) of one \`Processor\` instance held by \`Processor.instances\`; memlab:
\`annotateShortestPaths\` + \`getPathToGCRoots\`; v8-heap-parser: \`get_all_retainers\`.
Peak RSS is \`process.resourceUsage().maxRSS\` of that process; CPU time is the whole
process's user + system time (a steadier figure than wall time when other work shares the cores). ${runs > 1 ? `Median of ${runs} runs.` : 'One run each.'}

${table}

Targets, 1 GB / 14 M nodes: parse + index ≤ 5 s, first walk ≤ 50 ms,
peak RSS ≤ 1.3 GB, ≥ 10x faster than memlab end to end; 100 MB: ≤ 0.6 s.
${growth === null ? '' : `
## Growth and merged paths

Snapshots 1, 2 and 3 of ONE process (\`test/bench/generateSeries.mjs\`: the heap above, then
between two snapshots N/10 more items kept by \`globalThis.benchItems\` and churn: a
5,000-entry cache replacing all its entries, 10 % of the items swapping an object). Growth
reads the older snapshots without building their graph (no retained sizes) unless
\`--retained-sizes\`; "vs opening snapshot 2" divides by the time to parse and index snapshot 2
alone. Merged paths: every \`Item\` of snapshot 3, after parse, index and retained sizes.
MemLab: \`findLeaksBySnapshotFilePaths(1, 2, 3)\` from \`@memlab/api\` 2.0.5.

${growth}

Targets, two 1.1 GB snapshots: growth ≤ 2.2x the time to open one, peak RSS ≤ 1.6 GB,
≥ 10x faster than MemLab end to end; merged paths of 900,000 instances ≤ 1 s after the
graph is built.
`}`;
  console.log(`\n${table}\n${growth === null ? '' : `\n${growth}\n`}`);
  mkdirSync('docs', { recursive: true });
  writeFileSync(args.out, markdown);
  console.error(`wrote ${args.out}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
