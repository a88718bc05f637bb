// Graphs as tabs, in a real VS Code: each query opens its own tab (two
// instances side by side), the tab title follows what the view shows, and
// "Reveal source" opens an object's file at its class.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ShowResult } from '../../../src/extension/main';
import { extensionApi, graphTabs, repoRoot, waitFor } from './helpers';

const demo = join(repoRoot, 'demo');

describe('graph tabs', function () {
  this.timeout(120_000);
  let snapshotPath: string;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    snapshotPath = join(mkdtempSync(join(tmpdir(), 'retainer-graph-tabs-')), 'leak.heapsnapshot');
    execFileSync(process.execPath, [join(demo, 'writeSnapshot.js'), snapshotPath], { timeout: 60_000 });
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('each query opens its own tab, so two instances can be compared side by side', async () => {
    const api = await extensionApi();
    const before = graphTabs().length;
    const first = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfClass', { file: snapshotPath, className: 'ResourceLoader', nth: 0 });
    const second = await vscode.commands.executeCommand<ShowResult | undefined>('retainerGraph.showRetainersOfClass', { file: snapshotPath, className: 'ResourceLoader', nth: 1 });
    assert.ok(first && second, `two walks (messages: ${JSON.stringify(api.messages().slice(-2))})`);
    assert.notEqual(first.walk.target, second.walk.target);
    const tabs = await waitFor('two graph tabs', () => (graphTabs().length === before + 2 ? graphTabs() : undefined));
    assert.ok(tabs.includes(first.title) && tabs.includes(second.title), `tabs: ${tabs.join(' | ')}`);
    // Both in one group, beside each other; the user drags one aside to split.
    const groups = vscode.window.tabGroups.all.filter((group) => group.tabs.some((tab) => tab.label === first.title || tab.label === second.title));
    assert.equal(groups.length, 1);
  });

  it('the tab title follows the walk its view shows ("Walk from here", Back)', async () => {
    const api = await extensionApi();
    // Once retained sizes came, each view redrew and announced its walk (showing) one last time.
    const shown = await waitFor('retained sizes in the graph', () => {
      const last = api.lastWalk();
      return last?.walk.nodes.every((node) => node.retainedSize !== null) ? last : undefined;
    });
    const processor = shown.walk.edges.find((edge) => edge.to === shown.walk.target)!.from;
    const walk = await api.viewCall('walk', processor, shown.walk.options);
    const title = `Processor @${processor}`;
    // Said as the webview says it; said again should the view's own last announcement still have been on its way.
    const says = (what: typeof walk, heading: string, done: () => boolean) => () => {
      if (done()) return true;
      api.viewCall('showing', what, heading);
      return undefined;
    };
    await waitFor('the tab to be renamed', says(walk, title, () => graphTabs().includes(title) && api.lastWalk()?.walk.target === processor));
    assert.equal(api.lastWalk()?.title, title, 'exports and Reveal source follow too');
    await waitFor('the old title back', says(shown.walk, shown.title, () => graphTabs().includes(shown.title) && api.lastWalk()?.walk.target === shown.walk.target));
  });

  it('"Reveal source" on a plain object opens its class\'s file at its constructor', async () => {
    const api = await extensionApi();
    const shown = api.lastWalk()!;
    const processor = shown.walk.nodes.find((node) => node.name === 'Processor' && node.type === 'object');
    assert.ok(processor?.location?.url, `a Processor object names its file: ${JSON.stringify(processor?.location)}`);
    await api.viewCall('revealSource', processor.id);
    const editor = await waitFor('the file to open', () => (vscode.window.activeTextEditor?.document.uri.fsPath === join(demo, 'lib', 'processor.js') ? vscode.window.activeTextEditor : undefined));
    const line = readFileSync(join(demo, 'lib', 'processor.js'), 'utf8').split('\n').findIndex((text) => text.includes('constructor(botName)'));
    assert.equal(editor.selection.active.line, line);
  });
});
