/**
 * What a LEAN data file is, from its names alone. LEAN keeps everything that is not a price in
 * the path: `<market>/<country>/<resolution>/<symbol>/<YYYYMMDD>_<kind>.zip`, and the one CSV
 * inside repeats it as `<YYYYMMDD>_<symbol>_<resolution>_<kind>.csv` (ticks:
 * `<YYYYMMDD>_<symbol>_<Kind>_Tick.csv`). Hour and daily files are `<symbol>.zip` holding
 * `<symbol>.csv`, one row per bar with a `YYYYMMDD HH:mm` time.
 */
import { basename, dirname } from 'node:path';

export type LeanResolution = 'second' | 'minute' | 'tick' | 'hour' | 'daily';
export type LeanKind = 'trade' | 'quote';
/** The asset classes whose layout we read; they differ in time zone and price scale. */
export type LeanMarket = 'equity' | 'crypto';

export interface LeanFileName {
  /** `YYYY-MM-DD`, from the file name; hour and daily files have none (one file per symbol). */
  date?: string;
  /** As written in the name (lower case in LEAN). */
  symbol: string;
  resolution: LeanResolution;
  kind: LeanKind;
  /** From a `equity`/`crypto` path segment; undefined when the path does not say. */
  market?: LeanMarket;
  /** A path segment naming an asset class we do not read (`forex`, `option`, ...). */
  unsupportedMarket?: string;
}

const INTRADAY =
  /^(?<ymd>\d{8})_(?<symbol>[a-z0-9.-]+)_(?<resolution>second|minute)_(?<kind>trade|quote)\.csv$/i;
const TICK = /^(?<ymd>\d{8})_(?<symbol>[a-z0-9.-]+)_(?<kind>trade|quote)_tick\.csv$/i;
const COARSE = /^([a-z0-9.-]+)\.csv$/i;
const COARSE_FOLDERS = new Set(['hour', 'daily']);
const MARKETS: Record<string, LeanMarket> = { equity: 'equity', crypto: 'crypto' };
const OTHER_MARKETS = new Set([
  'forex',
  'cfd',
  'future',
  'futures',
  'option',
  'index',
  'alternative',
]);

/**
 * Reads the zip's path and its inner CSV's name; null when they are not LEAN's. The inner name
 * decides: it is what LEAN itself writes, whereas the zip may have been renamed or moved.
 */
export function parseLeanFileName(file: string, innerName: string): LeanFileName | null {
  const market = marketOf(file);
  const groups = (INTRADAY.exec(innerName) ?? TICK.exec(innerName))?.groups;
  if (groups) {
    const date = isoDate(groups.ymd!);
    if (!date) return null;
    return {
      date,
      symbol: groups.symbol!,
      resolution: (groups.resolution?.toLowerCase() ?? 'tick') as LeanResolution,
      kind: groups.kind!.toLowerCase() as LeanKind,
      ...market,
    };
  }
  // Coarse files carry nothing but the symbol, so the folder must confirm what they are.
  const coarse = COARSE.exec(innerName);
  const folder = basename(dirname(file)).toLowerCase();
  const zipSymbol = basename(file).replace(/(_trade|_quote)?\.zip$/i, '');
  if (
    coarse &&
    COARSE_FOLDERS.has(folder) &&
    zipSymbol.toLowerCase() === coarse[1]!.toLowerCase()
  ) {
    return {
      symbol: coarse[1]!,
      resolution: folder as 'hour' | 'daily',
      kind: /_quote\.zip$/i.test(file) ? 'quote' : 'trade',
      ...market,
    };
  }
  return null;
}

function marketOf(file: string): Pick<LeanFileName, 'market' | 'unsupportedMarket'> {
  for (const segment of file.split(/[\\/]/).map((s) => s.toLowerCase())) {
    if (segment in MARKETS) return { market: MARKETS[segment] };
    if (OTHER_MARKETS.has(segment)) return { unsupportedMarket: segment };
  }
  return {};
}

function isoDate(ymd: string): string | undefined {
  const date = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date
    ? date
    : undefined;
}
