// What the live instruments cost the debuggee, measured on the demo (the leaky
// bot server): its CPU time (utime + stime from /proc, 10 ms ticks) and wall
// time, never ours. Prints markdown rows for docs/live.md.
//
//   npm run bench -- --live [--node <binary>] [--runs 3]
//   (or: node --import tsx test/bench/liveCost.ts [--node <binary>] [--runs 3])
//
// - allocation tracking: 40 bots loaded through GET /load (each builds a
//   ResourceLoader: 8,000 templates, a Map, 2,000 strings), attached without
//   tracking vs with InspectorSession.startAllocationTracking; and 10 s idle.
// - Runtime.getHeapUsage: 2,000 calls back to back (cost per call), and once a
//   second for 30 s against 30 s unpolled.
// - Runtime.queryObjects count and checkAlive: per call, at 30 and 150 bots.
// Linux only (/proc). Each measurement starts a fresh demo.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InspectorSession } from '../../src/inspector/index';

const { values } = parseArgs({
  options: {
    node: { type: 'string', default: process.execPath },
    runs: { type: 'string', default: '3' },
    // Bots loaded before counting and checking (~2.2 MB of heap each: 470 ≈ 1 GB), and before polling heap usage.
    bots: { type: 'string', default: '30,150' },
    'usage-bots': { type: 'string', default: '30' },
    only: { type: 'string', default: 'allocations,usage,counts' },
  },
});
const countBots = values.bots!.split(',').map(Number);
const usageBots = Number(values['usage-bots']);
const parts = new Set(values.only!.split(','));
const node = values.node!;
const runs = Number(values.runs);
const server = join(__dirname, '..', '..', 'demo', 'server.js');

interface Demo {
  child: ChildProcess;
  httpPort: number;
  session: InspectorSession;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startDemo(): Promise<Demo> {
  const httpPort = await freePort();
  const child = spawn(node, ['--inspect=127.0.0.1:0', server], { env: { ...process.env, PORT: String(httpPort), BOT_INTERVAL_MS: '3600000', MAX_BOTS: '100000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve) => {
    let text = '';
    child.stderr!.on('data', (data: Buffer) => {
      text += data.toString();
      const match = /ws:\/\/\S+/.exec(text);
      if (match) resolve(match[0]);
    });
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (data: Buffer) => data.toString().includes('leaky bot server') && resolve()));
  const session = await InspectorSession.connect({ webSocketUrl: url });
  return {
    child,
    httpPort,
    session,
    async stop() {
      await session.close();
      child.kill('SIGKILL');
    },
  };
}

/** The target's CPU time so far, in ms. */
function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

async function loadBots(demo: Demo, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await get(demo.httpPort, '/load');
}

async function measure<T>(demo: Demo, work: () => Promise<T>): Promise<{ cpu: number; wall: number; value: T }> {
  const cpu = cpuMs(demo.child);
  const started = performance.now();
  const value = await work();
  return { wall: performance.now() - started, cpu: cpuMs(demo.child) - cpu, value };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const range = (values: number[], digits = 0) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

async function allocationTracking(): Promise<string[]> {
  const plain = { cpu: [] as number[], wall: [] as number[], idle: [] as number[] };
  const tracked = { cpu: [] as number[], wall: [] as number[], idle: [] as number[] };
  for (let run = 0; run < runs; run++) {
    for (const [rows, track] of [[plain, false], [tracked, true]] as const) {
      const demo = await startDemo();
      try {
        if (track) await demo.session.startAllocationTracking();
        const loads = await measure(demo, () => loadBots(demo, 40));
        rows.cpu.push(loads.cpu);
        rows.wall.push(loads.wall);
        rows.idle.push((await measure(demo, () => sleep(10_000))).cpu);
      } finally {
        await demo.stop();
      }
    }
  }
  return [
    `| 40 bots loaded (GET /load), attached, no tracking | ${range(plain.cpu)} ms | ${range(plain.wall)} ms |`,
    `| the same with allocation tracking | ${range(tracked.cpu)} ms | ${range(tracked.wall)} ms |`,
    `| 10 s idle, attached, no tracking | ${range(plain.idle)} ms | |`,
    `| 10 s idle with allocation tracking | ${range(tracked.idle)} ms | |`,
  ];
}

async function heapUsage(): Promise<string[]> {
  const perCall: number[] = [];
  const wallPerCall: number[] = [];
  const polled: number[] = [];
  const unpolled: number[] = [];
  for (let run = 0; run < runs; run++) {
    const demo = await startDemo();
    try {
      await loadBots(demo, usageBots - 1);
      const burst = await measure(demo, async () => {
        for (let i = 0; i < 2000; i++) await demo.session.heapUsage();
      });
      perCall.push((burst.cpu * 1000) / 2000);
      wallPerCall.push((burst.wall * 1000) / 2000);
      unpolled.push((await measure(demo, () => sleep(30_000))).cpu);
      polled.push(
        (
          await measure(demo, async () => {
            for (let i = 0; i < 30; i++) {
              await demo.session.heapUsage();
              await sleep(1000);
            }
          })
        ).cpu,
      );
    } finally {
      await demo.stop();
    }
  }
  return [
    `| Runtime.getHeapUsage, per call (2,000 back to back), ${usageBots} bots | ${range(perCall)} µs | ${range(wallPerCall)} µs |`,
    `| 30 s idle, not polled, ${usageBots} bots | ${range(unpolled)} ms | |`,
    `| 30 s idle, getHeapUsage once a second, ${usageBots} bots | ${range(polled)} ms | |`,
  ];
}

async function countsAndChecks(): Promise<string[]> {
  const rows: string[] = [];
  for (const bots of countBots) {
    const count = { cpu: [] as number[], wall: [] as number[] };
    const check = { cpu: [] as number[], wall: [] as number[] };
    let usedMB = 0;
    for (let run = 0; run < runs; run++) {
      const demo = await startDemo();
      try {
        await loadBots(demo, bots - 1);
        usedMB = (await demo.session.heapUsage()).usedSize / 1048576;
        const of = { constructorExpression: 'process.mainModule.require("./lib/resourceLoader").ResourceLoader' };
        for (let i = 0; i < 5; i++) {
          const m = await measure(demo, () => demo.session.countInstances(of));
          if (m.value !== bots) throw new Error(`counted ${m.value} ResourceLoader, expected ${bots}`);
          count.cpu.push(m.cpu);
          count.wall.push(m.wall);
        }
        const [id] = await demo.session.captureSnapshot([await demo.session.evaluate('process.mainModule.require("./lib/processor").Processor.instanceMap.get("bot1")')]);
        for (let i = 0; i < 5; i++) {
          const m = await measure(demo, () => demo.session.checkAlive([id]));
          check.cpu.push(m.cpu);
          check.wall.push(m.wall);
        }
      } finally {
        await demo.stop();
      }
    }
    rows.push(`| count ResourceLoader (Runtime.queryObjects), ${bots} bots, ${usedMB.toFixed(0)} MB used | ${range(count.cpu)} ms | ${range(count.wall)} ms |`);
    rows.push(`| checkAlive of one id (collectGarbage + lookup), ${bots} bots | ${range(check.cpu)} ms | ${range(check.wall)} ms |`);
  }
  return rows;
}

async function main(): Promise<void> {
  const version = await new Promise<string>((resolve) => {
    const child = spawn(node, ['-p', 'process.version']);
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.on('exit', () => resolve(out.trim()));
  });
  console.log(`Node ${version}, ${runs} runs each: median (min–max)\n`);
  console.log('| what | target CPU | wall |');
  console.log('| --- | --- | --- |');
  const all = { allocations: allocationTracking, usage: heapUsage, counts: countsAndChecks };
  for (const [name, part] of Object.entries(all)) if (parts.has(name)) for (const row of await part()) console.log(row);
}

void main();
