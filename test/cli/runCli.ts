/** Runs the built CLI (dist/cli.js) in its own process, as a user's shell would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI under `node` (a path to another Node binary, or this one). */
export function runCliWith(node: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(node, [cliPath, ...args], { maxBuffer: 64 << 20, timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function runCli(...args: string[]): Promise<CliResult> {
  return runCliWith(process.execPath, ...args);
}
