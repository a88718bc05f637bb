// The real-program corpus of `npm run bench`: snapshots of npm packages doing
// real work (test/bench/fixtures/), generated into .bench/real/ on first use,
// each measured with this engine (first walk; everything DevTools computes at
// load), Chrome DevTools' own code (heap-snapshot-toolkit: its load, then the
// summary view's class aggregates) and @memlab/core (parse, shortest paths,
// the same object's trace), each tool in its own process.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { peakRss, seconds, timesFile } from './format.mjs';

/** name → program, its argument (size knob), the class whose first instance is walked, and roughly how big it comes out. */
export const REAL_PROGRAMS = {
  markdown: { program: 'markdown.mjs', argument: '7000', walk: 'DocRenderer', about: 'an ES-module Markdown renderer (marked, lru-cache), 7,000 pages' },
  eslint: { program: 'eslint.cjs', argument: '68', walk: 'Linter', about: 'ESLint 9 linting 68 of its own files, SourceCode kept' },
  typescriptProgram: { program: 'typescriptProgram.cjs', argument: '', walk: 'SourceFileObject', about: "the TypeScript compiler holding a checked Program (this project's src)" },
  typescriptDeclarations: { program: 'typescriptDeclarations.cjs', argument: '1560', walk: 'SourceFileObject', about: 'the TypeScript compiler over 1,560 declaration files from node_modules (@types/*, @azure/*, @typescript-eslint/*, …)' },
};

export function realSnapshotPath(name) {
  return resolve('.bench', 'real', `${name}.heapsnapshot`);
}

/** Writes .bench/real/<name>.heapsnapshot by running the program (cached: an existing file is kept). */
export function generateReal(name) {
  const path = realSnapshotPath(name);
  if (existsSync(path)) return path;
  const { program, argument } = REAL_PROGRAMS[name];
  mkdirSync(resolve('.bench', 'real'), { recursive: true });
  const partial = `${path}.partial`;
  const started = Date.now();
  const args = ['--max-old-space-size=16000', resolve('test', 'bench', 'fixtures', program), partial, resolve('.'), ...(argument ? [argument] : [])];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: resolve('.') });
  if (result.status !== 0) throw new Error(`generating ${path} failed (exit ${result.status})`);
  renameSync(partial, path);
  console.error(`wrote ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return path;
}

/** A walk as wide as a user may set it (the CLI's --depth and --fan-out). */
const WIDE_WALK = { depth: 12, fanOut: 30 };

/** The item whose `time` is the median. */
const medianBy = (items, time) => [...items].sort((a, b) => time(a) - time(b))[Math.floor(items.length / 2)];

/**
 * How many times faster this engine is, as the median of each round's ratio:
 * the tools run in turn in every round, so a machine that slows down for a
 * minute (these VMs do, by 20 % and more) slows both sides of a ratio alike.
 */
function ratio(rounds, theirs, ours) {
  return `${medianBy(rounds.map((round) => theirs(round) / ours(round)), (value) => value).toFixed(1)}x`;
}

/**
 * Reads `path` through once, so every tool starts from a file in the page
 * cache: a peer that ran before (MemLab takes GBs) can push a GB snapshot out
 * of it, and the next tool would be timed reading the disk, not parsing.
 */
function readThrough(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(16 << 20);
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Measures every real program in `names`; returns the markdown table rows.
 * `runTool(script, args)` runs one tool once; each of `runs` rounds runs every
 * tool in turn (medians shown, ratios per round: see `ratio`);
 * `engineRunner` is the bundled test/bench/runEngine.ts.
 */
export function benchReal({ names, runTool: runCold, runs, engineRunner, peers }) {
  const rows = [];
  for (const name of names) {
    const path = generateReal(name);
    const run = (script, args) => {
      readThrough(path);
      const result = runCold(script, args);
      if (result.error && script === engineRunner) throw new Error(`this engine failed on ${path}: ${result.error}`);
      return result;
    };
    const fileBytes = statSync(path).size;
    const fileMB = fileBytes / 1e6;
    console.error(`\n${path} (${fileMB.toFixed(0)} MB)`);
    const { walk: className } = REAL_PROGRAMS[name];
    const rounds = [];
    for (let i = 0; i < runs; i++) {
      const walk = run(engineRunner, [path, '--class', className]);
      const all = run(engineRunner, [path, '--class', className, '--all']);
      // A walk as wide as a user may ask for: its own time, the graph already built.
      const wide = run(engineRunner, [path, '--class', className, '--depth', String(WIDE_WALK.depth), '--fan-out', String(WIDE_WALK.fanOut)]);
      const devtools = run(resolve('test', 'bench', 'runDevTools.mjs'), [path]);
      const memlab = peers ? run(resolve('test', 'bench', 'runMemlab.mjs'), [peers, path, String(walk.id)]) : { error: 'not run (--no-peers)' };
      const round = { walk, all, wide, devtools, memlab };
      for (const [tool, result] of Object.entries(round)) console.error(`  round ${i + 1}, ${tool}`, JSON.stringify(result));
      rounds.push(round);
    }
    const firstWalkOf = (round) => round.walk.parseIndexMs + round.walk.firstWalkMs;
    const memlabWalkOf = (round) => round.memlab.parseIndexMs + round.memlab.firstWalkMs;
    // The round whose result is the median, per tool (by the time its row shows).
    const medianOf = (tool, time) => medianBy(rounds, time)[tool];
    const walk = medianOf('walk', firstWalkOf);
    const all = medianOf('all', (round) => round.all.allMs);
    const wide = medianOf('wide', (round) => round.wide.firstWalkMs);
    const failed = (tool) => rounds.find((round) => round[tool].error)?.[tool].error;
    const devtools = failed('devtools') ? undefined : medianOf('devtools', (round) => round.devtools.allMs);
    const memlab = failed('memlab') ? undefined : medianOf('memlab', memlabWalkOf);
    const heap = `${name}: ${fileMB.toFixed(0)} MB, ${(walk.nodes / 1e6).toFixed(2)} M nodes, ${(walk.edges / 1e6).toFixed(2)} M edges`;
    const firstWalk = firstWalkOf({ walk });
    rows.push(`| ${heap} | Retainer Graph: parse + index + first walk | ${seconds(firstWalk)} | ${seconds(walk.cpuMs)} | ${peakRss(walk.maxRssMB)} (${timesFile(walk.maxRssMB, fileBytes)}) | 1x |`);
    rows.push(`| | Retainer Graph: + everything DevTools computes at load | ${seconds(all.allMs)} | ${seconds(all.cpuMs)} | ${peakRss(all.maxRssMB)} (${timesFile(all.maxRssMB, fileBytes)}) | 1x |`);
    rows.push(`| | Retainer Graph: the walk alone at depth ${WIDE_WALK.depth}, fan-out ${WIDE_WALK.fanOut} (${wide.walkNodes.toLocaleString('en-US')} nodes; the first walk's is depth 8, fan-out 10) | ${wide.firstWalkMs < 1000 ? `${wide.firstWalkMs.toFixed(0)} ms` : seconds(wide.firstWalkMs)} | | | |`);
    rows.push(
      devtools === undefined
        ? `| | DevTools (heap-snapshot-toolkit) | fails (${failed('devtools')}) | | | |`
        : `| | DevTools (heap-snapshot-toolkit): load / + summary | ${seconds(devtools.loadMs)} / ${seconds(devtools.allMs)} | ${seconds(devtools.loadCpuMs)} / ${seconds(devtools.cpuMs)} | ${peakRss(devtools.maxRssMB)} | load: ${ratio(rounds, (r) => r.devtools.loadMs, firstWalkOf)} (CPU ${ratio(rounds, (r) => r.devtools.loadCpuMs, (r) => r.walk.cpuMs)}) the first walk; all: ${ratio(rounds, (r) => r.devtools.allMs, (r) => r.all.allMs)} (CPU ${ratio(rounds, (r) => r.devtools.cpuMs, (r) => r.all.cpuMs)}) everything |`,
    );
    rows.push(
      memlab === undefined
        ? `| | @memlab/core 2.0.5 | fails (${failed('memlab')}) | | | |`
        : `| | @memlab/core 2.0.5: parse + index + first walk | ${seconds(memlabWalkOf({ memlab }))} | ${seconds(memlab.cpuMs)} | ${peakRss(memlab.maxRssMB)} | ${ratio(rounds, memlabWalkOf, firstWalkOf)} (CPU ${ratio(rounds, (r) => r.memlab.cpuMs, (r) => r.walk.cpuMs)}) the first walk |`,
    );
  }
  return rows;
}
