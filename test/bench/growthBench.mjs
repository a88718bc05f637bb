// Growth and merged paths, timed beside opening one snapshot and beside
// MemLab's leak finding on the same files: snapshots of ONE process that
// grows (a leak plus churn) between them, from generateSeries.mjs. Each run
// in its own process, so its peak RSS is its own. bench.mjs appends the table
// to docs/benchmarks.md; run alone it only prints it:
//
//   node test/bench/growthBench.mjs [--sizes 90000,900000] [--runs 1] [--no-peers]
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { peakRss, seconds } from './format.mjs';
import { generateSeries } from './generateSeries.mjs';
import { installPeers } from './peers.mjs';

const NODE_FLAGS = ['--max-old-space-size=16000'];
const TIMEOUT_MS = 30 * 60 * 1000;

async function bundleRunner() {
  const outfile = resolve('.bench', 'growth-runner.js');
  await esbuild.build({ entryPoints: ['test/bench/runGrowth.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  copyFileSync(resolve('dist', 'helper.js'), resolve('.bench', 'helper.js'));
  return outfile;
}

function run(script, args) {
  const result = spawnSync(process.execPath, [...NODE_FLAGS, script, ...args], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const lastLine = (text) => (text ?? '').trim().split('\n').filter(Boolean).pop() ?? '';
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
    result.signal ? `killed by ${result.signal}` :
    lastLine(stderr).slice(0, 100) || `exit ${result.status}`;
  return { error: reason };
}

/** Median by wall time over `runs` runs. */
function measure(runs, script, args) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = run(script, args);
    if (result.error) return result;
    results.push(result);
  }
  results.sort((a, b) => a.totalMs - b.totalMs);
  return results[Math.floor(results.length / 2)];
}

/**
 * The rows of the growth table for each size; `peers` is .bench/peers with
 * @memlab/api installed, or null to skip MemLab.
 */
export async function growthRows({ sizes, runs, peers }) {
  const runner = await bundleRunner();
  const rows = [];
  for (const n of sizes) {
    const [first, second, third] = generateSeries(n, 3);
    const sizesMB = [first, second, third].map((path) => (statSync(path).size / 1e6).toFixed(0));
    const files = `${sizesMB.join(' / ')} MB`;
    console.error(`\nseries of ${n} items: ${files}`);
    const results = [];
    const add = (what, result, compare) => {
      console.error(`  ${what}`, JSON.stringify(result));
      results.push({ what, result, compare });
    };
    const open2 = measure(runs, runner, ['open', second]);
    add('open snapshot 2 (parse + index)', open2);
    add('open snapshot 2 + retained sizes', measure(runs, runner, ['open', second, '--retained']), open2);
    add('growth 1 → 2', measure(runs, runner, ['growth', first, second]), open2);
    add('growth 1 → 2 → 3', measure(runs, runner, ['growth', first, second, third]), open2);
    add('growth 1 → 2, --retained-sizes', measure(runs, runner, ['growth', first, second, '--retained']), open2);
    const paths = measure(runs, runner, ['paths', third, 'Item']);
    add(`merged paths of every Item in snapshot 3${paths.objects ? ` (${paths.objects.toLocaleString('en-US')})` : ''}`, paths);
    let memlab = null;
    if (peers) {
      const workDir = resolve('.bench', 'memlab-work');
      rmSync(workDir, { recursive: true, force: true });
      memlab = measure(1, resolve('test/bench/runMemlabLeaks.mjs'), [peers, first, second, third, workDir]);
      add('MemLab findLeaksBySnapshotFilePaths(1, 2, 3)', memlab);
    }
    const growth3 = results.find((r) => r.what === 'growth 1 → 2 → 3').result;
    for (const { what, result, compare } of results) {
      if (result.error) {
        rows.push(`| ${files} | ${what} | fails (${result.error}) | | | | |`);
        continue;
      }
      const vsOpen = compare && !compare.error ? `${(result.totalMs / compare.totalMs).toFixed(2)}x` : '';
      const vsMemlab = memlab && !memlab.error && result === growth3 ? `${(memlab.totalMs / result.totalMs).toFixed(1)}x faster` : result === memlab ? '1x' : '';
      const extra = result.mergeMs !== undefined ? ` (merge ${seconds(result.mergeMs)}, ${seconds(result.mergeCpuMs)} CPU, after ${seconds(result.builtMs)} to build)` : result.leaks !== undefined ? ` (${result.leaks} leak traces)` : '';
      rows.push(`| ${files} | ${what} | ${seconds(result.totalMs)}${extra} | ${seconds(result.cpuMs)} | ${peakRss(result.maxRssMB)} | ${vsOpen} | ${vsMemlab} |`);
    }
  }
  return rows;
}

export function growthTable(rows) {
  return ['| snapshots | run | wall time | CPU time | peak RSS | vs opening snapshot 2 | vs MemLab (3 snapshots) |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('test/bench/growthBench.mjs')) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '90000' }, runs: { type: 'string', default: '1' }, 'no-peers': { type: 'boolean', default: false } } });
  const peers = values['no-peers'] ? null : installPeers();
  const rows = await growthRows({ sizes: values.sizes.split(',').map(Number), runs: Math.max(1, Number(values.runs)), peers });
  console.log(`\n${growthTable(rows)}\n`);
}
