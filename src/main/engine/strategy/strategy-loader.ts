/**
 * Loads a strategy module file (TypeScript or JavaScript): bundled with esbuild (so it may
 * import `trading-signals` or its own helpers), evaluated once, its default export checked.
 * Every failure names the file and, where there is one, the line.
 */
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message } from 'esbuild';
import { paramFields, type ParamField } from '../../../shared/strategy/params';
import type { Strategy, StrategyParams } from '../../../shared/strategy/types';
import { StrategyError, strategyFailure } from './strategy-error';

export const HANDLERS = ['onStart', 'onBar', 'onQuote', 'onTick', 'onEnd'] as const;

export interface LoadedStrategy {
  /** Absolute path of the file. */
  file: string;
  fields: ParamField[];
  /** Builds the strategy for resolved params (a fresh one per session). */
  create(params: StrategyParams): Strategy;
}

/** Where the app's packages are, so a strategy in any data folder can import them. */
function appNodeModules(): string[] {
  try {
    const pkg = createRequire(import.meta.url).resolve('trading-signals');
    let dir = dirname(pkg);
    while (basename(dir) !== 'node_modules' && dirname(dir) !== dir) dir = dirname(dir);
    return basename(dir) === 'node_modules' ? [dir] : [];
  } catch {
    return [];
  }
}

function buildError(file: string, messages: readonly Message[]): StrategyError {
  const first = messages[0];
  const where = first?.location;
  const detail = messages.map((m) => m.text).join('; ') || 'could not be compiled';
  return new StrategyError(file, where?.line ?? null, where ? where.column + 1 : null, detail);
}

/** A strategy file compiled to one ES module, and the files it was compiled from. */
export interface StrategyBundle {
  /** Absolute path of the file. */
  file: string;
  code: string;
  /** The source files the bundle holds, outside node_modules (the file and its own helpers). */
  sources: string[];
}

export async function loadStrategy(path: string): Promise<LoadedStrategy> {
  return evaluateStrategy(await bundleStrategy(path));
}

/** Compiles the file and what it imports; throws a StrategyError naming the file and line. */
export async function bundleStrategy(path: string): Promise<StrategyBundle> {
  const file = resolve(path);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new StrategyError(file, null, null, 'strategy file not found');
  }
  try {
    // Loaded when first needed, and as CommonJS: a sweep worker handed a compiled strategy
    // never pays for it, and an ES import would first scan its 100 kB for exports.
    const { build } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const result = await build({
      // The source map's paths are relative to the output: it must be as deep as where
      // evaluateStrategy writes the bundle (a folder of its own in the temporary folder).
      outfile: bundlePath(join(tmpdir(), 'tapedeck-strategy'), file),
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      metafile: true,
      nodePaths: appNodeModules(),
    });
    const cwd = process.cwd();
    const sources = Object.keys(result.metafile.inputs)
      .filter((input) => !/(^|[\\/])node_modules[\\/]/.test(input))
      .map((input) => resolve(cwd, input));
    return { file, code: result.outputFiles[0]!.text, sources };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors && errors.length > 0) throw buildError(file, errors);
    throw new StrategyError(
      file,
      null,
      null,
      error instanceof Error ? error.message : String(error),
    );
  }
}

/** Evaluates a bundle as a new module: each call gets its own module state. */
export async function evaluateStrategy(bundle: StrategyBundle): Promise<LoadedStrategy> {
  const { file } = bundle;
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-strategy-'));
  // Stack traces then point at the author's lines, not the bundle's.
  process.setSourceMapsEnabled(true);
  let mod: { default?: unknown };
  try {
    const bundled = bundlePath(dir, file);
    writeFileSync(bundled, bundle.code);
    mod = (await import(/* @vite-ignore */ pathToFileURL(bundled).href)) as { default?: unknown };
  } catch (error) {
    throw strategyFailure(error, file, 'loading the module');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return fromExport(file, mod.default);
}

/** Where a bundle is written before its import: a temporary folder per evaluation. */
function bundlePath(dir: string, file: string): string {
  return join(dir, `${basename(file).replace(/\.[^.]+$/, '')}.mjs`);
}

function fromExport(file: string, exported: unknown): LoadedStrategy {
  if (exported === undefined || exported === null) {
    throw new StrategyError(
      file,
      null,
      null,
      'no default export: export default a strategy object (or a function of params returning one)',
    );
  }
  if (typeof exported !== 'object' && typeof exported !== 'function') {
    throw new StrategyError(
      file,
      null,
      null,
      `the default export is a ${typeof exported}, not a strategy object`,
    );
  }
  const specs = (exported as { params?: unknown }).params;
  const { fields, problems } = paramFields(specs);
  if (problems.length > 0) throw new StrategyError(file, null, null, problems.join('; '));
  const create = (params: StrategyParams): Strategy => {
    let strategy: unknown = exported;
    if (typeof exported === 'function') {
      try {
        strategy = (exported as (p: StrategyParams) => unknown)(params);
      } catch (error) {
        throw strategyFailure(error, file, 'the default export function');
      }
    }
    checkShape(file, strategy);
    return strategy as Strategy;
  };
  if (typeof exported === 'object') checkShape(file, exported);
  return { file, fields, create };
}

function checkShape(file: string, strategy: unknown): void {
  if (typeof strategy !== 'object' || strategy === null) {
    throw new StrategyError(
      file,
      null,
      null,
      'the default export function must return a strategy object',
    );
  }
  for (const name of HANDLERS) {
    const handler = (strategy as Record<string, unknown>)[name];
    if (handler !== undefined && typeof handler !== 'function') {
      throw new StrategyError(
        file,
        null,
        null,
        `${name} must be a function (got ${typeof handler})`,
      );
    }
  }
  if (!HANDLERS.some((name) => typeof (strategy as Record<string, unknown>)[name] === 'function')) {
    throw new StrategyError(
      file,
      null,
      null,
      `the strategy has none of the handlers ${HANDLERS.join(', ')}`,
    );
  }
}
