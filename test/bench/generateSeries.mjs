// Writes .bench/series-<N>-1.heapsnapshot … -<count> : snapshots of ONE
// process whose heap grows between them. The heap is generate.mjs's (N items
// of mixed objects, a class-static Map holding every 50th), then between two
// snapshots: a leak (N/10 more items kept by globalThis.benchItems, every 50th
// also by Processor.instances) and churn (a 5,000-entry cache replaces all its
// entries; 10 % of the items swap their `nested` object for a new one).
// N = 90 000 gives ~100 MB per snapshot, N = 900 000 ~1.1 GB.
// Usage: node test/bench/generateSeries.mjs <N> [count]   (cached: skips existing files)
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const SERIES_PROGRAM = String.raw`
const v8 = require('v8');
const n = Number(process.argv[1]);
const count = Number(process.argv[2]);
const prefix = process.argv[3];
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
class CacheEntry {
  constructor(key) { this.key = key; this.value = { at: key, text: 'cached ' + key }; }
}
const items = [];
const cache = new Map();
let made = 0;
let cached = 0;
function addItems(howMany) {
  for (let k = 0; k < howMany; k++, made++) {
    const item = new Item(made);
    items.push(item);
    if (made % 50 === 0) Processor.instances.set('bot' + made, new Processor(made, item));
  }
}
function churn() {
  for (let k = 0; k < 5000; k++, cached++) {
    cache.set(cached, new CacheEntry(cached));
    if (cache.size > 5000) cache.delete(cache.keys().next().value);
  }
  for (let k = 0; k < items.length; k += 10) items[k].nested = { depth: 1, value: k };
}
addItems(n);
churn();
globalThis.benchItems = items;
globalThis.benchCache = cache;
globalThis.Processor = Processor;
for (let s = 1; s <= count; s++) {
  if (s > 1) {
    addItems(n / 10);
    churn();
  }
  v8.writeHeapSnapshot(prefix + '-' + s + '.heapsnapshot.partial');
}
`;

export function seriesPaths(n, count) {
  return Array.from({ length: count }, (_, i) => resolve('.bench', `series-${n}-${i + 1}.heapsnapshot`));
}

/** The paths of `count` snapshots of one growing process with about `n` items. */
export function generateSeries(n, count = 3) {
  const paths = seriesPaths(n, count);
  if (paths.every((path) => existsSync(path))) return paths;
  mkdirSync('.bench', { recursive: true });
  const prefix = resolve('.bench', `series-${n}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--max-old-space-size=16000', '-e', SERIES_PROGRAM, String(n), String(count), prefix], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`generating ${prefix}-* failed (exit ${result.status})`);
  for (const path of paths) renameSync(`${path}.partial`, path);
  console.error(`wrote ${paths.length} snapshots ${prefix}-* in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(join('test', 'bench', 'generateSeries.mjs'))) {
  console.log(generateSeries(Number(process.argv[2] ?? 90000), Number(process.argv[3] ?? 3)).join('\n'));
}
