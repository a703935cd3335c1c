/**
 * A sweep worker's strategy: compiled once, evaluated afresh for every run. Compiling (esbuild,
 * a process of its own) costs more than a short run; evaluating a new module per run keeps
 * each run's module state its own, as in a plain backtest, so a strategy keeping state at
 * module level still gives the same rows whatever worker ran what. A change to any of the
 * strategy's own source files (size or time) compiles it again. A local sweep's parent, and a
 * queue worker for its children, compile it once for all of them.
 */
import { fileStamp } from '../runtime/compiled-entry';
import { StrategyError } from '../engine/strategy/strategy-error';
import {
  bundleStrategy,
  evaluateStrategy,
  type LoadedStrategy,
  type StrategyBundle,
} from '../engine/strategy/strategy-loader';
import { resolveParams } from '../../shared/strategy/params';
import type { StrategyParams } from '../../shared/strategy/types';

interface Compiled {
  bundle: StrategyBundle;
  /** `size:mtime` of each source when compiled. */
  stamps: string[];
}

const compiled = new Map<string, Compiled>();

/** The strategy compiled, again only when one of its own files changed since the last time. */
export async function compiledStrategy(file: string): Promise<StrategyBundle> {
  const known = compiled.get(file);
  if (known && known.bundle.sources.every((s, i) => fileStamp(s) === known.stamps[i])) {
    return known.bundle;
  }
  compiled.delete(file);
  // Stamped before compiling: a file changed during the build is compiled again next time.
  const before = fileStamp(file);
  const bundle = await bundleStrategy(file);
  const stamps = bundle.sources.map((s) => (s === file ? before : fileStamp(s)));
  compiled.set(file, { bundle, stamps });
  return bundle;
}

/** The strategy for one run with its params resolved, as `prepareStrategy` gives it. */
export async function runStrategy(
  file: string,
  given: StrategyParams,
  compiled?: StrategyBundle,
): Promise<{ loaded: LoadedStrategy; params: StrategyParams }> {
  const loaded = await evaluateStrategy(compiled ?? (await compiledStrategy(file)));
  const resolved = resolveParams(loaded.fields, given);
  if (!resolved.ok) throw new StrategyError(loaded.file, null, null, resolved.problems.join('; '));
  return { loaded, params: resolved.params };
}
