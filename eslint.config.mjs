// Lint keeps the runtime split honest: only src/extension (and the tests that
// run inside VS Code) may import `vscode`, lower layers do not import higher
// ones, and what the browser bundle shares imports no node modules.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const vscodeOnlyInExtension = { name: 'vscode', message: 'vscode may only be imported under src/extension/ and test/vscode/.' };
const noVscode = {
  'no-restricted-imports': ['error', { paths: [vscodeOnlyInExtension] }],
};
/** No vscode, nor any of `folders` (the layers that build on this one). */
const layerBelow = (folders, message) => ({
  'no-restricted-imports': ['error', { paths: [vscodeOnlyInExtension], patterns: [{ group: folders.map((folder) => `**/${folder}/*`), message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.bench/**', 'test/**/fixtures/**', 'src/engine/assembly/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      ...noVscode,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/extension/**/*.ts', 'test/vscode/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  // The engine is pure (no I/O: its tsconfig has no node types); loading serves the worker and the CLI without knowing them.
  { files: ['src/engine/**/*.ts'], rules: layerBelow(['loading', 'worker', 'cli', 'extension', 'inspector'], 'The engine may not import the layers that use it.') },
  { files: ['src/loading/**/*.ts'], rules: layerBelow(['worker', 'cli', 'extension', 'inspector'], 'Loading may not import the layers that use it.') },
  // The webview bundle runs in a browser and shares src/protocol (rpc.ts among it): no node modules there.
  {
    files: ['webview/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeOnlyInExtension],
          patterns: [{ group: ['node:*', ...builtinModules], message: 'webview/ and src/protocol/ run in the browser too: no node modules.' }],
        },
      ],
    },
  },
  // Heap strings are attacker-controlled: the webview sets text, never markup.
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'html', 'srcdoc', 'createContextualFragment', 'parseFromString'].map((property) => ({ property, message: 'Heap strings must be set as text (textContent / d3 .text()), never as HTML.' })),
        ...['write', 'writeln'].map((property) => ({ object: 'document', property, message: 'Heap strings must be set as text (textContent / d3 .text()), never as HTML.' })),
      ],
    },
  },
);
