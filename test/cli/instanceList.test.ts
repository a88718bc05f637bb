// The instance list the class pickers show (EngineService.instances): each
// instance says how code reaches it and its name-like field, so the demo's
// bots can be told apart before one is picked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineService } from '../../src/worker/engineService';

const demo = join(__dirname, '..', '..', 'demo');
let scratch: string;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rg-instance-list-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test("the demo's ResourceLoader instances each name their path and their bot", async () => {
  const file = join(scratch, 'leak.heapsnapshot');
  execFileSync(process.execPath, [join(demo, 'writeSnapshot.js'), file]);
  const service = new EngineService(() => undefined);
  try {
    await service.loadFile(file);
    const list = await service.instances('ResourceLoader', 100);
    assert.equal(list.total, 8);
    const leaked = list.nodes.filter((node) => node.via?.startsWith('Processor.instanceMap'));
    assert.ok(leaked.length >= 7, `via: ${list.nodes.map((node) => node.via).join(' | ')}`);
    for (const node of leaked) {
      const bot = /^Processor\.instanceMap\.get\("(bot\d+)"\)\.resourceLoader$/.exec(node.via ?? '')?.[1];
      assert.ok(bot, node.via);
      assert.equal(node.field, `botName: "${bot}"`);
    }
  } finally {
    await service.dispose();
  }
});
