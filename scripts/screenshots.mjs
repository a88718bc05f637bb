// Refreshes the screenshots the README shows. Tests save every screenshot to
// the ignored test-results/screenshots/ (or, for the walkthroughs' e2e,
// test-results/e2e/); this runs the tiers that take them (webview and e2e;
// or the tiers named) and copies each image that media/screenshots/ holds
// from there. Nothing is copied from a failed run.
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const takenIn = [join('test-results', 'screenshots'), join('test-results', 'e2e')];
const shown = join('media', 'screenshots');
const named = process.argv.slice(2);
const tiers = named.length ? named : ['webview', 'e2e'];

// A file left from an earlier run must not pass for a fresh one.
for (const dir of takenIn) rmSync(dir, { recursive: true, force: true });
const run = spawnSync(process.execPath, ['scripts/test.mjs', ...tiers], { stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`\nscreenshots: the ${tiers.join(' and ')} tests failed; ${shown}/ is unchanged.`);
  process.exit(1);
}
const names = readdirSync(shown).filter((name) => name.endsWith('.png'));
const takenAs = (name) => takenIn.map((dir) => join(dir, name)).find((file) => existsSync(file));
const fresh = names.filter((name) => takenAs(name) !== undefined);
for (const name of fresh) copyFileSync(takenAs(name), join(shown, name));
const stale = names.filter((name) => !fresh.includes(name));
console.log(`\nscreenshots: refreshed ${fresh.length} of ${names.length} in ${shown}/${fresh.length ? `: ${fresh.join(', ')}` : ''}`);
if (stale.length > 0) {
  console.error(`screenshots: not taken by the ${tiers.join(' and ')} tests: ${stale.join(', ')}`);
  // Naming tiers refreshes only theirs; the default run must refresh them all.
  if (named.length === 0) process.exit(1);
}
