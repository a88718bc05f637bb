// The pure steps between a Variables-view item and a CDP object, checked
// inside the extension host (they import vscode's types with the rest of the
// debug integration).
import * as assert from 'node:assert/strict';
import { evaluateNameForRetainers, matchFrame, proxyUrl } from '../../../src/extension/targets/debugSessions';

const frame = (functionName: string, callFrameId: string) => ({ functionName, callFrameId, url: 'file:///app.js', lineNumber: 0 });

describe('from a DAP variable to a CDP object', () => {
  it('validates what requestCDPProxy returns', () => {
    assert.equal(proxyUrl({ host: '127.0.0.1', port: 5050, path: '/abc' }, 's'), 'ws://127.0.0.1:5050/abc');
    assert.equal(proxyUrl({ host: '::1', port: 5050, path: '/abc' }, 's'), 'ws://[::1]:5050/abc');
    assert.throws(() => proxyUrl({ host: 'http', port: null, path: '/x' }, 'Launch app'), /unusable address for "Launch app"/);
    assert.throws(() => proxyUrl(undefined, 's'), /unusable address/);
  });

  it('walks a Map or Set entry to its value, and leaves other names alone', () => {
    assert.equal(evaluateNameForRetainers('[...Processor.instanceMap.entries()][3]'), '[...Processor.instanceMap.entries()][3][1]');
    assert.equal(evaluateNameForRetainers('[...set.entries()][0]'), '[...set.entries()][0][1]');
    assert.equal(evaluateNameForRetainers('processors.get("bot3")'), 'processors.get("bot3")');
    assert.equal(evaluateNameForRetainers('list[3]'), 'list[3]');
  });

  it('matches the selected DAP frame to its CDP frame by index, checking the function name', () => {
    const cdp = [frame('checkpoint', 'a'), frame('listOnTimeout', 'b'), frame('', 'c')];
    assert.equal(matchFrame(cdp, 0, 'checkpoint')?.callFrameId, 'a');
    assert.equal(matchFrame(cdp, 2, '<anonymous>')?.callFrameId, 'c');
    // A DAP name qualified by its class still matches the bare CDP name.
    assert.equal(matchFrame([frame('load', 'x')], 0, 'Processor.load')?.callFrameId, 'x');
    // An index shifted by an inserted frame falls back to the frame of that name.
    assert.equal(matchFrame(cdp, 0, 'listOnTimeout')?.callFrameId, 'b');
  });
});
