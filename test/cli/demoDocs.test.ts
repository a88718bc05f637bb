// The demo's documented steps, run as written: the snapshot command the
// READMEs give writes into the folder VS Code has open (demo/), and after
// the fix demo/README.md shows, the class list says what the README says it
// does (one ResourceLoader where there were eight).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeapGraph, SnapshotParser } from '../../src/engine/index';

const root = join(__dirname, '..', '..');
const demo = join(root, 'demo');

/** The shell commands of a markdown file's ```sh blocks. */
function shellCommands(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1].split('\n').map((line) => line.trim()).filter((line) => line !== ''));
}

function classCount(file: string, name: string): number {
  const parser = new SnapshotParser();
  parser.write(readFileSync(file));
  return HeapGraph.build(parser.end()).classes().find((row) => row.name === name)?.count ?? 0;
}

/** Runs `[NAME=value] node writeSnapshot.js …` as a user types it in `cwd`. */
function run(command: string, cwd: string): string {
  const words = command.split(/\s+/);
  const env: NodeJS.ProcessEnv = { ...process.env, DEMO_FIXED: undefined };
  while (/^\w+=/.test(words[0])) {
    const [name, value] = words.shift()!.split('=');
    env[name] = value;
  }
  const [program, ...args] = words;
  assert.equal(program, 'node', command);
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8', env });
}

let scratch: string;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rg-demo-docs-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('both READMEs give one snapshot command, and it writes leak.heapsnapshot into the demo folder, wherever it is run from', () => {
  const [rootCommands, demoCommands] = [shellCommands(join(root, 'README.md')), shellCommands(join(demo, 'README.md'))].map((list) => list.filter((command) => command.includes('writeSnapshot.js')));
  // In VS Code's terminal (the demo folder) as `node writeSnapshot.js`; the command line section runs it from the repository.
  assert.deepEqual(demoCommands, ['node writeSnapshot.js']);
  assert.ok(rootCommands.includes('node writeSnapshot.js'), rootCommands.join(' | '));
  for (const command of rootCommands) assert.match(command, /^node (demo\/)?writeSnapshot\.js$/, 'no other file name: every one writes demo/leak.heapsnapshot');
  // A copy of the demo, so the repository's folder is left alone.
  const copy = join(scratch, 'demo');
  cpSync(demo, copy, { recursive: true, filter: (source) => !source.endsWith('.heapsnapshot') });
  const printed = run(demoCommands[0], copy);
  assert.ok(existsSync(join(copy, 'leak.heapsnapshot')), 'written in the folder VS Code opens');
  assert.match(printed, /^wrote leak\.heapsnapshot with 8 bots loaded/);
  assert.equal(classCount(join(copy, 'leak.heapsnapshot'), 'ResourceLoader'), 8);
  assert.match(readFileSync(join(demo, 'README.md'), 'utf8'), /`ResourceLoader ×8`/);
  // Run from the repository root (the copy's parent), it still lands in the demo folder.
  rmSync(join(copy, 'leak.heapsnapshot'));
  run('node demo/writeSnapshot.js', scratch);
  assert.ok(existsSync(join(copy, 'leak.heapsnapshot')));
});

test('after the fix demo/README.md shows, its after-fix command finds one ResourceLoader, as it says', () => {
  const readme = readFileSync(join(demo, 'README.md'), 'utf8');
  const fix = /## The fix[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(fix, 'demo/README.md shows the fix as a js block');
  const copy = join(scratch, 'fixed');
  cpSync(demo, copy, { recursive: true, filter: (source) => !source.endsWith('.heapsnapshot') });
  const file = join(copy, 'lib', 'processor.js');
  const source = readFileSync(file, 'utf8');
  const fixed = source.replace(/ {2}unload\(\) \{[^}]*\}\n/, fix.replace(/^/gm, '  '));
  assert.notEqual(fixed, source, 'the fix replaces unload() in lib/processor.js');
  writeFileSync(file, fixed);
  const command = /`(node writeSnapshot\.js after-fix\.heapsnapshot)`/.exec(readme)?.[1];
  assert.ok(command, 'the README says how to look after the fix');
  run(command, copy);
  assert.equal(classCount(join(copy, 'after-fix.heapsnapshot'), 'ResourceLoader'), 1);
  assert.match(readme, /`ResourceLoader ×1`/);
  assert.match(readme, /`1 ResourceLoader instance in this\s+snapshot`/);
});

test('DEMO_FIXED=1, as demo/README.md gives it, applies the same fix to the unedited demo: one ResourceLoader, and the server says it is fixed', async () => {
  const readme = readFileSync(join(demo, 'README.md'), 'utf8');
  const command = /`(DEMO_FIXED=1 node writeSnapshot\.js after-fix\.heapsnapshot)`/.exec(readme)?.[1];
  assert.ok(command, 'demo/README.md gives the switch');
  const copy = join(scratch, 'switched');
  cpSync(demo, copy, { recursive: true, filter: (source) => !source.endsWith('.heapsnapshot') });
  run(command, copy);
  assert.equal(classCount(join(copy, 'after-fix.heapsnapshot'), 'ResourceLoader'), 1);
  // Without it, the same copy still leaks.
  run('node writeSnapshot.js before-fix.heapsnapshot', copy);
  assert.equal(classCount(join(copy, 'before-fix.heapsnapshot'), 'ResourceLoader'), 8);
  // The server says which one runs, on the port it really listens on.
  for (const fixed of [true, false]) {
    const child = spawn(process.execPath, ['server.js'], { cwd: copy, env: { ...process.env, PORT: '0', BOT_INTERVAL_MS: '60000', DEMO_FIXED: fixed ? '1' : undefined }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      assert.match(line, /^leaky bot server on http:\/\/127\.0\.0\.1:[1-9]\d*\//);
      assert.equal(line.includes('with the fix applied (DEMO_FIXED=1)'), fixed, line);
    } finally {
      child.kill();
    }
  }
  assert.match(readme, /`with the fix applied`/);
});
