// The TypeScript compiler over thousands of declaration files (`.d.ts`)
// installed in a project's node_modules (@types/*, TypeScript's own
// libraries, ESLint, Playwright, the DevTools protocol, …): the first
// `files` in path order, each a root of one Program, checked, the Program and
// checker kept alive; then a snapshot.
// argv: <out.heapsnapshot> <project root> [files]
'use strict';
const { readdirSync, lstatSync } = require('node:fs');
const { join } = require('node:path');
const writeSnapshot = require('./writeSnapshot.cjs');
const [out, root, fileCount = '1000'] = process.argv.slice(2);
const ts = require(require.resolve('typescript', { paths: [root] }));

function declarations(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return [];
    if (info.isDirectory()) return declarations(path);
    return name.endsWith('.d.ts') ? [path] : [];
  });
}

const roots = declarations(join(root, 'node_modules')).slice(0, Number(fileCount));
const options = { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: [], skipLibCheck: false, noResolve: false };
const program = ts.createProgram(roots, options);
const checker = program.getTypeChecker();
const diagnostics = ts.getPreEmitDiagnostics(program);
globalThis.compiled = { program, checker, roots: roots.length, diagnostics: diagnostics.length };
writeSnapshot(out);
