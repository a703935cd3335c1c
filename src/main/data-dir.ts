/**
 * Where the market data lives: `TAPEDECK_DATA` if set, else `data/` in the working directory
 * (the repository when run from a checkout).
 */
import { resolve } from 'node:path';

export function defaultDataDir(): string {
  return resolve(process.env.TAPEDECK_DATA ?? 'data');
}
