/**
 * Starts a real Node process under `--inspect=127.0.0.1:0` and reads the port
 * it picked from stderr ("Debugger listening on ws://127.0.0.1:PORT/…").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';

export interface InspectedProcess {
  child: ChildProcess;
  host: string;
  port: number;
  webSocketUrl: string;
  /** Kills the process (SIGKILL) and waits for it to exit. */
  kill(): Promise<void>;
}

export const fixturePath = (name: string) => join(__dirname, '..', 'fixtures', name);

/**
 * Resolves once the target printed `readyLine` on stdout (its top-level code
 * finished), when given. `node` is the binary to run (default: the one running
 * the tests); `stdin: 'pipe'` for a target that reads commands.
 */
export async function startInspected(
  script: string,
  {
    env = {},
    args = [],
    readyLine = 'ready',
    node = process.execPath,
    stdin = 'ignore',
  }: { env?: Record<string, string>; args?: string[]; readyLine?: string | null; node?: string; stdin?: 'ignore' | 'pipe' } = {},
): Promise<InspectedProcess> {
  const child = spawn(node, ['--inspect=127.0.0.1:0', ...args, script], {
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let stderr = '';
  const webSocketUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no inspector URL after 10 s; stderr: ${stderr}`)), 10_000);
    child.stderr!.on('data', (data: Buffer) => {
      stderr += data.toString();
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`target exited (${code}) before listening; stderr: ${stderr}`));
    });
  });
  if (readyLine !== null) {
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`target did not print "${readyLine}" within 30 s`)), 30_000);
      child.stdout!.on('data', (data: Buffer) => {
        stdout += data.toString();
        if (stdout.split('\n').includes(readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`target exited (${code}) before it was ready; stderr: ${stderr}`));
      });
    });
  }
  const url = new URL(webSocketUrl);
  return {
    child,
    host: url.hostname,
    port: Number(url.port),
    webSocketUrl,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Sends a command line to a target that reads them (sessionsTarget.js) and waits for its "done <line>". */
export function sendCommand(target: Pick<InspectedProcess, 'child'>, line: string): Promise<void> {
  const { stdin, stdout } = target.child;
  if (!stdin || !stdout) throw new Error('the target was started without stdin: "pipe"');
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (data: Buffer) => {
      out += data.toString();
      if (!out.split('\n').includes(`done ${line}`)) return;
      stdout.off('data', onData);
      target.child.off('exit', onExit);
      resolve();
    };
    const onExit = () => reject(new Error(`the target exited before it did "${line}"`));
    stdout.on('data', onData);
    target.child.once('exit', onExit);
    stdin.write(`${line}\n`);
  });
}

/** The target's global names, read from a separate raw CDP session (not the code under test). */
export async function globalsOf(target: Pick<InspectedProcess, 'webSocketUrl'>): Promise<string[]> {
  const client = await CDP({ target: target.webSocketUrl, local: true });
  try {
    const { result } = await client.send('Runtime.evaluate', { expression: 'Object.getOwnPropertyNames(globalThis).sort()', returnByValue: true });
    return result.value as string[];
  } finally {
    await client.close();
  }
}
