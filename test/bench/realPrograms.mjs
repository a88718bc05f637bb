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

const ratio = (theirs, ours) => `${(theirs / ours).toFixed(1)}x`;

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
 * `measure(script, args)` runs one tool (median of the bench's runs);
 * `engineRunner` is the bundled test/bench/runEngine.ts.
 */
export function benchReal({ names, measure: measureCold, engineRunner, peers }) {
  const rows = [];
  for (const name of names) {
    const path = generateReal(name);
    const measure = (script, args, key) => {
      readThrough(path);
      return measureCold(script, args, key);
    };
    const fileBytes = statSync(path).size;
    const fileMB = fileBytes / 1e6;
    console.error(`\n${path} (${fileMB.toFixed(0)} MB)`);
    const walk = measure(engineRunner, [path, '--class', REAL_PROGRAMS[name].walk]);
    console.error('  this engine, first walk', JSON.stringify(walk));
    if (walk.error) throw new Error(`this engine failed on ${path}: ${walk.error}`);
    const all = measure(engineRunner, [path, '--class', REAL_PROGRAMS[name].walk, '--all'], 'allMs');
    console.error('  this engine, everything', JSON.stringify(all));
    if (all.error) throw new Error(`this engine failed on ${path}: ${all.error}`);
    // A walk as wide as a user may ask for: its own time, the graph already built.
    const wide = measure(engineRunner, [path, '--class', REAL_PROGRAMS[name].walk, '--depth', String(WIDE_WALK.depth), '--fan-out', String(WIDE_WALK.fanOut)], 'firstWalkMs');
    console.error('  this engine, wide walk', JSON.stringify(wide));
    if (wide.error) throw new Error(`this engine failed on ${path}: ${wide.error}`);
    const devtools = measure(resolve('test', 'bench', 'runDevTools.mjs'), [path], 'allMs');
    console.error('  DevTools', JSON.stringify(devtools));
    const memlab = peers ? measure(resolve('test', 'bench', 'runMemlab.mjs'), [peers, path, String(walk.id)]) : { error: 'not run (--no-peers)' };
    console.error('  memlab', JSON.stringify(memlab));
    const heap = `${name}: ${fileMB.toFixed(0)} MB, ${(walk.nodes / 1e6).toFixed(2)} M nodes, ${(walk.edges / 1e6).toFixed(2)} M edges`;
    const firstWalk = walk.parseIndexMs + walk.firstWalkMs;
    const failed = (result) => (result.error ? `fails (${result.error})` : undefined);
    rows.push(`| ${heap} | Retainer Graph: parse + index + first walk | ${seconds(firstWalk)} | ${seconds(walk.cpuMs)} | ${peakRss(walk.maxRssMB)} (${timesFile(walk.maxRssMB, fileBytes)}) | 1x |`);
    rows.push(`| | Retainer Graph: + everything DevTools computes at load | ${seconds(all.allMs)} | ${seconds(all.cpuMs)} | ${peakRss(all.maxRssMB)} (${timesFile(all.maxRssMB, fileBytes)}) | 1x |`);
    rows.push(`| | Retainer Graph: the walk alone at depth ${WIDE_WALK.depth}, fan-out ${WIDE_WALK.fanOut} (${wide.walkNodes.toLocaleString('en-US')} nodes; the first walk's is depth 8, fan-out 10) | ${wide.firstWalkMs < 1000 ? `${wide.firstWalkMs.toFixed(0)} ms` : seconds(wide.firstWalkMs)} | | | |`);
    rows.push(
      failed(devtools)
        ? `| | DevTools (heap-snapshot-toolkit) | ${failed(devtools)} | | | |`
        : `| | DevTools (heap-snapshot-toolkit): load / + summary | ${seconds(devtools.loadMs)} / ${seconds(devtools.allMs)} | ${seconds(devtools.loadCpuMs)} / ${seconds(devtools.cpuMs)} | ${peakRss(devtools.maxRssMB)} | load: ${ratio(devtools.loadMs, firstWalk)} (CPU ${ratio(devtools.loadCpuMs, walk.cpuMs)}) the first walk; all: ${ratio(devtools.allMs, all.allMs)} (CPU ${ratio(devtools.cpuMs, all.cpuMs)}) everything |`,
    );
    rows.push(
      failed(memlab)
        ? `| | @memlab/core 2.0.5 | ${failed(memlab)} | | | |`
        : `| | @memlab/core 2.0.5: parse + index + first walk | ${seconds(memlab.parseIndexMs + memlab.firstWalkMs)} | ${seconds(memlab.cpuMs)} | ${peakRss(memlab.maxRssMB)} | ${ratio(memlab.parseIndexMs + memlab.firstWalkMs, firstWalk)} (CPU ${ratio(memlab.cpuMs, walk.cpuMs)}) the first walk |`,
    );
  }
  return rows;
}
