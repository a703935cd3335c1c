/**
 * Which source column holds what: the timestamp, the symbol, and our fields, from the column
 * names vendors commonly use. Pure, so the preview can show (and the user edit) the result.
 * Kind: bars when open/high/low/close are all found, else quotes when bid and ask are, else
 * ticks when a price is.
 */
import type { ColumnMapping } from '../../../shared/import-contract';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';

/** What a source knows about a column before reading rows. */
export interface SourceColumn {
  name: string;
  /** 'number' (numeric), 'text', 'timestamp' (a typed timestamp column), or 'other'. */
  type: 'number' | 'text' | 'timestamp' | 'other';
  /** A text column of a CSV: its first cell that is not a number, to name in a message. */
  nonNumber?: { dataRow: number; text: string };
}

/** Candidate names per field, best first, compared case-insensitively. */
export const FIELD_NAMES: Record<string, readonly string[]> = {
  open: ['open', 'o', 'open_price', 'openprice'],
  high: ['high', 'h', 'high_price', 'highprice'],
  low: ['low', 'l', 'low_price', 'lowprice'],
  close: ['close', 'c', 'close_price', 'closeprice', 'last'],
  volume: ['volume', 'v', 'vol', 'qty', 'quantity', 'size'],
  bid: ['bid', 'bid_price', 'bid_px_00', 'bidprice', 'bid_px', 'best_bid', 'b'],
  ask: ['ask', 'ask_price', 'ask_px_00', 'askprice', 'ask_px', 'best_ask', 'offer', 'a'],
  bid_size: ['bid_size', 'bid_sz_00', 'bidsize', 'bid_qty', 'bid_sz', 'bid_volume', 'bs'],
  ask_size: ['ask_size', 'ask_sz_00', 'asksize', 'ask_qty', 'ask_sz', 'ask_volume', 'as'],
  price: ['price', 'last', 'last_price', 'trade_price', 'px', 'p'],
  size: ['size', 'qty', 'quantity', 'volume', 'last_size', 'trade_size', 'sz', 'q', 'amount'],
};

export const TIMESTAMP_NAMES = [
  'timestamp',
  'ts',
  'time',
  'datetime',
  'date_time',
  'timestamp_utc',
  'ts_event',
  'ts_recv',
  'ts_init',
  't',
  'window_start',
  'open_time',
  'gmt time',
  'local time',
  'date',
] as const;

const DATE_NAMES = ['date', 'day', 'trade_date'];
const TIME_NAMES = ['time', 'time_of_day'];
const SYMBOL_NAMES = ['symbol', 'ticker', 'sym', 'instrument', 'instrument_id', 'raw_symbol'];

/**
 * Fields a kind cannot do without. The others (volume, quote sizes, tick size) may be absent, as
 * in FX and index files, and are imported as 0 with a warning.
 */
export const REQUIRED_FIELDS: Record<StreamType, readonly string[]> = {
  bars: ['open', 'high', 'low', 'close'],
  quotes: ['bid', 'ask'],
  ticks: ['price'],
};

export interface DetectedMapping {
  /** What was found; any part may be missing, and `missing` then says what was looked for. */
  timestamp?: ColumnMapping['timestamp'];
  kind?: StreamType;
  fields: Record<string, string>;
  symbol?: string;
  missing: string[];
  /** The complete mapping, when every required part was found. */
  mapping?: ColumnMapping;
}

/** The mapping the names suggest, or what is missing. */
export function detectMapping(columns: readonly SourceColumn[]): DetectedMapping {
  const byName = new Map<string, SourceColumn>();
  for (const column of columns) {
    const key = column.name.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, column);
  }
  const find: Finder = (names, accept) => {
    for (const name of names) {
      const column = byName.get(name);
      if (column && accept(column)) return column.name;
    }
    return undefined;
  };
  const numeric = (c: SourceColumn) => c.type === 'number';
  const missing: string[] = [];

  const kind = detectKind(find, numeric);
  const timestamp = detectTimestamp(find);
  if (!timestamp) missing.push(`a timestamp column (${TIMESTAMP_NAMES.join(', ')})`);
  if (!kind) {
    missing.push(
      'price columns: open/high/low/close(/volume) for bars, bid/ask for quotes, or price for ticks',
    );
  }
  const symbol = find(SYMBOL_NAMES, (c) => c.type === 'text');
  const fields = kind ? detectFields(columns, kind) : {};
  if (kind) {
    for (const field of REQUIRED_FIELDS[kind]) {
      if (!fields[field]) missing.push(`a ${field} column (${FIELD_NAMES[field].join(', ')})`);
    }
  }
  const detected: DetectedMapping = { timestamp, kind, fields, symbol, missing };
  if (timestamp && kind) {
    detected.mapping = { timestamp, kind, fields, ...(symbol ? { symbol } : {}) };
  }
  return detected;
}

/**
 * A CSV without a header, laid out as most kline/candle exports are (Binance, Kraken, Bitstamp,
 * many brokers): timestamp, open, high, low, close, volume, then anything. Only a guess, shown in
 * the preview: the row checks (high at least open, close and low) refuse a file it does not fit.
 */
export function detectHeaderless(columns: readonly SourceColumn[]): DetectedMapping {
  const lead = columns.slice(0, 6);
  const numeric = lead.slice(1).every((c) => c.type === 'number');
  if (lead.length < 6 || !numeric || lead[0].type === 'other') {
    return {
      fields: {},
      missing: ['a header row naming the columns (or a mapping: column1, column2, ...)'],
    };
  }
  const names = lead.map((c) => c.name);
  const fields = {
    open: names[1],
    high: names[2],
    low: names[3],
    close: names[4],
    volume: names[5],
  };
  const mapping: ColumnMapping = { timestamp: names[0], kind: 'bars', fields };
  return { timestamp: names[0], kind: 'bars', fields, missing: [], mapping };
}

/** Columns whose names fit a field but whose type is no number (fixed-point binary, text). */
export function misTypedColumns(columns: readonly SourceColumn[]): string[] {
  const known = new Set(Object.values(FIELD_NAMES).flat());
  return columns
    .filter((c) => known.has(c.name.trim().toLowerCase()) && c.type !== 'number')
    .map((c) =>
      c.nonNumber
        ? `${c.name} (data row ${c.nonNumber.dataRow} holds ${JSON.stringify(c.nonNumber.text)})`
        : c.name,
    );
}

/** Our fields of `kind` → the numeric source columns that hold them, by name. */
export function detectFields(
  columns: readonly SourceColumn[],
  kind: StreamType,
): Record<string, string> {
  const byName = new Map<string, SourceColumn>();
  for (const column of columns) {
    const key = column.name.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, column);
  }
  const fields: Record<string, string> = {};
  const used = new Set<string>();
  for (const field of STREAM_FIELDS[kind]) {
    for (const candidate of FIELD_NAMES[field]) {
      const column = byName.get(candidate);
      if (column && column.type === 'number' && !used.has(column.name)) {
        fields[field] = column.name;
        used.add(column.name);
        break;
      }
    }
  }
  return fields;
}

type Finder = (
  names: readonly string[],
  accept: (c: SourceColumn) => boolean,
) => string | undefined;

function detectKind(find: Finder, numeric: (c: SourceColumn) => boolean): StreamType | undefined {
  const has = (field: string) => find(FIELD_NAMES[field], numeric) !== undefined;
  if (['open', 'high', 'low', 'close'].every(has)) return 'bars';
  if (has('bid') && has('ask')) return 'quotes';
  if (has('price')) return 'ticks';
  return undefined;
}

function detectTimestamp(find: Finder): ColumnMapping['timestamp'] | undefined {
  const any = () => true;
  const time = find(TIME_NAMES, (c) => c.type === 'text');
  const date = find(DATE_NAMES, (c) => c.type === 'text' || c.type === 'number');
  // A Date column beside a text Time column is a pair (Date=2024-03-04, Time=09:30:00).
  if (date && time && date !== time) return { date, time };
  const single = find(TIMESTAMP_NAMES, (c) => c.type === 'timestamp');
  return single ?? find(TIMESTAMP_NAMES, any);
}
