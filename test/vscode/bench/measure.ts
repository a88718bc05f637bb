// Runs inside a real VS Code extension host (test/bench/extensionHostBench.ts
// loads it as extensionTestsPath): a live capture through the extension's own
// path (Attach → inspector chunks → engine worker → walk → graph panel), then
// a growth recording of the same process after it grew. Writes what it saw
// (the extension's log marks and lines, when the commands returned) to the
// JSON file named by RETAINER_GRAPH_BENCH_OUT; the outer script adds when the
// graph's page drew the walk.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RetainerGraphTestApi } from '../../../src/extension/main';

/**
 * The synthetic heap of test/bench/generate.mjs, kept alive; on stdin "grow N"
 * adds N items and "queue N" N small jobs (nine in ten in a static map, the
 * rest in a global array): a class with many new objects for merged paths.
 */
const PROGRAM = String.raw`
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
class Job {
  static queued = new Map();
  constructor(i) { this.id = i; this.payload = { attempt: 0, at: i }; }
}
const items = [];
const recentJobs = [];
let jobCount = 0;
function queue(count) {
  for (let end = jobCount + count; jobCount < end; jobCount++) {
    const job = new Job(jobCount);
    if (jobCount % 10 === 9) recentJobs.push(job);
    else Job.queued.set(jobCount, job);
  }
}
function grow(count) {
  for (let i = items.length, end = items.length + count; i < end; i++) {
    const item = new Item(i);
    items.push(item);
    if (i % 50 === 0) Processor.instances.set('bot' + i, new Processor(i, item));
  }
}
grow(Number(process.argv[1]));
globalThis.benchItems = items;
globalThis.Processor = Processor;
globalThis.recentJobs = recentJobs;
let input = '';
process.stdin.on('data', (data) => {
  input += data;
  for (let at = input.indexOf('\n'); at >= 0; at = input.indexOf('\n')) {
    const [command, count] = input.slice(0, at).split(' ');
    input = input.slice(at + 1);
    if (command === 'grow') { grow(Number(count)); process.stdout.write('grown\n'); }
    if (command === 'queue') { queue(Number(count)); process.stdout.write('queued\n'); }
  }
});
process.stdout.write('ready\n');
`;

/** New objects of one class between the two snapshots of the recording. */
const NEW_JOBS = 100_000;

export async function run(): Promise<void> {
  const out = process.env.RETAINER_GRAPH_BENCH_OUT;
  const items = Number(process.env.RETAINER_GRAPH_BENCH_ITEMS ?? 90_000);
  if (!out) throw new Error('RETAINER_GRAPH_BENCH_OUT names the results file');
  const extension = vscode.extensions.getExtension<RetainerGraphTestApi>('retainer-graph.retainer-graph');
  const api = await extension!.activate();
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '--max-old-space-size=16000', '-e', PROGRAM, String(items)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += String(data)));
  child.stderr.on('data', (data) => (stderr += String(data)));
  const until = async (what: string, test: () => boolean) => {
    const deadline = Date.now() + 10 * 60_000;
    while (!test()) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await until('inspector', () => /ws:\/\/\S+/.test(stderr) && stdout.includes('ready'));
    const webSocketUrl = /ws:\/\/\S+/.exec(stderr)![0];
    const { hostname, port } = new URL(webSocketUrl);

    const attached = await vscode.commands.executeCommand<{ walk: { nodes: unknown[] } } | undefined>('retainerGraph.attach', { webSocketUrl, expression: 'Processor.instances.get("bot0")' });
    const shownAt = Date.now();
    if (!attached) throw new Error(`attach failed: ${JSON.stringify(api.messages().slice(-2))}`);
    const capture = { lastChunkAt: api.logMarks()['last chunk'], shownAt, walkNodes: attached.walk.nodes.length, log: api.logLines().slice(-7) };
    // The page draws the walk meanwhile (the outer script watches it).
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const target = { kind: 'inspector', host: hostname, port: Number(port), webSocketUrl };
    if (!(await vscode.commands.executeCommand('retainerGraph.recordGrowth', { target }))) throw new Error(`recording failed: ${JSON.stringify(api.messages().slice(-2))}`);
    stdout = '';
    child.stdin.write(`grow ${Math.round(items / 10)}\nqueue ${NEW_JOBS}\n`);
    await until('growth', () => stdout.includes('grown') && stdout.includes('queued'));
    const next = await vscode.commands.executeCommand<{ report: { suspects: { label: string }[] } | null } | undefined>('retainerGraph.takeNextSnapshot');
    if (!next?.report) throw new Error(`the next snapshot failed: ${JSON.stringify(api.messages().slice(-2))}`);
    const marks = api.logMarks();
    const growth = { lastChunkAt: marks['last chunk'], reportAt: marks['growth report'], firstSuspect: next.report.suspects[0]?.label, log: api.logLines().slice(-9) };
    // The outer script clicks Job in the Growth view and times its merged paths, then says so.
    const clicked = `${out}.clicked`;
    const deadline = Date.now() + 5 * 60_000;
    while (!existsSync(clicked) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await vscode.commands.executeCommand('retainerGraph.stopRecording');
    writeFileSync(out, JSON.stringify({ items, capture, growth }, null, 2));
  } finally {
    child.kill();
  }
}
