// One benchmark run of @vscode/v8-heap-parser 0.1.0 (VS Code's built-in heap
// viewer; Rust compiled to wasm): decode the file, then the retainers of one
// Processor instance. argv: <peersDir> <snapshot> <id>.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const [peers, path, id] = process.argv.slice(2);
const parser = createRequire(`${peers}/package.json`)('@vscode/v8-heap-parser');

const started = performance.now();
const graph = parser.decode_bytes(readFileSync(path));
const groups = graph.get_class_groups(0, 1e9, true);
const group = groups.findIndex((g) => g.name() === 'Processor');
if (group < 0) throw new Error('v8-heap-parser found no Processor class');
const indexed = performance.now();
// Its API pages through a class's instances; find ours by snapshot id.
const count = groups[group].children_len;
let target;
for (let at = 0; at < count && !target; at += 1000) {
  target = graph.class_children(group, at, Math.min(count, at + 1000), parser.WasmSortBy.SelfSize).find((node) => node.id === Number(id));
}
if (!target) throw new Error(`v8-heap-parser found no node @${id}`);
const walkStarted = performance.now();
const retainers = graph.get_all_retainers(target.index, 8);
const walked = performance.now();
console.log(JSON.stringify({ parseIndexMs: indexed - started, firstWalkMs: walked - walkStarted, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: cpuMs(), retainers: retainers.length }));

/** User + system CPU time of this process so far: robust when other work shares the cores. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
