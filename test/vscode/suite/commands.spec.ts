// Command registration and settings, as the manifest promises them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ALL_COMMANDS, CONFIG_DEFAULTS } from '../../../src/extension/contributions';
import { extensionApi, repoRoot } from './helpers';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default: unknown; description?: string }> };
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

describe('commands and settings', () => {
  before(async () => {
    await extensionApi();
  });

  it('registers every command the manifest lists, in the "Retainer Graph" category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, [...ALL_COMMANDS].sort(), 'package.json and the Commands enum list the same commands');
    for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Retainer Graph', `${c.command} category`);
  });

  it('offers Show Retainers in the Variables and Watch context menus of js-debug sessions', () => {
    for (const menu of ['debug/variables/context', 'debug/watch/context']) {
      const entry = manifest.contributes.menus[menu]?.find((m) => m.command === 'retainerGraph.showRetainers');
      assert.ok(entry, `${menu} has Show Retainers`);
      assert.match(entry.when ?? '', /pwa-node/);
      // Watch expressions themselves carry their text as evaluateName only once serialized, so only Variables requires it.
      if (menu === 'debug/variables/context') assert.match(entry.when ?? '', /variableEvaluateNamePresent/);
    }
  });

  it('reads the documented defaults for depth, fan-out, inspector ports and debugger retainers', () => {
    const config = vscode.workspace.getConfiguration('retainerGraph');
    assert.equal(config.get('depth'), 8);
    assert.equal(config.get('fanOut'), 10);
    assert.deepEqual(config.get('inspectorPorts'), ['127.0.0.1:9229', '127.0.0.1:9230', '127.0.0.1:9231', '127.0.0.1:9232']);
    assert.equal(config.get('hideDebuggerRetainers'), true);
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
      const property = manifest.contributes.configuration.properties[`retainerGraph.${key}`];
      assert.ok(property?.description, `retainerGraph.${key} has a description`);
      assert.deepEqual(property.default, value, `retainerGraph.${key} default matches the code`);
    }
  });

  it('says what to do when Show Retainers runs without a variable', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand('retainerGraph.showRetainers');
    assert.equal(result, undefined);
    assert.match(api.messages().at(-1)?.text ?? '', /Variables or Watch view/);
  });
});
