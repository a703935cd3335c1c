/**
 * A demo data directory for sweep tests: the demo data set, a one-day config (each run short)
 * and a 2×3 grid spec over the shipped EMA crossover.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateDemoData } from '../../src/main/storage/demo-data';

export interface SweepFixture {
  dir: string;
  data: string;
  /** Writes a spec (merged over the 2×3 grid spec) and returns its path. */
  spec(name: string, overrides?: Record<string, unknown>): string;
  out(name: string): string;
}

export const GRID = { fast: [5, 8], slow: [13, 21, 34] };

export function sweepFixture(prefix: string): SweepFixture {
  const dir = mkdtempSync(join(tmpdir(), `tapedeck-${prefix}-`));
  const data = join(dir, 'data');
  generateDemoData(data);
  const demo = JSON.parse(readFileSync(join(data, 'configs', 'demo.json'), 'utf8'));
  demo.backtest_config = { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 };
  writeFileSync(join(data, 'configs', 'one-day.json'), JSON.stringify(demo));
  mkdirSync(join(dir, 'out'), { recursive: true });
  return {
    dir,
    data,
    spec(name, overrides = {}) {
      const path = join(dir, `${name}.json`);
      const spec = {
        config: 'configs/one-day.json',
        strategy: { file: 'strategies/ema-crossover.ts' },
        grid: GRID,
        ...overrides,
      };
      writeFileSync(path, JSON.stringify(spec));
      return path;
    },
    out: (name) => join(dir, 'out', name),
  };
}

/** A results CSV as records of strings (empty cells as ''). */
export function readResults(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
}
