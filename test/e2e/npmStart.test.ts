// `npm start` as a newcomer uses it: run it, open the URL it prints, attach to
// the demo from the command palette, pick ResourceLoader, and see the graph
// with Processor.instanceMap. Ctrl+C (SIGINT) must stop everything it started.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from '../harness/browser';
import { provideChromium, provision } from '../harness/provision';
import { repoRoot, waitForText } from '../harness/userSession';
import { freePort } from '../harness/vscodeServer';
import { answer, openWorkbench, pick, runCommand, screenshot, webviewFrame } from '../harness/workbench';

const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

test('npm start opens VS Code on the demo, and the leak is one attach away', { timeout: 10 * 60_000 }, async () => {
  await provision(); // first, so the wait for `npm start` below does not include a first run's install
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The test opens the URL itself: no desktop browser, whatever this machine has.
    env: { ...process.env, RETAINER_GRAPH_PORT: String(port), RETAINER_GRAPH_NO_BROWSER: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const browser = await launchChromium(provideChromium());
  try {
    await waitForText(() => plain(output), /Retainer Graph is ready:\s+http\S+/, 5 * 60_000, '`npm start` printing its URL');
    const url = /Retainer Graph is ready:\s+(http\S+)/.exec(plain(output))![1];
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `the URL uses the requested port: ${url}`);
    // It says what it does: provisioning only when it provisions (done above), and who opens the URL.
    assert.doesNotMatch(plain(output), /provisioning/i, 'nothing to provision, so it does not say it provisions');
    assert.match(plain(output), /Retainer Graph is ready:\s+http\S+\n\s+Open that URL in a browser: it is VS Code, with the demo folder open\./);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openWorkbench(page, url);
    // The demo's README opens first; let it settle so it does not take focus from the quick pick.
    await page.locator('.tab', { hasText: 'README' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3000);
    try {
      await runCommand(page, 'Retainer Graph: Attach to a Node Process…');
      await pick(page, 'server.js');
      await answer(page, '', 'Show Retainers in');
      await pick(page, 'ResourceLoader', { title: 'Classes in', filter: 'ResourceLoader', timeoutMs: 120_000 });
      await pick(page, 'The first of', { title: 'ResourceLoader:' });
      const frame = await webviewFrame(page, 'svg.graph g.node.role-static-map', 90_000);
      assert.match(await frame.locator('svg.graph g.node.role-static-map').first().textContent() ?? '', /Processor\.instanceMap/);
    } catch (error) {
      const file = join(repoRoot, 'test-results', 'npm-start-failure.png');
      await screenshot(page, file).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nScreenshot: ${file}\nnpm start printed:\n${plain(output)}`);
    }
  } finally {
    await browser.close();
    try { process.kill(-child.pid!, 'SIGINT'); } catch { /* already gone */ }
  }
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  // npm itself dies of the SIGINT, as in a terminal; what matters is that the script cleaned up.
  assert.ok(code === 0 || signal === 'SIGINT', `npm start ends on Ctrl+C (code ${code}, signal ${signal})`);
  await waitForText(() => plain(output), 'stopping VS Code and the demo', 10_000, 'Ctrl+C stopping VS Code and the demo');
  const deadline = Date.now() + 20_000;
  while (await isListening(port)) {
    assert.ok(Date.now() < deadline, `VS Code is still listening on ${port} after Ctrl+C`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
