// What the live instruments cost the demo (the bot server of demo/lib, driven
// as test/vscode/suite/fixtures/growingBots.js does): bot loading with and
// without allocation tracking, one instance count (Runtime.queryObjects) of
// ResourceLoader, and one heap-usage reading, each as the program sees it.
//   node --import tsx test/bench/liveCost.ts [node binary]
// Timings on a shared machine are noisy: read them as orders of magnitude.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { InspectorSession } from '../../src/inspector';

const fixture = join(__dirname, '..', 'vscode', 'suite', 'fixtures', 'growingBots.js');
const PORT = 39_871;

function load(count: number): Promise<void> {
  return new Promise((ok, fail) => get(`http://127.0.0.1:${PORT}/load?count=${count}`, (r) => (r.resume(), r.on('end', () => ok()))).on('error', fail));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const node = process.argv[2] ?? process.execPath;
  const child = spawn(node, ['--inspect=127.0.0.1:0', fixture], { env: { ...process.env, PORT: String(PORT), BOTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((ok) => {
    let err = '';
    let out = '';
    const check = () => {
      const m = /ws:\/\/\S+/.exec(err);
      if (m && out.includes('ready')) ok(m[0]);
    };
    child.stderr.on('data', (d) => ((err += d), check()));
    child.stdout.on('data', (d) => ((out += d), check()));
  });
  const session = await InspectorSession.connect({ webSocketUrl: url });
  try {
    await load(5); // warm up
    const plain = [] as number[];
    for (let i = 0; i < 3; i++) plain.push(await timed(() => load(10)));
    await session.startAllocationTracking();
    const tracked = [] as number[];
    for (let i = 0; i < 3; i++) tracked.push(await timed(() => load(10)));
    await session.stopAllocationTracking();
    const usage = [] as number[];
    for (let i = 0; i < 20; i++) usage.push(await timed(() => session.heapUsage()));
    const counts = [] as number[];
    for (let i = 0; i < 5; i++) counts.push(await timed(() => session.countInstances({ constructorExpression: "process.mainModule.require('../../../../demo/lib/resourceLoader').ResourceLoader" })));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bots = await session.countInstances({ constructorExpression: "process.mainModule.require('../../../../demo/lib/resourceLoader').ResourceLoader" });
    console.log(JSON.stringify({
      node: await new Promise((ok) => { const c = spawn(node, ['-v']); let v = ''; c.stdout.on('data', (d) => (v += d)); c.on('close', () => ok(v.trim())); }),
      loadTenBotsMs: { plain: plain.map(Math.round), tracked: tracked.map(Math.round), slowdown: +(median(tracked) / median(plain)).toFixed(1) },
      heapUsageMs: +median(usage).toFixed(2),
      countResourceLoaderMs: Math.round(median(counts)),
      resourceLoaders: bots,
    }));
  } finally {
    await session.close();
    child.kill();
  }
}

void main();
