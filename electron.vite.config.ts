import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The engine runs off the Electron main thread (docs/design.md).
          'engine-worker': resolve(__dirname, 'src/main/electron/engine-worker.ts'),
          // The app's sweep runs, one process each (docs/sweeps.md).
          'sweep-worker': resolve(__dirname, 'src/main/electron/sweep-worker.ts'),
          // Parquet decoding runs ahead of the merge in a thread of its own (docs/long-sessions.md).
          'parquet-reader-worker': resolve(
            __dirname,
            'src/main/storage/parquet/parquet-reader-worker.ts',
          ),
        },
        // Native and wasm-backed packages load from node_modules at run time (esbuild compiles
        // strategy files with its native binary).
        external: ['better-sqlite3', 'parquet-wasm', '@duckdb/node-api', 'esbuild'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
  },
});
