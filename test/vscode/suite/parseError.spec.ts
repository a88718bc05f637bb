// A live capture whose stream the engine cannot parse: a real process behind
// a relay that garbles its first chunk and then withholds the rest of the
// stream. The extension must stop V8 on its own at the first bad chunk, as
// the CLI does, instead of waiting for the rest of a heap that can never be read.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowResult } from '../../../src/extension/main';
import { startGarblingProxy, type GarblingProxy } from './garblingProxy';
import { extensionApi, fixture, startInspected, type InspectedProcess } from './helpers';

describe('a snapshot stream that cannot be parsed', function () {
  this.timeout(120_000);
  let target: InspectedProcess;
  let proxy: GarblingProxy;

  before(async () => {
    target = await startInspected(fixture('leakyBots.js'));
    proxy = await startGarblingProxy(target.webSocketUrl);
  });
  after(async () => {
    await proxy?.close();
    target?.kill();
  });

  it('stops the capture at the first bad chunk, says why, and leaves the process as it was', async () => {
    const api = await extensionApi();
    const key = `inspector:${proxy.webSocketUrl}`;
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: proxy.webSocketUrl,
      expression: 'Processor.instanceMap',
    });
    assert.equal(result, undefined, 'no graph');
    assert.match(api.messages().at(-1)?.text ?? '', /^The heap snapshot cannot be read: expected '}' in "snapshot" at byte 20/);
    // The relay never sent the snapshot's end: the extension hung up by itself, after the one chunk it got.
    const withheld = await proxy.clientClosed;
    assert.ok(api.logLines().includes('the snapshot could not be parsed after 1 chunks; V8 was stopped'), api.logLines().slice(-5).join('\n'));
    console.log(`    (the relay withheld ${withheld.heldBack} messages, ${withheld.heldChunks} of them chunks)`);
    assert.equal(api.isCapturing(key), false, 'no capture left running');
    assert.ok(!api.keptSnapshots().includes(key), 'nothing kept');

    // The process runs on and a direct capture of it works: its inspector session was closed, tracking stopped.
    assert.equal(target.child.exitCode, null);
    const again = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.attach', {
      webSocketUrl: target.webSocketUrl,
      expression: 'Processor.instanceMap.get("bot1").loader',
    });
    assert.ok(again, `a capture straight from the process works (messages: ${JSON.stringify(api.messages().slice(-2))})`);
    assert.equal(again.walk.nodes.find((n) => n.id === again.walk.target)?.name, 'ResourceLoader');
  });
});
