// Writes .bench/heap-<N>.heapsnapshot from a synthetic heap (performance.md):
// N items of mixed objects, arrays, strings, closures and Maps, and a class
// whose `static instances = new Map()` holds every 50th item — the leak the
// benchmark walks. N = 90 000 gives ~100 MB, N = 900 000 ~1 GB.
// Usage: node test/bench/generate.mjs <N>   (cached: skips an existing file)
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The program V8 snapshots; runs in its own process with a big old space. */
const HEAP_PROGRAM = String.raw`
const v8 = require('v8');
const n = Number(process.argv[1]);
const out = process.argv[2];
class Processor {
  static instances = new Map();
  constructor(i, payload) { this.id = 'proc-' + i; this.payload = payload; this.createdAt = i; }
}
class Item {
  constructor(i) {
    this.index = i;
    this.label = 'item #' + i + ' of the synthetic heap';
    this.tags = ['t' + (i % 97), 't' + (i % 89)];
    this.nested = { depth: 1, value: i * 0.5 };
    this.lookup = new Map([['a', i], ['b', String(i)]]);
    const captured = { big: new Array(4).fill(i) };
    this.onTick = () => captured.big.length + i;
  }
}
const items = [];
for (let i = 0; i < n; i++) {
  const item = new Item(i);
  items.push(item);
  if (i % 50 === 0) Processor.instances.set('bot' + i, new Processor(i, item));
}
globalThis.benchItems = items;
globalThis.Processor = Processor;
v8.writeHeapSnapshot(out);
`;

export function snapshotPath(n) {
  return resolve('.bench', `heap-${n}.heapsnapshot`);
}

export function generate(n) {
  const path = snapshotPath(n);
  if (existsSync(path)) return path;
  mkdirSync('.bench', { recursive: true });
  const partial = `${path}.partial`;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--max-old-space-size=16000', '-e', HEAP_PROGRAM, String(n), partial], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`generating ${path} failed (exit ${result.status})`);
  renameSync(partial, path);
  console.error(`wrote ${path} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(join('test', 'bench', 'generate.mjs'))) {
  const n = Number(process.argv[2] ?? 90000);
  console.log(generate(n));
}
