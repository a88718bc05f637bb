// The tools the benchmarks compare against, installed on first use into
// .bench/peers (not devDependencies: MemLab pulls in puppeteer, and nothing
// but the benchmarks needs them). PUPPETEER_SKIP_DOWNLOAD keeps puppeteer from
// downloading a browser there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const PEERS = resolve('.bench', 'peers');
export const PEER_VERSIONS = { '@memlab/core': '2.0.5', '@memlab/api': '2.0.5', '@vscode/v8-heap-parser': '0.1.0' };

export function installPeers() {
  const installed = Object.keys(PEER_VERSIONS).every((name) => existsSync(resolve(PEERS, 'node_modules', name, 'package.json')));
  if (installed) return PEERS;
  mkdirSync(PEERS, { recursive: true });
  if (!existsSync(resolve(PEERS, 'package.json'))) writeFileSync(resolve(PEERS, 'package.json'), '{ "name": "retainer-graph-bench-peers", "private": true }\n');
  console.error('installing peers into .bench/peers (first run only)…');
  const specs = Object.entries(PEER_VERSIONS).map(([name, version]) => `${name}@${version}`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', PEERS, ...specs], {
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (result.status !== 0) throw new Error('installing the benchmark peers failed; see npm output above');
  return PEERS;
}
