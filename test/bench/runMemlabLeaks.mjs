// One benchmark run of MemLab's leak finding (@memlab/api 2.0.5, installed in
// .bench/peers): findLeaksBySnapshotFilePaths(baseline, target, final), the
// equivalent of `memlab find-leaks --baseline --target --final`.
// argv: <peersDir> <baseline> <target> <final> <workDir>. Prints one JSON line.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const [peers, baseline, target, final, workDir] = process.argv.slice(2);
const requirePeer = createRequire(`${peers}/package.json`);
const { findLeaksBySnapshotFilePaths } = requirePeer('@memlab/api');

async function main() {
  mkdirSync(workDir, { recursive: true });
  const started = performance.now();
  const leaks = await findLeaksBySnapshotFilePaths(baseline, target, final, { consoleMode: 'SILENT', workDir });
  const { user, system } = process.cpuUsage();
  console.log(JSON.stringify({ totalMs: performance.now() - started, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (user + system) / 1000, leaks: leaks.length }));
}

main().catch((error) => {
  console.error(error && error.message ? error.message : String(error));
  process.exit(1);
});
