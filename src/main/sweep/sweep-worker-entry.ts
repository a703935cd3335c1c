/**
 * What a sweep worker process runs. From the TypeScript sources (`npm run sweep`, the tests,
 * the bench), the worker and everything it imports is one compiled module (compiled-entry.ts):
 * two workers starting through the TypeScript loader at once left the second core nothing to
 * gain. Packages with native code or files of their own load from node_modules as usual.
 */
import { existsSync } from 'node:fs';
import { compiledEntryAsync } from '../runtime/compiled-entry';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  file: string;
  execArgv: string[];
}

const SOURCE = fileURLToPath(new URL('./sweep-process.ts', import.meta.url));
/** Loaded from node_modules at run time (native binaries, wasm files beside their module). */
const EXTERNAL = ['better-sqlite3', 'parquet-wasm', 'esbuild', '@duckdb/node-api'];

let compiled: WorkerEntry | null = null;
let preparing: Promise<WorkerEntry> | null = null;

/** This process's node flags without the TypeScript loader's (the bundle needs none). */
function plainExecArgv(): string[] {
  const own = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  const out: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i]!;
    if (
      (arg === '--import' || arg === '--require' || arg === '-r') &&
      own[i + 1]?.includes('tsx')
    ) {
      i++;
      continue;
    }
    if (/^--(import|require)=.*tsx/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}

/** The TypeScript source through tsx: the way when no bundle could be made. */
function sourceEntry(): WorkerEntry {
  const own = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  const execArgv = own.some((a) => a.includes('tsx')) ? own : [...own, '--import', 'tsx'];
  return { file: SOURCE, execArgv };
}

/**
 * The desktop build has no TypeScript sources: its engine worker points the runner at the
 * bundled entry (plain JS, run on Electron's binary as Node, without the loader).
 */
export function useWorkerEntry(file: string): void {
  compiled = { file, execArgv: plainExecArgv() };
  preparing = Promise.resolve(compiled);
}

/** The entry to fork now: the compiled one once prepareWorkerEntry has made it. */
export function workerEntry(): WorkerEntry {
  return compiled ?? sourceEntry();
}

/**
 * Makes (or finds up to date) the compiled worker; resolves with the entry to fork. Never
 * fails: without a bundle, workers start from the sources as before.
 */
export function prepareWorkerEntry(): Promise<WorkerEntry> {
  preparing ??= compile().then(
    (entry) => (compiled = entry),
    () => sourceEntry(),
  );
  return preparing;
}

async function compile(): Promise<WorkerEntry> {
  if (!SOURCE.endsWith('.ts') || !existsSync(SOURCE)) return sourceEntry();
  return {
    file: await compiledEntryAsync(SOURCE, { name: 'sweep-process', external: EXTERNAL }),
    execArgv: plainExecArgv(),
  };
}
