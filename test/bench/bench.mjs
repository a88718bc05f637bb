// `npm run bench`: this engine against @memlab/core and @vscode/v8-heap-parser
// on the same synthetic snapshots, and against Chrome DevTools' own code and
// @memlab/core on snapshots of real npm programs (realPrograms.mjs), each
// tool in its own process (so peak RSS is its own). Prints markdown tables
// and writes them to test-results/bench/benchmarks.md (docs/benchmarks.md is
// written by hand from such runs, with their history: a run never overwrites it).
//
//   node test/bench/bench.mjs [--corpus synthetic,growth,real] [--sizes 90000,900000]
//     [--programs markdown,eslint,typescriptProgram,typescriptDeclarations] [--runs 1] [--no-peers]
//   node test/bench/bench.mjs --help
//
//   node test/bench/bench.mjs --live [--runs 3] [--node <binary>]   (what the live
//     instruments cost the demo server: test/bench/liveCost.ts, docs/live.md)
//
// Snapshots and peers are cached in .bench/ (generated / installed on first run).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { peakRss, seconds } from './format.mjs';
import { generate } from './generate.mjs';
import { PEERS, installPeers } from './peers.mjs';
import { growthRows, growthTable } from './growthBench.mjs';
import { REAL_PROGRAMS, benchReal } from './realPrograms.mjs';

/** synthetic: one generated heap per size; growth: a generated series of three snapshots per size; real: REAL_PROGRAMS. */
const CORPORA = ['synthetic', 'growth', 'real'];
const USAGE = `node test/bench/bench.mjs [options]   (npm run bench -- [options])

  --corpus LIST    what to measure, comma-separated (default ${CORPORA.join(',')}):
                     synthetic  generated heaps, this engine vs @memlab/core and @vscode/v8-heap-parser
                     growth     a generated series of one growing process: growth, merged paths, MemLab's leaks
                     real       snapshots of real npm programs, this engine vs DevTools' code and @memlab/core
  --sizes LIST     items in the synthetic heaps and growth series (default 90000,900000)
  --programs LIST  real programs (default ${Object.keys(REAL_PROGRAMS).join(',')})
  --runs N         runs per measurement, the median kept (default 1)
  --no-peers       this engine (and DevTools' code) only: no memlab, no v8-heap-parser
  --out FILE       where the markdown goes (default test-results/bench/benchmarks.md)
  --live           instead: what the live instruments cost the demo server (test/bench/liveCost.ts,
                   docs/live.md); --runs defaults to 3, --node <binary> runs the demo on another Node`;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '90000,900000' },
    runs: { type: 'string' }, // default 1; --live: 3
    'no-peers': { type: 'boolean', default: false },
    out: { type: 'string', default: 'test-results/bench/benchmarks.md' },
    corpus: { type: 'string', default: CORPORA.join(',') },
    programs: { type: 'string', default: Object.keys(REAL_PROGRAMS).join(',') },
    help: { type: 'boolean', short: 'h', default: false },
    live: { type: 'boolean', default: false },
    node: { type: 'string' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.live) {
  const live = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/liveCost.ts', '--runs', args.runs ?? '3', ...(args.node ? ['--node', args.node] : [])], { stdio: 'inherit' });
  process.exit(live.status ?? 1);
}
const corpus = new Set(args.corpus.split(',').filter(Boolean));
for (const name of corpus) if (!CORPORA.includes(name)) throw new Error(`no corpus "${name}" (known: ${CORPORA.join(', ')})`);
const sizes = corpus.has('synthetic') ? args.sizes.split(',').map(Number) : [];
// The growth series are the synthetic heap grown between snapshots, at the same sizes.
const growthSizes = corpus.has('growth') ? args.sizes.split(',').map(Number) : [];
const programs = corpus.has('real') ? args.programs.split(',').filter(Boolean) : [];
for (const name of programs) if (!(name in REAL_PROGRAMS)) throw new Error(`no real program "${name}" (known: ${Object.keys(REAL_PROGRAMS).join(', ')})`);
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

/** Median over `runs` runs, by end-to-end time to the first walk or by `key` (a failure fails the tool). */
function measure(script, scriptArgs, key) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = runTool(script, scriptArgs);
    if (result.error) return result;
    results.push(result);
  }
  const time = (result) => (key ? result[key] : result.parseIndexMs + result.firstWalkMs);
  results.sort((a, b) => time(a) - time(b));
  return results[Math.floor(results.length / 2)];
}

const millis = (ms) => (ms >= 1000 ? seconds(ms) : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

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
      rows.push(`| ${file} | ${name} | ${seconds(result.parseIndexMs)} | ${millis(result.firstWalkMs)} | ${peakRss(result.maxRssMB)} | ${ratio} | ${seconds(result.cpuMs)} (${cpuRatio}) |`);
    }
    const parseMBs = fileMB / (engine.parseCpuMs / 1000);
    rows.push(`| | (this engine: parse ${seconds(engine.parseMs)} wall, ${seconds(engine.parseCpuMs)} CPU = ${parseMBs.toFixed(0)} MB per CPU-second; index ${seconds(engine.indexMs)} wall, ${seconds(engine.indexCpuMs)} CPU) | | | | | |`);
  }
  const growth = growthSizes.length === 0 ? null : growthTable(await growthRows({ sizes: growthSizes, runs, peers: args['no-peers'] ? null : PEERS }));
  const realRows = benchReal({ names: programs, runTool, runs, engineRunner, peers: args['no-peers'] ? null : PEERS });
  const command = `node test/bench/bench.mjs --sizes ${args.sizes} --runs ${runs} --corpus ${[...corpus].join(',')}${programs.length ? ` --programs ${programs.join(',')}` : ''}${args['no-peers'] ? ' --no-peers' : ''}`;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(1)} at the end of the run`;
  const table = [
    '| file | tool | parse + index | first walk | peak RSS | end to end vs this engine | process CPU time (vs this engine) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const realTable = [
    '| heap | tool | wall time | process CPU time | peak RSS | DevTools / memlab vs this engine: wall (CPU) |',
    '|---|---|---|---|---|---|',
    ...realRows,
  ].join('\n');
  const synthetic = sizes.length === 0 ? '' : `## Synthetic heaps

"First walk" is the retainer walk (this engine: depth 8, fan-out 10 with the full
shortest path) of one \`Processor\` instance held by \`Processor.instances\`; memlab:
\`annotateShortestPaths\` + \`getPathToGCRoots\`; v8-heap-parser: \`get_all_retainers\`.

${table}

Targets, 1 GB / 14 M nodes: parse + index ≤ 5 s, first walk ≤ 50 ms,
peak RSS ≤ 1.3 GB, ≥ 10x faster than memlab end to end; 100 MB: ≤ 0.6 s.
`;
  const real = programs.length === 0 ? '' : `## Real programs

Snapshots of npm packages doing real work, written by \`test/bench/fixtures/\`
into \`.bench/real/\`: ${programs.map((name) => `**${name}**, ${REAL_PROGRAMS[name].about}`).join('; ')}.
"First walk" is this engine's parse, index and retainer walk of the first instance of
the class named in \`test/bench/realPrograms.mjs\` (what the CLI does); "everything DevTools
computes at load" adds shallow sizes, dominators, retained sizes and the class list with
retained sizes (the helper thread computes the dominator tree while the first walk is
answered). DevTools is \`heap-snapshot-toolkit\` (DevTools' own heap snapshot worker): its
load computes distances, shallow sizes, dominators and retained sizes; "+ summary" adds the
summary view's class aggregates with their retained sizes. memlab: \`getSnapshotFromFile\` +
\`annotateShortestPaths\` + \`getPathToGCRoots\` of the same object. In each round every tool
runs once, in turn; times are each tool's median, and the ratios the median of the rounds' own
ratios, so a spell in which the machine runs slower weighs on both sides of a ratio.

${realTable}

Targets on heaps of 100 MB and more: the first walk ≥ 10x faster than DevTools' load and
than memlab; everything DevTools computes at load ≥ 5x faster than DevTools, with peak RSS
≤ 1.2× the file size.
`;
  const growthSection = growth === null ? '' : `
## Growth and merged paths

Snapshots 1, 2 and 3 of ONE process (\`test/bench/generateSeries.mjs\`: the synthetic heap
of \`generate.mjs\`, then between two snapshots N/10 more items kept by \`globalThis.benchItems\` and churn: a
5,000-entry cache replacing all its entries, 10 % of the items swapping an object). Growth
reads the older snapshots without building their graph (no retained sizes) unless
\`--retained-sizes\`; "vs opening snapshot 2" divides by the time to parse and index snapshot 2
alone. Merged paths: every \`Item\` of snapshot 3, after parse, index and retained sizes.
MemLab: \`findLeaksBySnapshotFilePaths(1, 2, 3)\` from \`@memlab/api\` 2.0.5.

${growth}

Targets, two 1.1 GB snapshots: growth ≤ 2.2x the time to open one, peak RSS ≤ 1.6 GB,
≥ 10x faster than MemLab end to end; merged paths of 900,000 instances ≤ 1 s after the
graph is built.
`;
  const markdown = `# Benchmarks

Produced by \`npm run bench\` (\`${command}\`) on ${new Date().toISOString().slice(0, 10)}:
${machine}. Each tool runs in its own process on the same snapshot file (read from the page
cache). Peak RSS is \`process.resourceUsage().maxRSS\` of that process; CPU time is the whole
process's user + system time, all threads (a steadier figure than wall time when other work
shares the cores). ${runs > 1 ? `Median of ${runs} runs.` : 'One run each.'}

${synthetic}${growthSection}
${real}`;
  console.log(`\n${sizes.length ? table : ''}\n${growth === null ? '' : `\n${growth}\n`}\n${programs.length ? realTable : ''}\n`);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, markdown);
  console.error(`wrote ${args.out}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
