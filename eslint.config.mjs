// Lint keeps the runtime split honest: only src/extension (and the tests that
// run inside VS Code) may import `vscode`.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'vscode may only be imported under src/extension/ and test/vscode/.' }] }],
};

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
  // The webview bundle runs in a browser and shares src/protocol (rpc.ts among it): no node modules there.
  {
    files: ['webview/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'vscode may only be imported under src/extension/ and test/vscode/.' }],
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
