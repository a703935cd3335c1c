/**
 * The UI benchmark's data: 4 symbols × one full regular session of 1s bars (23,400 each),
 * generated once into bench/.cache/ui and reused, with the session config that replays them.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateBars1s } from '../src/main/storage/demo-data';
import { BENCH_DATE } from './coordinator';

export const UI_SYMBOLS = ['UIA', 'UIB', 'UIC', 'UID'] as const;
export const UI_CACHE = resolve('bench/.cache/ui');
const MARKER = join(UI_CACHE, 'complete-v2');

export interface UiBenchData {
  dataDir: string;
  /** The config for `npm run web -- --config`: 4 bar streams of 1s, at 300×. */
  configPath: string;
}

export function ensureUiData(speed: number): UiBenchData {
  const configPath = join(UI_CACHE, 'configs', 'ui-bench.json');
  if (!existsSync(MARKER)) {
    rmSync(UI_CACHE, { recursive: true, force: true });
    mkdirSync(UI_CACHE, { recursive: true });
    generateBars1s({ dataDir: UI_CACHE, symbols: UI_SYMBOLS, date: BENCH_DATE });
    writeFileSync(MARKER, '');
  }
  mkdirSync(join(UI_CACHE, 'configs'), { recursive: true });
  const config = {
    session_name: 'ui-bench',
    mode: 'backtest',
    data_streams: UI_SYMBOLS.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
    session_data_config: { data_upkeep: { enabled: true, derived_intervals: ['1m', '5m'] } },
    backtest_config: { start_date: BENCH_DATE, end_date: BENCH_DATE, speed_multiplier: speed },
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { dataDir: UI_CACHE, configPath };
}
