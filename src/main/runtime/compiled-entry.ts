/**
 * A TypeScript entry compiled once into one ES module under `node_modules/.cache`, for the
 * processes and threads we start ourselves (sweep workers, the parquet reader thread) when
 * running from source. Started through the TypeScript loader instead, each spent more on
 * compiling and resolving hundreds of modules than on its first work, and the loader's own
 * thread cost some 80 MB per worker thread.
 *
 * The bundle is reused while every input file keeps its size and modification time (a manifest
 * beside it records them), so a start normally costs a few stats, not a compile. Bundles are
 * named by content, and manifests by source path: worktrees sharing one node_modules never
 * overwrite each other's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import type { BuildOptions, BuildResult } from 'esbuild';

export interface CompileOptions {
  /** Folder under `node_modules/.cache` and the bundle's name prefix. */
  name: string;
  /** Packages loaded from node_modules at run time (native code, wasm beside the module). */
  external?: string[];
  /** Every package stays an import (resolved from node_modules), only our sources are bundled. */
  packagesExternal?: boolean;
}

interface Manifest {
  bundle: string;
  /** `size:mtime` of every input file, by absolute path. */
  inputs: Record<string, string>;
}

/** CommonJS packages bundled into an ES module still call require. */
const BANNER =
  "import { createRequire as __tapedeckRequire } from 'node:module';\n" +
  'const require = __tapedeckRequire(import.meta.url);\n';

/** `size:mtime` of a file, or 'missing': what says a compiled copy is stale. */
export function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** `node_modules/.cache/<name>` of the install the packages resolve from. */
function cacheDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve('esbuild'));
  while (basename(dir) !== 'node_modules' && dirname(dir) !== dir) dir = dirname(dir);
  if (basename(dir) !== 'node_modules') throw new Error('no node_modules folder');
  return join(dir, '.cache', name);
}

/** Written under a unique name, then renamed: a concurrent reader sees all or nothing. */
function writeAtomic(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

interface Slot {
  dir: string;
  manifestPath: string;
  /** The bundle still fresh for every input, or null. */
  fresh: string | null;
}

function slotOf(source: string, options: CompileOptions): Slot {
  const dir = cacheDir(options.name);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const manifestPath = join(dir, `${options.name}-${key}.json`);
  try {
    const known = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const file = join(dir, known.bundle);
    const fresh = Object.entries(known.inputs).every(([path, s]) => fileStamp(path) === s);
    if (fresh && existsSync(file)) return { dir, manifestPath, fresh: file };
  } catch {
    // No manifest yet, or a broken one: compile.
  }
  return { dir, manifestPath, fresh: null };
}

function buildOptions(source: string, options: CompileOptions): BuildOptions {
  return {
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(options.packagesExternal ? { packages: 'external' as const } : {}),
    external: options.external ?? [],
    banner: { js: BANNER },
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: process.cwd(),
  };
}

function store(slot: Slot, options: CompileOptions, result: BuildResult): string {
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile!.inputs)) {
    const path = resolve(process.cwd(), input);
    inputs[path] = fileStamp(path);
  }
  const code = result.outputFiles![0]!.text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const bundle = `${options.name}-${hash}.mjs`;
  mkdirSync(slot.dir, { recursive: true });
  const file = join(slot.dir, bundle);
  if (!existsSync(file)) writeAtomic(file, code);
  writeAtomic(slot.manifestPath, JSON.stringify({ bundle, inputs } satisfies Manifest));
  return file;
}

function esbuild(): typeof import('esbuild') {
  return createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
}

/** The compiled module's path, compiling `source` only when an input changed. Throws on failure. */
export function compiledEntry(source: string, options: CompileOptions): string {
  const slot = slotOf(source, options);
  return slot.fresh ?? store(slot, options, esbuild().buildSync(buildOptions(source, options)));
}

/** compiledEntry without blocking the thread while esbuild compiles. */
export async function compiledEntryAsync(source: string, options: CompileOptions): Promise<string> {
  const slot = slotOf(source, options);
  if (slot.fresh) return slot.fresh;
  return store(slot, options, await esbuild().build(buildOptions(source, options)));
}
