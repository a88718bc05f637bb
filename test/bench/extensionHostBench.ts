// Latency of the extension's own live path, measured in a real VS Code (the
// VS Code server + headless Chromium of the test harness):
//  - from V8's last chunk to the retainer graph drawn by the webview (Attach
//    on a live synthetic heap: engine worker fed by CDP chunks → walk → panel);
//  - from the last chunk of a growth recording's second snapshot to the
//    growth report posted to the Growth view, and drawn by it;
//  - from a click on a class with 100,000 new objects (Job) in the Growth
//    view to its merged paths drawn.
// The extension host side (test/vscode/bench/measure.ts) records when the
// last chunk arrived; this script watches the graph page for its first
// `rg:render-end` mark (webview/timing.ts), on the same clock.
// Usage: node --import tsx test/bench/extensionHostBench.ts [items]   (90000 ≈ 100 MB)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { provideChromium, provision } from '../harness/provision';
import { startVSCodeServer } from '../harness/vscodeServer';
import { webviewFrame } from '../harness/workbench';

const repoRoot = resolve(__dirname, '..', '..');
const items = Number(process.argv[2] ?? 90_000);

interface Results {
  items: number;
  capture: { lastChunkAt: number; shownAt: number; walkNodes: number; log: string[] };
  growth: { lastChunkAt: number; reportAt: number; firstSuspect: string; log: string[] };
}

/** The first time any frame of the page made each of `names` (epoch ms), polled while `done` is pending. */
async function firstMarks(page: Page, names: string[], done: Promise<unknown>): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    for (const frame of page.frames()) {
      const seen = await frame
        .evaluate((wanted) => wanted.map((name) => {
          const entry = performance.getEntriesByName(name)[0];
          return entry ? performance.timeOrigin + entry.startTime : null;
        }), names)
        .catch(() => names.map(() => null));
      seen.forEach((at, i) => {
        const known = first.get(names[i]);
        if (at !== null && (known === undefined || at < known)) first.set(names[i], at);
      });
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  return first;
}

/**
 * As a user would: click Job in the Growth view's class table once it is
 * drawn, and read how long its merged paths took from the click to drawn
 * (the page's `rg:paths-answer` measure). Then tells the host it may stop.
 */
async function clickJob(page: Page, clickedFile: string): Promise<{ ms: number; headline: string }> {
  try {
    const frame = await webviewFrame(page, '.classes tbody tr[data-key="Job"]', 10 * 60_000);
    await frame.locator('.classes tbody tr[data-key="Job"]').click();
    const headline = frame.locator('.paths-headline', { hasText: 'new Job since snapshot 1' });
    await headline.waitFor({ timeout: 120_000 });
    const ms = await frame.evaluate(() => performance.getEntriesByName('rg:paths-answer')[0]?.duration ?? -1);
    return { ms, headline: (await headline.innerText()).replace(/\s+/g, ' ') };
  } finally {
    writeFileSync(clickedFile, '');
  }
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
    const marks = firstMarks(page, ['rg:render-end', 'rg:report-drawn'], exited);
    const paths = clickJob(page, `${resultsFile}.clicked`);
    paths.catch(() => undefined);
    const code = await exited;
    const renderEnd = (await marks).get('rg:render-end');
    const reportDrawn = (await marks).get('rg:report-drawn');
    if (code !== 0) throw new Error(`the measurement failed in the extension host (exit ${code}); see its output above`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results;
    const { capture, growth } = results;
    console.log(capture.log.join('\n'));
    console.log(growth.log.join('\n'));
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\n${items} items, walk of ${capture.walkNodes} nodes`);
    console.log(`live capture: last chunk → graph shown (host): ${seconds(capture.shownAt - capture.lastChunkAt)}; → drawn by the page: ${renderEnd ? seconds(renderEnd - capture.lastChunkAt) : 'not seen'}`);
    console.log(`growth, second snapshot: last chunk → report posted to the Growth view: ${seconds(growth.reportAt - growth.lastChunkAt)}; → drawn by the view: ${reportDrawn ? seconds(reportDrawn - growth.lastChunkAt) : 'not seen'} (first suspect ${growth.firstSuspect})`);
    const { ms, headline } = await paths;
    console.log(`merged paths of the new Jobs: click → drawn ${seconds(ms)} (${headline})`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
