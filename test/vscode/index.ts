// The entry VS Code's extension host calls with `extensionTestsPath`: the same
// `run()` serves @vscode/test-electron on desktop and the VS Code server's
// smoke-test driver in Chromium here (test/vscode/extensionHost.test.ts).
// scripts/build.mjs bundles it to out/test/index.js; the template-literal
// require below makes esbuild bundle every test/vscode/suite/**/*.spec.ts, and
// the file list read at run time picks which of them to run.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Mocha from 'mocha';

/** Folder of the spec sources, from out/test/index.js back into the repo. */
const suiteDir = join(__dirname, '..', '..', 'test', 'vscode', 'suite');

function specNames(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return specNames(path);
    return name.endsWith('.spec.ts') ? [relative(suiteDir, path).slice(0, -'.spec.ts'.length)] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.RETAINER_GRAPH_TEST_GREP;
  if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  for (const name of specNames(suiteDir)) {
    // A template-literal require is what makes esbuild bundle the whole suite folder.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mocha.suite.emit('require', require(`./suite/${name}.spec.ts`), name, mocha);
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed.`)) : resolve()));
  });
}
