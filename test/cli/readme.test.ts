// The README's "Command line" examples and the examples in `--help`, run as
// written against the demo, so the documentation cannot drift from the
// program. Each line runs in bash: `npm …` lines in the repository, the rest
// in a scratch folder that links dist/ and holds a copy of demo/ (so
// demo/leak.heapsnapshot and chain.svg are not written into the checkout), with `retainer-graph` on the
// PATH as `npm install -g` would put it. The one substitution: 127.0.0.1:9229
// becomes the address of the demo this test starts under --inspect (9229 may
// be taken by another process).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS } from '../../src/cli/args';
import { HELP } from '../../src/cli/usage';
import { startInspected, type InspectedProcess } from '../inspector/helpers/target';
import { parseSvg } from './svgDocument';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README section under `## <title>`, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README.md has a "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The lines of the first ```sh block of the "Command line" section. */
function readmeCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(section('Command line'));
  assert.ok(block, 'the "Command line" section has a ```sh block');
  return block[1].split('\n').filter((line) => line.trim() !== '');
}

/** The example lines at the end of `--help`. */
function helpExamples(): string[] {
  const examples = HELP.slice(HELP.indexOf('\nExamples:\n'));
  return examples.split('\n').filter((line) => /^ {2}retainer-graph /.test(line)).map((line) => line.trim());
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a walk printed: its stdout, or the file it was redirected to. */
function walkOutput(line: string, run: Run, cwd: string): string {
  const redirect = /\s>\s*(\S+)\s*$/.exec(line);
  if (!redirect) return run.stdout;
  const file = join(cwd, redirect[1]);
  assert.ok(existsSync(file), `${line}: wrote ${redirect[1]}`);
  const text = readFileSync(file, 'utf8');
  if (redirect[1].endsWith('.svg')) return parseSvg(text).texts.join('\n');
  return text;
}

describe("the README's command line examples run as written against the demo", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'retainer-graph-readme-'));
  const bin = join(scratch, 'bin');
  const work = join(scratch, 'work');
  let demo: InspectedProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    mkdirSync(bin);
    mkdirSync(work);
    symlinkSync(join(root, 'dist'), join(work, 'dist'));
    cpSync(join(root, 'demo'), join(work, 'demo'), { recursive: true, filter: (source) => !source.endsWith('.heapsnapshot') });
    // What `npm install -g` puts on the PATH: dist/cli.js run by this Node.
    writeFileSync(join(bin, 'retainer-graph'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'dist', 'cli.js')}" "$@"\n`);
    chmodSync(join(bin, 'retainer-graph'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    // The demo as `npm start` runs it; bots every 50 ms so several have leaked by the time the examples run.
    demo = await startInspected(join(root, 'demo', 'server.js'), { env: { PORT: '0', BOT_INTERVAL_MS: '50' }, readyLine: null });
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`the demo did not start: ${stdout}`)), 30_000);
      demo.child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('leaky bot server on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
  after(async () => {
    await demo?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  const live = (line: string): string => line.replaceAll('127.0.0.1:9229', `${demo.host}:${demo.port}`);

  test('every line of the "Command line" block succeeds, and each walk shows Processor.instanceMap', { timeout: 5 * 60_000 }, async () => {
    const commands = readmeCommands();
    assert.ok(commands.length >= 4, `the README shows the commands: ${commands.join(' | ')}`);
    let walks = 0;
    for (const line of commands) {
      const run = await bash(live(line), line.startsWith('npm ') ? root : work, env);
      assert.equal(run.code, 0, `${line}\nexited ${run.code}: ${run.stderr}`);
      if (!/\bcli\.js\b|^retainer-graph /.test(line)) continue;
      walks++;
      assert.match(walkOutput(line, run, work), /Processor\.instanceMap/, `${line} shows the static map`);
    }
    assert.ok(walks >= 3, 'the file and live examples walked');
  });

  test('every example in --help succeeds against the demo and a snapshot of it', { timeout: 2 * 60_000 }, async () => {
    const examples = helpExamples();
    assert.ok(examples.length >= 3, `--help shows examples: ${examples.join(' | ')}`);
    // --help's examples name their snapshot app.heapsnapshot.
    const snapshot = join(work, 'demo', 'leak.heapsnapshot');
    if (!existsSync(snapshot)) assert.equal((await bash('node demo/writeSnapshot.js', work, env)).code, 0);
    copyFileSync(snapshot, join(work, 'app.heapsnapshot'));
    for (const line of examples) {
      const run = await bash(live(line), work, env);
      assert.equal(run.code, 0, `${line}\nexited ${run.code}: ${run.stderr}`);
      assert.match(walkOutput(line, run, work), /Processor\.instanceMap/, `${line} shows the static map`);
    }
  });

  test('the options the README names are the ones --help lists, formats included', () => {
    const text = section('Command line');
    const options = [...new Set(text.match(/--[a-z][a-z-]*/g))];
    assert.ok(options.length >= 6, options.join(' '));
    for (const option of options) assert.ok(HELP.includes(option), `--help lists ${option}`);
    assert.match(text, new RegExp(`--format ${FORMATS.join('\\|')}\``), 'the README lists every --format');
  });
});
