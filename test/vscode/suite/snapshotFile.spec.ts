// Saved .heapsnapshot files: the class flow by command, and the custom editor
// that opens straight into the class list → retainer graph.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ShowResult } from '../../../src/extension/main';
import { drawFirstResourceLoader, extensionApi, repoRoot, waitFor } from './helpers';

describe('heap snapshot files', function () {
  this.timeout(120_000);
  let snapshotPath: string;

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'retainer-graph-suite-'));
    snapshotPath = join(dir, 'staticMap.heapsnapshot');
    execFileSync(process.execPath, [join(repoRoot, 'test', 'fixtures', 'staticMap.js'), snapshotPath], { timeout: 60_000 });
  });

  it('Show Retainers of a Class… walks an instance from a file', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfClass', {
      file: snapshotPath,
      className: 'ResourceLoader',
      nth: 2,
    });
    assert.ok(result, `a walk (messages: ${JSON.stringify(api.messages().slice(-2))})`);
    assert.equal(result.walk.nodes.find((n) => n.id === result.walk.target)?.name, 'ResourceLoader');
    assert.ok(result.walk.nodes.some((n) => n.label.includes('Processor.instanceMap')));
  });

  it('retained sizes fill into the shown graph once the worker has computed them', async () => {
    const api = await extensionApi();
    // A fresh copy: its own engine, so the first walk comes back before any dominators exist.
    const copy = join(mkdtempSync(join(tmpdir(), 'retainer-graph-sizes-')), 'sizes.heapsnapshot');
    copyFileSync(snapshotPath, copy);
    const result = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfClass', { file: copy, className: 'ResourceLoader', nth: 0 });
    assert.ok(result, `a walk (messages: ${JSON.stringify(api.messages().slice(-2))})`);
    const sized = await waitFor('retained sizes in the panel', () => {
      const shown = api.lastWalk()?.walk;
      return shown && shown.target === result.walk.target && shown.nodes.every((n) => n.retainedSize !== null) ? shown : undefined;
    });
    const map = sized.nodes.find((n) => n.label === 'Processor.instanceMap');
    const loader = sized.nodes.find((n) => n.id === sized.target);
    assert.ok(map?.retainedSize && loader?.retainedSize && map.retainedSize > loader.retainedSize, `instanceMap ${map?.retainedSize}, loader ${loader?.retainedSize}`);
  });

  it('says so when the class does not exist', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand('retainerGraph.showRetainersOfClass', { file: snapshotPath, className: 'NoSuchClass', nth: 0 });
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /no objects of class NoSuchClass/);
  });

  it('a plain open of a .heapsnapshot uses the Retainer Graph editor by default', async () => {
    const associations = vscode.workspace.getConfiguration('workbench').get<Record<string, string>>('editorAssociations') ?? {};
    assert.equal(associations['*.heapsnapshot'], 'retainerGraph.heapSnapshot');
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(snapshotPath));
    const input = await waitFor('the editor tab', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input);
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor opened');
    assert.equal(input.viewType, 'retainerGraph.heapSnapshot');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the custom editor opens into the class list, then draws the graph; closing it releases the snapshot', async () => {
    const api = await extensionApi();
    const copy = join(mkdtempSync(join(tmpdir(), 'retainer-graph-editor-')), 'production.heapsnapshot');
    copyFileSync(snapshotPath, copy);
    const uri = vscode.Uri.file(copy);
    const key = `file:${uri.toString()}`;
    await vscode.commands.executeCommand('vscode.openWith', uri, 'retainerGraph.heapSnapshot');
    await waitFor('the snapshot to load', () => (api.keptSnapshots().includes(key) ? true : undefined), 60_000);
    const title = await drawFirstResourceLoader(api, key, copy);
    assert.match(title, /^production\.heapsnapshot: .+ @\d+$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the snapshot to be released', () => (!api.keptSnapshots().includes(key) ? true : undefined), 10_000);
  });
});
