// `retainer-graph --connect … --watch` as a test of a fix would run it, on a
// real process that leaks until told to apply the fix (sessionsTarget.js
// reads "free" on stdin): exit 0 once the object is collected, exit 1 with its
// retainers when it is still alive at --timeout. Also --id with an id from
// another open session, Ctrl-C, and what the process is left with.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';
import type { WatchReport } from '../../src/protocol/liveHeap';
import { InspectorSession } from '../../src/inspector';
import { fixturePath, globalsOf, sendCommand, startInspected, type InspectedProcess } from '../inspector/helpers/target';
import { nodeWithSnapshotLineEnds, nodeWithoutSnapshotLineEnds } from '../inspector/helpers/nodeBinaries';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves when it exits, `stderrLine` when stderr has a line matching. */
function startCli(...args: string[]): { child: ChildProcess; done: Promise<CliResult>; stderrLine(pattern: RegExp): Promise<string> } {
  const child = execFile(process.execPath, [cli, ...args], { maxBuffer: 64 << 20, timeout: 300_000 });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const done = new Promise<CliResult>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  const stderrLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const line = stderr.split('\n').find((l) => pattern.test(l));
        if (line === undefined) return false;
        resolve(line);
        return true;
      };
      if (look()) return;
      child.stderr!.on('data', look);
      void done.then(() => look() || reject(new Error(`the CLI exited without printing ${pattern}: ${stderr}`)));
    });
  return { child, done, stderrLine };
}

function runCli(...args: string[]): Promise<CliResult> {
  return startCli(...args).done;
}

/** A port nothing listens on: one the system just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** What another client sees as the heap id of the global object: "0" when the process holds no ids (nobody tracks, nothing assigned). */
async function heapIdSeenByAnotherClient(target: InspectedProcess): Promise<string> {
  const client = await CDP({ target: target.webSocketUrl, local: true });
  try {
    const { result } = await client.send('Runtime.evaluate', { expression: 'globalThis', objectGroup: 'probe' });
    const { heapSnapshotObjectId } = await client.send('HeapProfiler.getHeapObjectId', { objectId: result.objectId! });
    await client.send('Runtime.releaseObjectGroup', { objectGroup: 'probe' });
    return heapSnapshotObjectId;
  } finally {
    await client.close();
  }
}

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli', 'helper'], { cwd: root, stdio: 'inherit' });
});

describe('retainer-graph --watch usage errors exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['without --connect', ['x.heapsnapshot', '--id', '1', '--watch'], /--watch follows a live process: use it with --connect <host:port>/],
    ['with --class', ['--connect', '127.0.0.1:9229', '--class', 'Session', '--watch'], /--watch needs --expr "<JS expression>" or --id <N>/],
    ['with nothing to watch', ['--connect', '127.0.0.1:9229', '--watch'], /--watch needs --expr "<JS expression>" or --id <N>/],
    ['--every without --watch', ['--connect', '127.0.0.1:9229', '--expr', 'a', '--every', '2'], /--every and --timeout apply to --watch/],
    ['a bad --timeout', ['--connect', '127.0.0.1:9229', '--expr', 'a', '--watch', '--timeout', 'soon'], /--timeout expects a number of seconds above 0, got "soon"/],
    ['a format it cannot print', ['--connect', '127.0.0.1:9229', '--expr', 'a', '--watch', '--format', 'svg'], /--watch prints text or json, not svg/],
    ['--refs', ['--connect', '127.0.0.1:9229', '--expr', 'a', '--watch', '--refs'], /--watch prints what keeps the object alive when it is not collected: --refs does not apply/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const result = await runCli(...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.match(result.stderr, /\n {7}retainer-graph --connect <host:port> \(--expr "<JS expression>" \| --id <N>\) --watch \[--every <seconds>\] \[--timeout <seconds>\]\n/);
    });
  }
});

describe('retainer-graph --watch without a process to watch', () => {
  it('a closed port: exit 1 with one line naming it', async () => {
    const port = await closedPort();
    const result = await runCli('--connect', `127.0.0.1:${port}`, '--expr', 'globalThis', '--watch');
    assert.equal(result.code, 1);
    assert.equal(result.stderr.split('\n').filter((line) => line.startsWith('retainer-graph:')).join('\n'), `retainer-graph: nothing is listening on 127.0.0.1:${port}; start Node with --inspect (or check the port)`);
    assert.equal(result.stdout, '');
  });
});

const runtimes: [string, string | undefined][] = [
  ['Node 20', nodeWithoutSnapshotLineEnds],
  ['Node 24', nodeWithSnapshotLineEnds],
];

for (const [name, node] of runtimes) {
  describe(`retainer-graph --watch on a real --inspect process (${name})`, { skip: node === undefined && `${name} is not installed here` }, () => {
    let target: InspectedProcess;
    let endpoint: string;
    let globals: string[];
    before(async () => {
      target = await startInspected(fixturePath('sessionsTarget.js'), { stdin: 'pipe', node });
      endpoint = `${target.host}:${target.port}`;
      globals = await globalsOf(target);
    });
    after(() => target.kill());

    it('still alive at --timeout: exit 1 with what keeps it alive, from a snapshot over the same session', async () => {
      const result = await runCli('--connect', endpoint, '--expr', 'SessionRegistry.open.get("s1")', '--watch', '--timeout', '1', '--every', '0.2');
      assert.equal(result.code, 1, result.stderr);
      const [, id] = /^Session @(\d+) is still alive \(after [\d.]+ s, \d+ checks\)\. What keeps it alive:\n\nRetainers of Session @(\d+)/.exec(result.stdout) ?? [];
      assert.ok(id, result.stdout);
      assert.match(result.stdout, new RegExp(`^Session @${id} is still alive[^\\n]*\\n\\nRetainers of Session @${id},`), 'the chain is of the watched object: the ids held across the session');
      assert.match(result.stdout, /\n {4}\.open → SessionRegistry\.open \(Map @\d+\) {3}\[static-map\]\n {4}get\("s1"\) → Session @\d+ {3}← target\n/);
      assert.match(result.stderr, new RegExp(`^Watching Session @${id} until it is collected \\(a check every 0\\.2 s, for up to 1 s; Ctrl-C stops and leaves the process as it was\\)\\n$`));
      assert.deepEqual(await globalsOf(target), globals, 'no global added');
      assert.equal(await heapIdSeenByAnotherClient(target), '0', 'no ids or tracking left behind');
    });

    it('collected once the fix runs: exit 0; --format json is the WatchReport', async () => {
      const watch = startCli('--connect', endpoint, '--expr', 'SessionRegistry.open.get("s2")', '--watch', '--every', '0.2', '--timeout', '240', '--format', 'json');
      try {
        await watch.stderrLine(/^Watching Session @\d+/);
        await sendCommand(target, 'free');
        const result = await watch.done;
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout) as WatchReport;
        assert.deepEqual(Object.keys(report).sort(), ['checks', 'className', 'id', 'outcome', 'seconds']);
        assert.equal(report.outcome, 'collected');
        assert.equal(report.className, 'Session');
        assert.ok(report.checks >= 1);
      } finally {
        watch.child.kill('SIGKILL');
        await sendCommand(target, 'open 5');
      }
      assert.deepEqual(await globalsOf(target), globals, 'no global added');
    });

    it('--id watches an id from another session that is still open; once ids are gone it says so instead of "collected"', async () => {
      const session = await InspectorSession.connect({ host: target.host, port: target.port });
      let id: number;
      try {
        [id] = await session.captureSnapshot([await session.evaluate('SessionRegistry.open.values().next().value')]);
        const result = await runCli('--connect', endpoint, '--id', `@${id}`, '--watch', '--timeout', '0.5', '--depth', '2');
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stdout, new RegExp(`^Session @${id} is still alive`));
      } finally {
        await session.close();
      }
      // The session that assigned the ids is closed: V8 forgot them (any id now reads "not available").
      const result = await runCli('--connect', endpoint, '--id', `@${id}`, '--watch');
      assert.equal(result.code, 1);
      assert.equal(result.stderr, 'retainer-graph: the process holds no heap snapshot ids: ids exist only while the inspector session that took the snapshot stays open (closing it, or restarting the process, ends them)\n');
    });

    it('Ctrl-C stops the watch, exits 1 with "cancelled", and leaves the process as it was', async () => {
      const watch = startCli('--connect', endpoint, '--expr', 'SessionRegistry.open.values().next().value', '--watch', '--timeout', '240');
      await watch.stderrLine(/^Watching Session @\d+/);
      watch.child.kill('SIGINT');
      const result = await watch.done;
      assert.equal(result.code, 1);
      assert.match(result.stderr, /\nretainer-graph: cancelled; the target process was left as it was\n$/);
      assert.equal(result.stdout, '');
      assert.deepEqual(await globalsOf(target), globals);
      assert.equal(await heapIdSeenByAnotherClient(target), '0');
    });

    it('an expression that throws: exit 1 with what it threw, nothing watched', async () => {
      const result = await runCli('--connect', endpoint, '--expr', 'SessionRegistry.closed.get("s1")', '--watch');
      assert.equal(result.code, 1);
      assert.equal(result.stderr, "retainer-graph: the expression threw: TypeError: Cannot read properties of undefined (reading 'get')\n", 'one line, and nothing watched');
      assert.deepEqual(await globalsOf(target), globals);
    });

    it('another inspector client disconnecting mid-watch: V8 forgot the ids, so exit 1 saying the watch cannot tell', async () => {
      const watch = startCli('--connect', endpoint, '--expr', 'SessionRegistry.open.values().next().value', '--watch', '--every', '0.2', '--timeout', '240');
      try {
        await watch.stderrLine(/^Watching Session @\d+/);
        await globalsOf(target); // connects, evaluates, closes
        const result = await watch.done;
        assert.equal(result.code, 1);
        assert.match(result.stderr, /\nretainer-graph: another inspector client disconnected from the process while Session @\d+ was watched, and V8 forgot every snapshot id with it: the watch cannot tell any more; run it again\n$/);
        assert.equal(result.stdout, '', 'never reported as collected');
      } finally {
        watch.child.kill('SIGKILL');
      }
    });

    it('the process exits mid-watch: exit 1, saying it was not collected before then', async () => {
      const doomed = await startInspected(fixturePath('sessionsTarget.js'), { node });
      try {
        const watch = startCli('--connect', `${doomed.host}:${doomed.port}`, '--expr', 'SessionRegistry.open.get("s1")', '--watch', '--every', '0.2', '--timeout', '240');
        await watch.stderrLine(/^Watching Session @\d+/);
        await doomed.kill();
        const result = await watch.done;
        assert.equal(result.code, 1);
        assert.match(result.stderr, /\nretainer-graph: the process exited \(or closed its inspector\) while Session @\d+ was watched: not collected before then\n$/);
        assert.equal(result.stdout, '');
      } finally {
        await doomed.kill();
      }
    });
  });
}
