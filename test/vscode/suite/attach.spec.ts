// Attach to a real `node --inspect` process, walk by expression and by class,
// bad input, and cancelling mid-capture.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowResult } from '../../../src/extension/main';
import type { Walk } from '../../../src/protocol/walk';
import { extensionApi, fixture, freePort, graphTabs, processState, startInspected, waitFor, type InspectedProcess } from './helpers';

function labelsOnShortestPath(walk: Walk): string[] {
  return walk.shortestPath.nodes.map((id) => {
    const node = walk.nodes.find((n) => n.id === id);
    return node ? node.label || node.name : `@${id}`;
  });
}

describe('attach to a --inspect process', function () {
  this.timeout(120_000);
  let target: InspectedProcess;
  let globalsBefore: string[];

  before(async () => {
    target = await startInspected(fixture('leakyBots.js'));
    globalsBefore = (await processState(target.webSocketUrl)).globals;
  });
  after(() => target?.kill());

  it('walks the retainers of an expression back to Processor.instanceMap', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: target.webSocketUrl,
      expression: 'Processor.instanceMap.get("bot3").loader',
    });
    assert.ok(result, `attach returned a walk (messages: ${JSON.stringify(api.messages().slice(-3))})`);
    const walk = result.walk;
    const targetNode = walk.nodes.find((n) => n.id === walk.target);
    assert.equal(targetNode?.name, 'ResourceLoader');
    const path = labelsOnShortestPath(walk);
    assert.ok(path.some((label) => label.includes('Processor.instanceMap')), `shortest path names the static map: ${path.join(' → ')}`);
    assert.ok(walk.nodes.some((n) => n.rootKind === 'static-map'), 'a static-map root is marked');
    assert.equal(api.lastWalk()?.walk.target, walk.target, 'the panel shows this walk');
    assert.ok(api.keptSnapshots().includes(result.snapshotKey), 'the snapshot is kept for re-walks');
  });

  it('leaves no globals behind and the process keeps running', async () => {
    assert.deepEqual((await processState(target.webSocketUrl)).globals, globalsBefore);
    assert.equal(target.child.exitCode, null, 'the target is still running');
  });

  it('picks an instance by class from the kept snapshot', async () => {
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfClass', {
      target: { kind: 'inspector', host: target.host, port: target.port, webSocketUrl: target.webSocketUrl },
      className: 'ResourceLoader',
      nth: 0,
    });
    assert.ok(result, 'class flow returned a walk');
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'ResourceLoader');
    assert.ok(labelsOnShortestPath(result.walk).some((label) => label.includes('Processor.instanceMap')));
  });

  it('refuses a second snapshot of the same process while one runs', async () => {
    const api = await extensionApi();
    const args = { webSocketUrl: target.webSocketUrl, expression: 'Processor.instanceMap' };
    const [first, second] = await Promise.all([
      vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', args),
      vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', args),
    ]);
    assert.ok(first, 'the first request shows its graph');
    assert.equal(second, undefined, 'the second is refused');
    assert.ok(api.messages().some((m) => /already in progress/.test(m.text)), 'with a message saying why');
  });

  it('shows the exception text when the expression throws, and nothing is kept busy', async () => {
    const api = await extensionApi();
    const tabs = graphTabs().length;
    const result = await vscode.commands.executeCommand('retainerGraph.attach', { webSocketUrl: target.webSocketUrl, expression: 'noSuchThing.x' });
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /noSuchThing is not defined/);
    assert.equal(api.isCapturing(), false);
    assert.equal(graphTabs().length, tabs, 'no graph tab opened for it');
  });

  it('refuses a primitive with a clear message', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('retainerGraph.attach', { webSocketUrl: target.webSocketUrl, expression: '42' });
    assert.match(api.messages().at(-1)?.text ?? '', /number.*not an object/);
  });

  it('says plainly when the object was collected before the snapshot', async () => {
    const api = await extensionApi();
    const tabs = graphTabs().length;
    // Only our own (released) handle holds this object: the snapshot's GC collects it.
    const result = await vscode.commands.executeCommand('retainerGraph.attach', { webSocketUrl: target.webSocketUrl, expression: '({ temporary: true })' });
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /collected before the snapshot/);
    await waitFor('the tab that waited for the snapshot to close', () => (graphTabs().length === tabs ? true : undefined));
  });

  it('says nothing is listening on a closed port', async () => {
    const api = await extensionApi();
    const port = await freePort();
    const result = await vscode.commands.executeCommand('retainerGraph.attach', { address: `127.0.0.1:${port}`, expression: 'globalThis' });
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', new RegExp(`nothing is listening on 127\\.0\\.0\\.1:${port}`, 'i'));
  });
  it('releases the kept snapshot once the process exits', async () => {
    const api = await extensionApi();
    const key = `inspector:${target.webSocketUrl}`;
    assert.ok(api.keptSnapshots().includes(key), 'kept while the process runs');
    target.kill();
    await waitFor('the snapshot to be released', () => (!api.keptSnapshots().includes(key) ? true : undefined), 40_000);
  });
});

describe('cancelling a capture', function () {
  this.timeout(180_000);
  let target: InspectedProcess;

  before(async () => {
    target = await startInspected(fixture('leakyBots.js'), { BALLAST_MB: '40' });
  });
  after(async () => {
    target?.kill();
    console.log((await extensionApi()).logLines().join('\n'));
  });

  it('stops mid-snapshot, keeps nothing, and the next capture works', async () => {
    const api = await extensionApi();
    const key = `inspector:${target.webSocketUrl}`;
    const running = vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: target.webSocketUrl,
      expression: 'Processor.instanceMap.get("bot1").loader',
    });
    await waitFor('the capture to start', () => api.isCapturing(key) || undefined);
    // The graph's tab opens once the expression is evaluated, and loads while V8 writes.
    await waitFor('a graph tab waiting for the snapshot', () => (graphTabs().includes('Processor.instanceMap.get("bot1…') ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(api.isCapturing(key), 'still capturing: the tab came before the snapshot');
    api.cancelCaptures();
    const result = await running;
    assert.equal(result, undefined, 'a cancelled command shows no graph');
    await waitFor('the waiting tab to close', () => (!graphTabs().includes('Processor.instanceMap.get("bot1…') ? true : undefined));
    assert.equal(api.messages().at(-1)?.text, 'Cancelled.');
    assert.equal(api.isCapturing(key), false, 'no capture left running');
    assert.ok(!api.keptSnapshots().includes(key), 'the partial snapshot was discarded');
    assert.equal(target.child.exitCode, null, 'the target survived');

    const again = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: target.webSocketUrl,
      expression: 'Processor.instanceMap.get("bot1").loader',
    });
    assert.ok(again, `a new capture after cancel works (messages: ${JSON.stringify(api.messages().slice(-2))})`);
  });

  it('says the target exited when it dies mid-snapshot, and nothing is left hanging', async () => {
    const api = await extensionApi();
    const dying = await startInspected(fixture('leakyBots.js'), { BALLAST_MB: '40' });
    const key = `inspector:${dying.webSocketUrl}`;
    const running = vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: dying.webSocketUrl,
      expression: 'Processor.instanceMap',
    });
    await waitFor('the capture to start', () => api.isCapturing(key) || undefined);
    await new Promise((r) => setTimeout(r, 300));
    dying.child.kill('SIGKILL');
    const result = await running;
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /exited|closed/i);
    assert.equal(api.isCapturing(key), false);
    assert.ok(!api.keptSnapshots().includes(key), 'the partial snapshot was discarded');
  });
});
