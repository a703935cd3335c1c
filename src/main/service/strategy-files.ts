/**
 * Strategy files under `<data>/strategies/`, named by file name only (like configs): no
 * request can point the engine at code anywhere else.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { STRATEGY_FILE_PATTERN } from '../../shared/strategy/execution-config';
import type { StrategyListing } from '../../shared/strategy/trading-contract';
import { loadStrategy } from '../engine/strategy/strategy-loader';
import { ApiRequestError } from './api-error';

export function strategiesDir(dataDir: string): string {
  return resolve(dataDir, 'strategies');
}

/** The file a name stands for; refuses anything that is not a plain file name there. */
export function strategyPath(dataDir: string, name: string): string {
  const dir = strategiesDir(dataDir);
  const path = resolve(dir, name);
  if (!STRATEGY_FILE_PATTERN.test(name) || dirname(path) !== dir || basename(path) !== name) {
    throw new ApiRequestError(`Not a strategy file name: ${JSON.stringify(name)}`);
  }
  return path;
}

/** Every strategy file with its params (or why it cannot load), by name. */
export async function listStrategies(dataDir: string): Promise<StrategyListing[]> {
  let names: string[];
  try {
    names = await readdir(strategiesDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: StrategyListing[] = [];
  for (const file of names.filter((n) => STRATEGY_FILE_PATTERN.test(n)).sort()) {
    try {
      const loaded = await loadStrategy(strategyPath(dataDir, file));
      out.push({ file, fields: loaded.fields, error: null });
    } catch (error) {
      out.push({ file, fields: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
