import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Walk } from '../../src/protocol/walk';
import { renderDotSvg } from '../../src/cli/svg';
import { fixtureSnapshot } from '../fixtures/snapshot';
import { fixturePath, globalsOf, startInspected, type InspectedProcess } from '../inspector/helpers/target';
import { nodeWithSnapshotLineEnds as laterNode } from '../inspector/helpers/nodeBinaries';
import { parseSvg } from './svgDocument';
import { runCli, runCliWith, type CliResult } from './runCli';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: root, stdio: 'inherit' });
});

describe('retainer-graph on a snapshot file (the static-map story)', () => {
  let snapshot: string;
  /** The ResourceLoader of "bot3", found through the CLI's own JSON. */
  let bot3Loader: Walk;

  before(async () => {
    snapshot = await fixtureSnapshot('staticMap');
    const walks: Walk[] = [];
    for (let nth = 1; nth <= 5; nth++) {
      const result = await runCli(snapshot, '--class', 'ResourceLoader', '--nth', String(nth), '--format', 'json');
      assert.equal(result.code, 0, result.stderr);
      walks.push(JSON.parse(result.stdout) as Walk);
    }
    const matching = walks.filter((walk) => walk.shortestPath.edges.some((edge) => edge.label === 'get("bot3")'));
    assert.equal(matching.length, 1, 'exactly one ResourceLoader is reached through get("bot3")');
    bot3Loader = matching[0];
  });

  it('json is the Walk contract: the path ends at the target and passes the static map', () => {
    const walk = bot3Loader;
    const required = ['edges', 'nodes', 'options', 'shortestPath', 'target', 'truncated'];
    const optional = ['direction', 'filtered', 'targetClass'];
    assert.deepEqual(Object.keys(walk).filter((key) => required.includes(key)).sort(), required);
    assert.deepEqual(Object.keys(walk).filter((key) => !required.includes(key) && !optional.includes(key)), [], 'nothing outside the Walk contract');
    assert.equal(walk.shortestPath.nodes.at(-1), walk.target);
    assert.equal(walk.nodes.find((node) => node.id === walk.target)?.name, 'ResourceLoader');
    const map = walk.nodes.find((node) => node.rootKind === 'static-map');
    assert.equal(map?.label, 'Processor.instanceMap');
    assert.deepEqual(walk.options, { depth: 8, fanOut: 10, includeWeak: false });
  });

  it('text reads the chain from the root down to the target, with @id accepted for --id', async () => {
    const result = await runCli(snapshot, '--id', `@${bot3Loader.target}`);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'no progress noise when stderr is not a terminal');
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], `Retainers of ResourceLoader @${bot3Loader.target}, self size 104 B`);
    const pathStart = lines.findIndex((line) => line.startsWith('Shortest path from a root'));
    const pathLines = lines.slice(pathStart + 1, lines.indexOf('', pathStart));
    const mapLine = pathLines.findIndex((line) => /^ {4}\.instanceMap → Processor\.instanceMap \(Map @\d+\) {3}\[static-map\]$/.test(line));
    assert.ok(mapLine > 0, `path shows Processor.instanceMap:\n${pathLines.join('\n')}`);
    assert.match(pathLines[mapLine + 1], /^ {4}get\("bot3"\) → Processor @\d+$/);
    assert.equal(pathLines[mapLine + 2], `    .loader → ResourceLoader @${bot3Loader.target}   ← target`);
    assert.match(result.stdout, /\n└─ \.loader in Processor @\d+\n {3}└─ get\("bot3"\) in Processor\.instanceMap \(Map @\d+\) {3}\[static-map\]\n/);
  });

  it('dot renders with Graphviz, target red and the static map orange', async () => {
    const result = await runCli(snapshot, '--id', String(bot3Loader.target), '--format', 'dot', '--depth', '3');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`n${bot3Loader.target} \\[label="ResourceLoader[^\\n]*fillcolor="#ff6b6b"`));
    assert.match(result.stdout, /\[label="Map\\nProcessor\.instanceMap[^\n]*fillcolor="#ffb347"\]/);
    const { texts } = parseSvg(await renderDotSvg(result.stdout));
    assert.ok(texts.includes('Processor.instanceMap') && texts.includes('get("bot3")'), JSON.stringify(texts));
  });

  it('svg is the same graph drawn by the Graphviz built into the CLI', async () => {
    const result = await runCli(snapshot, '--id', String(bot3Loader.target), '--format', 'svg', '--depth', '3');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const { texts } = parseSvg(result.stdout);
    for (const label of ['ResourceLoader', 'Processor.instanceMap', 'get("bot3")', '.loader', `@${bot3Loader.target}  104 B  d=${bot3Loader.nodes.find((node) => node.id === bot3Loader.target)?.distance}`]) {
      assert.ok(texts.includes(label), `the image shows ${label}: ${JSON.stringify(texts)}`);
    }
    const dot = await runCli(snapshot, '--id', String(bot3Loader.target), '--format', 'dot', '--depth', '3');
    assert.equal(result.stdout, await renderDotSvg(dot.stdout), 'exactly the DOT output, laid out');
  });

  it('--depth and --fan-out reach the walk', async () => {
    const result = await runCli(snapshot, '--id', String(bot3Loader.target), '--format', 'json', '--depth', '2', '--fan-out', '1');
    const walk = JSON.parse(result.stdout) as Walk;
    assert.deepEqual(walk.options, { depth: 2, fanOut: 1, includeWeak: false });
    const onPath = new Set(walk.shortestPath.nodes);
    assert.ok(walk.nodes.filter((node) => !onPath.has(node.id)).every((node) => node.level <= 2), 'only the shortest path goes beyond --depth');
    assert.ok(walk.shortestPath.edges.length > 2, 'the shortest path is still complete');
  });

  describe('exit 1 with a one-line reason', () => {
    const oneLine = (result: CliResult, pattern: RegExp) => {
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.split('\n').length, 2, `one line: ${result.stderr}`);
      assert.match(result.stderr, pattern);
    };
    it('unknown id', async () => oneLine(await runCli(snapshot, '--id', '@987654321'), /^retainer-graph: no object with id @987654321 in this snapshot/));
    it('no such class, with close names suggested', async () =>
      oneLine(await runCli(snapshot, '--class', 'ResourceLoadr'), /^retainer-graph: no class named "ResourceLoadr" in the snapshot; did you mean "ResourceLoader"/));
    it('fewer instances than --nth', async () => oneLine(await runCli(snapshot, '--class', 'ResourceLoader', '--nth', '6'), /more than the 5 instances of ResourceLoader/));
    it('unreadable file', async () => oneLine(await runCli(join(tmpdir(), 'no-such.heapsnapshot'), '--id', '1'), /cannot read .*no-such\.heapsnapshot: no such file$/m));
    it('corrupt snapshot, with the byte offset', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rg-cli-'));
      const truncated = join(dir, 'truncated.heapsnapshot');
      writeFileSync(truncated, readFileSync(snapshot).subarray(0, 5000));
      oneLine(await runCli(truncated, '--id', '1'), /is not a valid heap snapshot: .*at byte 5000/);
      const notJson = join(dir, 'notes.heapsnapshot');
      writeFileSync(notJson, 'hello, I am not a snapshot');
      oneLine(await runCli(notJson, '--id', '1'), /is not a valid heap snapshot: .*byte 0/);
    });
  });
});

describe('retainer-graph --format svg with heap strings that look like markup', () => {
  it('shows them as text in the image', async () => {
    const snapshot = await fixtureSnapshot('hostileKeys');
    const result = await runCli(snapshot, '--class', 'MarkupKeyed', '--format', 'svg');
    assert.equal(result.code, 0, result.stderr);
    const { elements, texts } = parseSvg(result.stdout);
    assert.ok(texts.includes('get("</text><script>alert(1)</script> & \\"q\\"")'), JSON.stringify(texts));
    assert.ok(!elements.includes('script'), 'no element comes from a heap string');
    assert.ok(result.stdout.includes('&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;'));
  });
});

describe('retainer-graph --refs (what the object holds, objgraph\'s show_refs)', () => {
  it('walks down from the static map: its entries as get(key), each Processor with what it holds', async () => {
    const snapshot = await fixtureSnapshot('staticMap');
    const path = await runCli(snapshot, '--class', 'ResourceLoader', '--format', 'json');
    const mapId = (JSON.parse(path.stdout) as Walk).nodes.find((node) => node.label === 'Processor.instanceMap')!.id;
    const refs = await runCli(snapshot, '--id', String(mapId), '--refs', '--depth', '2', '--fan-out', '3');
    assert.equal(refs.code, 0, refs.stderr);
    assert.match(refs.stdout, new RegExp(`^What Processor\\.instanceMap \\(Map @${mapId}\\) holds`));
    assert.match(refs.stdout, /References within depth 2, fan-out 3:/);
    assert.match(refs.stdout, /\n├─ get\("bot1"\) → Processor @\d+\n│  ├─ \.name → "bot1"/);
    assert.match(refs.stdout, /\n└─ \+2 more references, past the fan-out\n/, 'bot4 and bot5 were cut by the fan-out');
    const json = JSON.parse((await runCli(snapshot, '--id', String(mapId), '--refs', '--format', 'json')).stdout) as Walk;
    assert.equal(json.direction, 'references');
    // Levels count down from the map: every other node is found one level below a holder that holds it.
    const level = (id: number): number => json.nodes.find((n) => n.id === id)!.level;
    for (const node of json.nodes) {
      if (node.id === mapId) assert.equal(node.level, 0);
      else assert.ok(json.edges.some((edge) => edge.to === node.id && level(edge.from) === node.level - 1), `@${node.id} hangs under a holder`);
    }
  });
});

describe('retainer-graph --include-weak', () => {
  it('shows the WeakRef only when asked', async () => {
    const snapshot = await fixtureSnapshot('weak');
    const strong = await runCli(snapshot, '--class', 'WeakRefTarget', '--depth', '2');
    assert.equal(strong.code, 0, strong.stderr);
    assert.doesNotMatch(strong.stdout, /WeakRef @/);
    const weak = await runCli(snapshot, '--class', 'WeakRefTarget', '--depth', '2', '--include-weak');
    assert.equal(weak.code, 0, weak.stderr);
    assert.match(weak.stdout, /Retainers within depth 2, fan-out 10, weak edges included:/);
    assert.match(weak.stdout, /\n└─ [^\n]*target in WeakRef @\d+\n/);
  });
});

describe('retainer-graph on a real program that keeps its state in WeakMaps (ESLint 9)', () => {
  let snapshot: string;
  before(async () => {
    snapshot = await fixtureSnapshot('eslintLinter');
  });

  it('--class Linter finds the path through privateMembers, naming the key, and draws both halves', async () => {
    const text = await runCli(snapshot, '--class', 'Linter');
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /unreachable/);
    assert.match(text.stdout, /\n {4}privateMembers → privateMembers \(node_modules\/eslint\/lib\/eslint\/eslint\.js\) \(WeakMap @\d+\) {3}\[static-map\]\n {4}WeakMap entry keyed by ESLint @(\d+) → Object @\d+\n {4}\.linter → Linter @\d+ {3}← target\n/);
    // The tree cuts long labels, here within the module's path.
    assert.match(text.stdout, /key of WeakMap entry in privateMembers \(node_modules\/eslint\/[^\n]* in ESLint @\d+/);

    const json = await runCli(snapshot, '--class', 'Linter', '--format', 'json');
    const walk = JSON.parse(json.stdout) as Walk;
    const halves = walk.edges.filter((edge) => edge.ephemeron !== undefined);
    assert.deepEqual(halves.map((edge) => edge.ephemeron).sort(), ['key', 'map']);
    assert.equal(halves[0].to, halves[1].to, 'both halves hold the same value');
    const key = walk.nodes.find((node) => node.id === halves.find((edge) => edge.ephemeron === 'key')!.from);
    assert.equal(key?.name, 'ESLint');
    assert.ok(walk.nodes.every((node) => node.v8SelfSize >= 0 && node.selfSize >= 0));

    const dot = await runCli(snapshot, '--class', 'Linter', '--format', 'dot');
    assert.equal((dot.stdout.match(/arrowhead=onormal/g) ?? []).length, 2, 'both halves drawn as a WeakMap entry');
  });

  it('a hand-written private state class: AccountState is alive through its Account', async () => {
    const result = await runCli(snapshot, '--class', 'AccountState');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /secrets → secrets \(eslintLinter\.js\) \(WeakMap @\d+\)|key of WeakMap entry in secrets \(eslintLinter\.js\) → AccountState/);
    assert.match(result.stdout, /WeakMap entry keyed by Account @\d+/);
  });
});

describe('retainer-graph usage errors exit 2 with the usage line', () => {
  const cases: [string, string[], RegExp][] = [
    ['no arguments', [], /give a snapshot file or --connect/],
    ['unknown option', ['x.heapsnapshot', '--dept', '3'], /Unknown option '--dept'/],
    ['no object chosen', ['x.heapsnapshot'], /say which object: --id <N> or --class <Name>/],
    ['bad id', ['x.heapsnapshot', '--id', 'abc'], /--id expects a snapshot object id/],
    ['bad format', ['x.heapsnapshot', '--id', '1', '--format', 'xml'], /--format must be one of text, json, dot, svg, got "xml"/],
    ['bad depth', ['x.heapsnapshot', '--id', '1', '--depth', '0'], /--depth expects a whole number of at least 1/],
    ['--expr on a file', ['x.heapsnapshot', '--expr', 'a'], /--expr needs a live process/],
    ['file and --connect', ['x.heapsnapshot', '--connect', '127.0.0.1:9229', '--expr', 'a'], /not both/],
    ['bad host:port', ['--connect', 'localhost', '--expr', 'a'], /--connect expects host:port \(e\.g\. 127\.0\.0\.1:9229\) or a ws:\/\/ URL/],
    ['--nth without --class', ['x.heapsnapshot', '--id', '1', '--nth', '2'], /--nth only applies to --class/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const result = await runCli(...args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, pattern);
      assert.match(result.stderr, /\nusage: retainer-graph <file\.heapsnapshot> \(--id <N> \| --class <Name> \[--nth <k>\]\)/);
    });
  }

  it('--help prints the usage and exits 0; --version prints the package version', async () => {
    const help = await runCli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: retainer-graph/);
    assert.match(help.stdout, /--connect <host:port>/);
    const version = await runCli('--version');
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('retainer-graph --connect against a real --inspect process', () => {
  let target: InspectedProcess;
  let endpoint: string;
  before(async () => {
    target = await startInspected(fixturePath('leakyTarget.js'));
    endpoint = `${target.host}:${target.port}`;
  });
  after(() => target.kill());

  const globals = () => globalsOf(target);

  it('walks the value of an expression and leaves no globals behind', async () => {
    const before = await globals();
    const result = await runCli('--connect', endpoint, '--expr', 'ProcessorClass.instanceMap.get("bot3")');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Retainers of Processor @\d+/);
    assert.match(result.stdout, /\n {4}\.instanceMap → Processor\.instanceMap \(Map @\d+\) {3}\[static-map\]\n {4}get\("bot3"\) → Processor @\d+ {3}← target\n/);
    assert.deepEqual(await globals(), before);
  });

  it('prints nothing on stderr under the Node versions users run (no deprecation warning from the inspector client)', { skip: laterNode ? false : 'no Node 22+ provisioned in .vscode-test' }, async () => {
    const result = await runCliWith(laterNode!, '--connect', endpoint, '--expr', 'ProcessorClass.instanceMap', '--depth', '2');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  });

  it('--class works on a live snapshot too, and --connect takes the ws:// URL Node printed', async () => {
    const result = await runCli('--connect', target.webSocketUrl, '--class', 'ResourceLoader', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const walk = JSON.parse(result.stdout) as Walk;
    assert.equal(walk.nodes.find((node) => node.id === walk.target)?.name, 'ResourceLoader');
  });

  it('an expression that throws exits 1 with the exception text', async () => {
    const result = await runCli('--connect', endpoint, '--expr', 'ProcessorClass.missing.value');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "retainer-graph: the expression threw: TypeError: Cannot read properties of undefined (reading 'value')\n");
  });

  it('an object only our expression held is collected before the snapshot, and says so', async () => {
    const result = await runCli('--connect', endpoint, '--expr', '({ shortLived: true })');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^retainer-graph: the object @\d+ was collected before the snapshot \(nothing retains it any more\)\n$/);
  });

  it('a primitive exits 1 and says why', async () => {
    const result = await runCli('--connect', endpoint, '--expr', 'ProcessorClass.instanceMap.size');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'retainer-graph: the expression evaluated to the number 5, not an object; primitives have no retainers to show\n');
  });

  it('a closed port exits 1: nothing is listening', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const result = await runCli('--connect', `127.0.0.1:${port}`, '--expr', 'x');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `retainer-graph: nothing is listening on 127.0.0.1:${port}; start Node with --inspect (or check the port)\n`);
  });
});

describe('retainer-graph --connect: Ctrl-C', () => {
  it('cancels, exits 1 with "cancelled", and leaves the process as it was', async () => {
    const target = await startInspected(fixturePath('leakyTarget.js'), { env: { BALLAST: '300000' } });
    try {
      const readGlobals = () => globalsOf(target);
      const before = await readGlobals();
      // The expression keeps the target busy for 3 s, so SIGINT at 1.5 s always
      // lands before the capture could finish, however fast the machine.
      const slowExpression = '(() => { const until = Date.now() + 3000; while (Date.now() < until); return ProcessorClass.instanceMap; })()';
      const child = execFile(process.execPath, [cli, '--connect', `${target.host}:${target.port}`, '--expr', slowExpression]);
      let stderr = '';
      child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
      setTimeout(() => child.kill('SIGINT'), 1500);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1, stderr);
      assert.equal(stderr, 'retainer-graph: cancelled; the target process was left as it was\n');
      assert.deepEqual(await readGlobals(), before);
      const after = await runCli('--connect', `${target.host}:${target.port}`, '--expr', 'ProcessorClass.instanceMap', '--depth', '2');
      assert.equal(after.code, 0, after.stderr);
    } finally {
      await target.kill();
    }
  });
});
