/**
 * What a sweep worker process runs. From the TypeScript sources (`npm run sweep`, the tests,
 * the bench), the worker and everything it imports is compiled once into one ES module, kept
 * in `node_modules/.cache` and reused while no input changed: a worker started through the
 * TypeScript loader spent more on compiling and resolving hundreds of modules than on its
 * first runs, and two such starts at once left the second core nothing to gain. Packages with
 * native code or files of their own load from node_modules as usual.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  file: string;
  execArgv: string[];
}

const SOURCE = fileURLToPath(new URL('./sweep-process.ts', import.meta.url));
/** Loaded from node_modules at run time (native binaries, wasm files beside their module). */
const EXTERNAL = ['better-sqlite3', 'parquet-wasm', 'esbuild', '@duckdb/node-api'];
/** CommonJS packages bundled into an ES module still call require. */
const BANNER =
  "import { createRequire as __tapedeckRequire } from 'node:module';\n" +
  'const require = __tapedeckRequire(import.meta.url);\n';

interface Manifest {
  bundle: string;
  /** `size:mtime` of every input file, by absolute path. */
  inputs: Record<string, string>;
}

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

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** `node_modules/.cache/tapedeck-sweep` of the install the externals resolve from. */
function cacheDir(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('esbuild'));
  while (basename(dir) !== 'node_modules' && dirname(dir) !== dir) dir = dirname(dir);
  if (basename(dir) !== 'node_modules') throw new Error('no node_modules folder');
  return join(dir, '.cache', 'tapedeck-sweep');
}

/** Written under a unique name, then renamed: a concurrent reader sees all or nothing. */
function writeAtomic(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

async function compile(): Promise<WorkerEntry> {
  if (!SOURCE.endsWith('.ts') || !existsSync(SOURCE)) return sourceEntry();
  const dir = cacheDir();
  // One manifest per source tree: two checkouts sharing node_modules do not evict each other.
  const key = createHash('sha256').update(SOURCE).digest('hex').slice(0, 12);
  const manifestPath = join(dir, `sweep-process-${key}.json`);
  const execArgv = plainExecArgv();
  try {
    const known = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const file = join(dir, known.bundle);
    const fresh = Object.entries(known.inputs).every(([path, s]) => stamp(path) === s);
    if (fresh && existsSync(file)) return { file, execArgv };
  } catch {
    // No manifest yet, or a broken one: compile.
  }
  const { build } = await import('esbuild');
  const cwd = process.cwd();
  const result = await build({
    entryPoints: [SOURCE],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: BANNER },
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: cwd,
  });
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(cwd, input);
    inputs[path] = stamp(path);
  }
  const code = result.outputFiles[0]!.text;
  const bundle = `sweep-process-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, bundle);
  if (!existsSync(file)) writeAtomic(file, code);
  writeAtomic(manifestPath, JSON.stringify({ bundle, inputs } satisfies Manifest));
  return { file, execArgv };
}
