// Latency of the extension's own live path, measured in a real VS Code (the
// VS Code server + headless Chromium of the test harness):
//  - from V8's last chunk to the retainer graph drawn by the webview (Attach
//    on a live synthetic heap: engine worker fed by CDP chunks → walk → panel);
//  - from the last chunk of a growth recording's second snapshot to the
//    growth report posted to the Growth view.
// The extension host side (test/vscode/bench/measure.ts) records when the
// last chunk arrived; this script watches the graph page for its first
// `rg:render-end` mark (webview/timing.ts), on the same clock.
// Usage: node --import tsx test/bench/extensionHostBench.ts [items]   (90000 ≈ 100 MB)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { provideChromium, provision } from '../harness/provision';
import { startVSCodeServer } from '../harness/vscodeServer';

const repoRoot = resolve(__dirname, '..', '..');
const items = Number(process.argv[2] ?? 90_000);

interface Results {
  items: number;
  capture: { lastChunkAt: number; shownAt: number; walkNodes: number; log: string[] };
  growth: { lastChunkAt: number; reportAt: number; firstSuspect: string; log: string[] };
}

/** The first time any frame of the page marks `rg:render-end` (epoch ms), polled while `done` is pending. */
async function firstRenderEnd(page: Page, done: Promise<unknown>): Promise<number | undefined> {
  let first: number | undefined;
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    for (const frame of page.frames()) {
      const at = await frame
        .evaluate(() => {
          const entry = performance.getEntriesByName('rg:render-end')[0];
          return entry ? performance.timeOrigin + entry.startTime : null;
        })
        .catch(() => null);
      if (at !== null && (first === undefined || at < first)) first = at;
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  return first;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  const measure = join(repoRoot, 'out', 'bench', 'measure.js');
  await esbuild.build({ entryPoints: [join(repoRoot, 'test', 'vscode', 'bench', 'measure.ts')], outfile: measure, bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'warning' });
  const resultsFile = join(mkdtempSync(join(tmpdir(), 'retainer-graph-bench-')), 'results.json');
  const provisioned = await provision();
  const server = await startVSCodeServer({ provisioned, smokeTestDriver: true, env: { RETAINER_GRAPH_BENCH_OUT: resultsFile, RETAINER_GRAPH_BENCH_ITEMS: String(items) } });
  const browser = await launchChromium(provideChromium());
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const exited = new Promise<number>((ok) => void page.exposeFunction('codeAutomationExit', (code: number) => ok(Number(code))));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => console.error(String(Array.isArray(args) ? args.join(' ') : args)));
    await page.goto(
      server.folderUrl(join(repoRoot, 'demo'), [
        ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
        ['extensionTestsPath', server.remoteUri(measure)],
        ['skipWelcome', 'true'],
      ]),
    );
    const renderEnd = await firstRenderEnd(page, exited);
    const code = await exited;
    if (code !== 0) throw new Error(`the measurement failed in the extension host (exit ${code}); see its output above`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results;
    const { capture, growth } = results;
    console.log(capture.log.join('\n'));
    console.log(growth.log.join('\n'));
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\n${items} items, walk of ${capture.walkNodes} nodes`);
    console.log(`live capture: last chunk → graph shown (host): ${seconds(capture.shownAt - capture.lastChunkAt)}; → drawn by the page: ${renderEnd ? seconds(renderEnd - capture.lastChunkAt) : 'not seen'}`);
    console.log(`growth, second snapshot: last chunk → report posted to the Growth view: ${seconds(growth.reportAt - growth.lastChunkAt)} (first suspect ${growth.firstSuspect})`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
