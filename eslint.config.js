import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The apps on top: what hosts and the service may not reach. */
const APPS = [
  '**/main/electron/**',
  '../electron/**',
  '**/main/web/**',
  '../web/**',
  '**/main/cli/**',
  '../cli/**',
  '**/renderer/**',
  '**/preload/**',
];

/** What engine and storage may not reach: the layers above them, Electron and the renderer. */
const OUTER_LAYERS = ['**/host/**', '**/service/**', ...APPS];

/** One layer's import rule: Electron stays in the apps, and `group` is out of reach. */
function layer(files, why, group) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group, message: `layering: ${why}` }] },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'test-results/**',
      '.native/**',
      'bench/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // The layers (docs/design.md): shared ← engine, storage ← host, service ← electron, web,
  // cli; the renderer sees shared only. Each file falls in exactly one block below, so no
  // block's no-restricted-imports replaces another's (flat config keeps only the last).
  layer(['src/shared/**/*.ts'], 'the shared layer runs in every runtime', [
    'node:*',
    'fs',
    'path',
    '**/main/**',
    '**/renderer/**',
    '**/preload/**',
  ]),
  layer(['src/main/engine/**/*.ts'], 'the engine depends on shared only', [
    ...OUTER_LAYERS,
    '**/storage/**',
  ]),
  layer(['src/main/runtime/**/*.ts'], 'runtime helpers sit beside shared, below every layer', [
    ...OUTER_LAYERS,
    '**/engine/**',
    '**/storage/**',
    '**/sweep/**',
  ]),
  layer(['src/main/storage/**/*.ts'], 'storage depends on shared only (never the engine)', [
    ...OUTER_LAYERS,
    '**/engine/**',
  ]),
  layer(
    ['src/main/host/**/*.ts', 'src/main/service/**/*.ts', 'src/main/sweep/**/*.ts'],
    'hosts, the service and sweeps sit below the apps',
    APPS,
  ),
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', 'node:*'], message: 'the renderer sees src/shared only' },
          ],
        },
      ],
    },
  },
);
