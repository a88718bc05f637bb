// The TypeScript compiler holding a checked Program: this project's own
// sources (extension, CLI, engine, worker) with the ES2022, Node and VS Code declarations,
// diagnostics computed, Program and checker kept alive; then a snapshot.
// argv: <out.heapsnapshot> <project root>
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const writeSnapshot = require('./writeSnapshot.cjs');
const [out, root] = process.argv.slice(2);
const ts = require(require.resolve('typescript', { paths: [root] }));

function sources(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const roots = ['src'].flatMap((dir) => sources(join(root, dir)));
const options = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'], types: ['node', 'vscode'], typeRoots: [join(root, 'node_modules', '@types')],
  strict: true, noEmit: true, skipLibCheck: false, resolveJsonModule: true, esModuleInterop: true,
};
const program = ts.createProgram(roots, options);
const checker = program.getTypeChecker();
const diagnostics = ts.getPreEmitDiagnostics(program);
globalThis.compiled = { program, checker, messages: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) };
writeSnapshot(out);
