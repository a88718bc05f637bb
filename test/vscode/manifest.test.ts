// package.json's contributions against the code that implements them, in
// plain Node (contributions.ts needs no VS Code): every command in the
// Commands enum is contributed and nothing else is, every command a menu or
// the walkthrough names exists, and setting defaults come from the code. The
// other half, a command without a registration, does not compile (main.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_COMMANDS, Commands, CONFIG_DEFAULTS, CONFIG_SECTION } from '../../src/extension/contributions';
import { DEFAULT_WALK_OPTIONS } from '../../src/protocol/walk';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    configuration: { properties: Record<string, { default: unknown }> };
    walkthroughs: { steps: { description: string; completionEvents?: string[] }[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

test('the manifest contributes exactly the commands of the Commands enum, each titled in the Retainer Graph category', () => {
  assert.deepEqual([...ALL_COMMANDS].sort(), Object.values(Commands).sort(), 'ALL_COMMANDS lists the enum');
  const contributed = manifest.contributes.commands;
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...ALL_COMMANDS].sort());
  for (const command of contributed) {
    assert.ok(command.title, `${command.command} has a title`);
    assert.equal(command.category, 'Retainer Graph', `${command.command} category`);
  }
});

test('menus and the walkthrough name only commands that exist', () => {
  const known = new Set<string>(ALL_COMMANDS);
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(known.has(entry.command), `${menu} names ${entry.command}`);
  }
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    const events = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    for (const command of [...linked, ...events]) assert.ok(known.has(command), `the walkthrough names ${command}`);
  }
});

test('setting defaults in the manifest are the code\'s, depth and fan-out the walk\'s own defaults', () => {
  assert.equal(CONFIG_DEFAULTS.depth, DEFAULT_WALK_OPTIONS.depth);
  assert.equal(CONFIG_DEFAULTS.fanOut, DEFAULT_WALK_OPTIONS.fanOut);
  const properties = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(CONFIG_DEFAULTS).map((key) => `${CONFIG_SECTION}.${key}`).sort());
  for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) assert.deepEqual(properties[`${CONFIG_SECTION}.${key}`].default, value, `${key} default`);
});

test('growth is offered where a user looks for it: a Node session in the Call Stack view, several snapshot files in the Explorer, the snapshot editor; Take Next and Stop only while recording', () => {
  const entry = (menu: string, command: Commands) => manifest.contributes.menus[menu]?.find((e) => e.command === command);
  // The floating debug toolbar has no overflow menu (every debug/toolBar item is an icon), so the Call Stack view's context menu it is.
  const callStack = entry('debug/callstack/context', Commands.RecordGrowth);
  assert.match(callStack?.when ?? '', /callStackItemType == 'session' && debugType == 'pwa-node'/);
  assert.match(entry('explorer/context', Commands.CompareSnapshots)?.when ?? '', /heapsnapshot.*listMultiSelection/);
  assert.equal(entry('editor/title', Commands.CompareWith)?.when, 'activeCustomEditorId == retainerGraph.heapSnapshot');
  assert.equal(entry('commandPalette', Commands.TakeNextSnapshot)?.when, 'retainerGraph.recording');
  assert.equal(entry('commandPalette', Commands.StopRecording)?.when, 'retainerGraph.recording');
  assert.equal(entry('commandPalette', Commands.RecordGrowth), undefined, 'Record Growth… is always in the palette');
});
