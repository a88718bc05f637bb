// ESLint 9 linting real code (its own sources) with its recommended rules:
// each file's SourceCode (tokens, AST, scopes) and messages kept alive, as an
// editor integration keeps them; then a snapshot.
// argv: <out.heapsnapshot> <project root> [files]
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const writeSnapshot = require('./writeSnapshot.cjs');
const [out, root, fileCount = '68'] = process.argv.slice(2);
const requireFromRoot = (name) => require(require.resolve(name, { paths: [root] }));
const { Linter } = requireFromRoot('eslint');
const js = requireFromRoot('@eslint/js');

function sources(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

const lib = dirname(require.resolve('eslint', { paths: [root] }));
const files = sources(lib).slice(0, Number(fileCount));
const linter = new Linter({ configType: 'flat' });
const config = [js.configs.recommended, { languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } } }];
const linted = files.map((file) => {
  // Named relative to ESLint's folder: a path inside node_modules matches no configuration.
  const messages = linter.verify(readFileSync(file, 'utf8'), config, relative(lib, file));
  return { file, messages, sourceCode: linter.getSourceCode() };
});
globalThis.linted = { linter, linted };
writeSnapshot(out);
