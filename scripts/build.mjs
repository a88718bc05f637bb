// Bundles every runtime with esbuild. `--watch` rebuilds on change; names
// (`node scripts/build.mjs webview cli`) build only those bundles.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { buildWasm } from './buildWasm.mjs';

// The first step of `npm test` and `npm start`: say plainly when this Node is too old.
if (Number(process.versions.node.split('.')[0]) < 20) {
  console.error(`Retainer Graph needs Node.js 20 or later to build, test and run; this is ${process.version}.`);
  process.exit(1);
}

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };
/** A page's stylesheet with its `@import`s (theme.css, shared by every webview) inlined. */
const css = (entry, outfile) => ({ bundle: true, logLevel: 'warning', entryPoints: [entry], outfile });

const bundles = {
  // The extension host: Node, CommonJS, vscode provided at run time.
  extension: { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The command-line front end.
  cli: { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // The engine served over worker_threads.
  worker: { ...common, entryPoints: ['src/worker/main.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs' },
  // The second thread that cli.js and worker.js start for large snapshots (found next to them).
  helper: { ...common, entryPoints: ['src/loading/helperMain.ts'], outfile: 'dist/helper.js', platform: 'node', format: 'cjs' },
  // The retainer graph webview: browser only.
  webview: [
    { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
    css('webview/styles.css', 'dist/webview.css'),
  ],
  // The Growth webview (what grew between snapshots, merged paths): browser only.
  growthView: [
    { ...common, entryPoints: ['webview/growth/main.ts'], outfile: 'dist/growthView.js', platform: 'browser', format: 'iife' },
    css('webview/growth/styles.css', 'dist/growthView.css'),
  ],
  // The Memory view beside the debugger (the memory chart of a live target): browser only.
  memoryView: [
    { ...common, entryPoints: ['webview/memory/main.ts'], outfile: 'dist/memoryView.js', platform: 'browser', format: 'iife' },
    css('webview/memory/styles.css', 'dist/memoryView.css'),
  ],
  // The extension-host test suite (run() + every test/vscode/suite/**/*.spec.ts); mocha is loaded from node_modules.
  suite: { ...common, entryPoints: ['test/vscode/index.ts'], outfile: 'out/test/index.js', platform: 'node', format: 'cjs', external: ['vscode', 'mocha'] },
};

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const unknown = names.filter((name) => !(name in bundles));
if (unknown.length > 0) throw new Error(`unknown bundle ${unknown.join(', ')}; known: ${Object.keys(bundles).join(', ')}`);
const builds = (names.length > 0 ? names : Object.keys(bundles)).flatMap((name) => bundles[name]);

// The engine's WebAssembly (a module of bytes the node bundles import); the
// webviews alone (what the webview tests build) do not need the compiler run.
if (builds.some((options) => options.platform === 'node')) await buildWasm();
mkdirSync('dist', { recursive: true });
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
