// Bundles every runtime with esbuild. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

const builds = [
  // The extension host: Node, CommonJS, vscode provided at run time.
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The command-line front end.
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // The engine served over worker_threads.
  { ...common, entryPoints: ['src/worker/main.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs' },
  // The webview: browser only.
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  // The extension-host test suite (run() + every test/vscode/suite/**/*.spec.ts); mocha is loaded from node_modules.
  { ...common, entryPoints: ['test/vscode/index.ts'], outfile: 'out/test/index.js', platform: 'node', format: 'cjs', external: ['vscode', 'mocha'] },
];

mkdirSync('dist', { recursive: true });
cpSync('webview/styles.css', 'dist/webview.css');
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
