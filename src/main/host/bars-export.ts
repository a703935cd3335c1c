/**
 * `--bars <dir>`: every symbol's base bars and each derived interval computed, one CSV per
 * (symbol, interval), completed bars only. Header:
 *   timestamp,open,high,low,close,volume,base_bars
 * `timestamp` is the bar start (ISO-8601 UTC, ms). A base bar's base_bars is 1, or 0 for a
 * synthetic fill-forward bar.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLAG_SYNTHETIC } from '../engine/column-store';
import type { BarHistory, BarRows } from '../engine/bar-history';
import type { SessionData } from '../engine/session-data';
import { IsoFormatter } from './iso-formatter';

export const BARS_CSV_HEADER = 'timestamp,open,high,low,close,volume,base_bars';

export function exportBars(dir: string, sessionData: SessionData, history: BarHistory): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const data of sessionData.all()) {
    const base = data.base_interval;
    if (!base) continue;
    // Through the history: released days are read back (derived ones made again).
    for (const interval of [base, ...data.bars_derived.keys()]) {
      const path = join(dir, `${data.symbol}_${interval}.csv`);
      written.push(writeStore(path, history.between(data.symbol, interval), interval !== base));
    }
  }
  return written;
}

function writeStore(path: string, store: BarRows, derived: boolean): string {
  const iso = new IsoFormatter();
  const [o, h, l, c, v, n] = store.values;
  const lines = [BARS_CSV_HEADER];
  for (let i = 0; i < store.length; i++) {
    const count = derived ? n![i]! : (store.flags[i]! & FLAG_SYNTHETIC) !== 0 ? 0 : 1;
    lines.push(
      `${iso.format(store.timestamp[i]!)},${o![i]},${h![i]},${l![i]},${c![i]},${v![i]},${count}`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
