// A gzip-compressed snapshot (.heapsnapshot.gz) opens in the Retainer Graph
// editor as a plain one does: the manifest's selector claims the name, the
// engine worker inflates the file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { drawFirstResourceLoader, extensionApi, repoRoot, waitFor } from './helpers';

describe('compressed heap snapshot files', function () {
  this.timeout(120_000);
  let gzPath: string;

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-gzip-suite-'));
    const plain = join(dir, 'staticMap.heapsnapshot');
    execFileSync(process.execPath, [join(repoRoot, 'test', 'fixtures', 'staticMap.js'), plain], { timeout: 60_000 });
    gzPath = join(dir, 'production.heapsnapshot.gz');
    writeFileSync(gzPath, gzipSync(readFileSync(plain)));
  });

  it('a plain open of a .heapsnapshot.gz loads it in the Retainer Graph editor and draws a graph', async () => {
    const api = await extensionApi();
    const uri = vscode.Uri.file(gzPath);
    await vscode.commands.executeCommand('vscode.open', uri);
    const input = await waitFor('the editor tab', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input);
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor opened');
    assert.equal(input.viewType, 'retainerGraph.heapSnapshot');
    await waitFor('the snapshot to load', () => (api.keptSnapshots().includes(`file:${uri.toString()}`) ? true : undefined), 60_000);
    const title = await drawFirstResourceLoader(api, `file:${uri.toString()}`, gzPath);
    assert.match(title, /^production\.heapsnapshot\.gz: .+ @\d+$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
