/**
 * The config editor's model. The draft is the config as JSON (what the raw view shows and
 * what is saved), so nothing the form does not know about, such as a stream's calendar
 * override, is lost. The form edits it through these pure functions; streams are shown one
 * row per symbol (bars 1s/1m/none, quotes on/off), while the draft keeps the plan's list.
 */
import type { ConfigProblem } from '../../../shared/session-config';

export type Draft = Record<string, unknown>;
type Stream = Record<string, unknown>;

export function isDraft(value: unknown): value is Draft {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of the draft with the value at a dotted path set (undefined removes the key). */
export function setPath(draft: Draft, path: string, value: unknown): Draft {
  const keys = path.split('.');
  const root: Draft = { ...draft };
  let node: Draft = root;
  for (let i = 0; i < keys.length - 1; i += 1) {
    const child = node[keys[i]];
    const copy: Draft = isDraft(child) ? { ...child } : {};
    node[keys[i]] = copy;
    node = copy;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

export function getPath(draft: Draft, path: string): unknown {
  let node: unknown = draft;
  for (const key of path.split('.')) {
    if (!isDraft(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function streamsOf(draft: Draft): Stream[] {
  const streams = draft.data_streams;
  return Array.isArray(streams) ? streams.map((s) => (isDraft(s) ? s : {})) : [];
}

export interface StreamRow {
  /** Stable while the symbol is unchanged; an unnamed stream gets its own row. */
  key: string;
  symbol: string;
  /** `1s`, `1m`, `none`, or whatever else the JSON says (shown so it can be fixed). */
  bars: string;
  quotes: boolean;
  ticks: boolean;
  /** Indexes into data_streams of every stream in this row. */
  indexes: number[];
}

function symbolKey(stream: Stream, index: number): string {
  const symbol = typeof stream.symbol === 'string' ? stream.symbol.trim().toUpperCase() : '';
  return symbol === '' ? `#${index}` : symbol;
}

export function streamRows(draft: Draft): StreamRow[] {
  const rows = new Map<string, StreamRow>();
  streamsOf(draft).forEach((stream, index) => {
    const key = symbolKey(stream, index);
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        symbol: typeof stream.symbol === 'string' ? stream.symbol : '',
        bars: 'none',
        quotes: false,
        ticks: false,
        indexes: [],
      };
      rows.set(key, row);
    }
    row.indexes.push(index);
    if (stream.type === 'bars' && row.bars === 'none') {
      row.bars = stream.interval === undefined ? '' : String(stream.interval);
    }
    if (stream.type === 'quotes') row.quotes = true;
    if (stream.type === 'ticks') row.ticks = true;
  });
  return [...rows.values()];
}

function withStreams(draft: Draft, streams: Stream[]): Draft {
  return { ...draft, data_streams: streams };
}

function rowOf(draft: Draft, key: string): StreamRow | undefined {
  return streamRows(draft).find((r) => r.key === key);
}

/** Sets a row's bar stream: changes its interval, adds one, or removes it (`none`). */
export function setRowBars(draft: Draft, key: string, bars: string): Draft {
  const row = rowOf(draft, key);
  if (!row) return draft;
  const streams = streamsOf(draft).map((s) => ({ ...s }));
  const barIndex = row.indexes.find((i) => streams[i].type === 'bars');
  if (bars === 'none') {
    return withStreams(
      draft,
      streams.filter((s, i) => !(row.indexes.includes(i) && s.type === 'bars')),
    );
  }
  if (barIndex !== undefined) {
    streams[barIndex] = { ...streams[barIndex], interval: bars };
    return withStreams(draft, streams);
  }
  const at = row.indexes[0];
  streams.splice(at, 0, { type: 'bars', symbol: row.symbol, interval: bars });
  return withStreams(draft, streams);
}

/** Adds or removes a row's quotes (or ticks) stream. */
export function setRowStream(
  draft: Draft,
  key: string,
  type: 'quotes' | 'ticks',
  on: boolean,
): Draft {
  const row = rowOf(draft, key);
  if (!row) return draft;
  const streams = streamsOf(draft);
  if (!on) {
    return withStreams(
      draft,
      streams.filter((s, i) => !(row.indexes.includes(i) && s.type === type)),
    );
  }
  if (row.indexes.some((i) => streams[i].type === type)) return draft;
  const after = row.indexes[row.indexes.length - 1] + 1;
  const next = [...streams];
  next.splice(after, 0, { type, symbol: row.symbol });
  return withStreams(draft, next);
}

export function renameRow(draft: Draft, key: string, symbol: string): Draft {
  const row = rowOf(draft, key);
  if (!row) return draft;
  return withStreams(
    draft,
    streamsOf(draft).map((s, i) => (row.indexes.includes(i) ? { ...s, symbol } : s)),
  );
}

export function removeRow(draft: Draft, key: string): Draft {
  const row = rowOf(draft, key);
  if (!row) return draft;
  return withStreams(
    draft,
    streamsOf(draft).filter((_, i) => !row.indexes.includes(i)),
  );
}

export function addRow(draft: Draft, symbol = ''): Draft {
  return withStreams(draft, [...streamsOf(draft), { type: 'bars', symbol, interval: '1m' }]);
}

/** Problems for one form field: those at its path or below it. */
export function problemsAt(problems: readonly ConfigProblem[], path: string): string[] {
  return problems
    .filter(
      (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
    )
    .map((p) => p.message);
}

/** Problems for a streams-table row: every one naming a stream of the row. */
export function problemsForRow(problems: readonly ConfigProblem[], row: StreamRow): string[] {
  return problems
    .filter((p) => {
      const match = /^data_streams\[(\d+)\]/.exec(p.path);
      const index = p.stream_index ?? (match ? Number(match[1]) : undefined);
      return index !== undefined && row.indexes.includes(index);
    })
    .map((p) => p.message);
}

/** The fields the form shows; problems anywhere else are listed above the form. */
export const FORM_PATHS = [
  'session_name',
  'mode',
  'backtest_config',
  'session_data_config.data_upkeep',
  'data_streams',
] as const;

export function unplacedProblems(problems: readonly ConfigProblem[]): string[] {
  return problems
    .filter((p) => !FORM_PATHS.some((f) => p.path === f || p.path.startsWith(f)))
    .map((p) => p.message);
}

/** Parses the raw JSON view; a syntax error keeps the last good draft. */
export function parseRaw(text: string): { ok: true; draft: Draft } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Raw JSON: ${(error as Error).message}` };
  }
  if (!isDraft(value)) return { ok: false, error: 'Raw JSON: the config must be a JSON object' };
  return { ok: true, draft: value };
}

export function formatRaw(draft: Draft): string {
  return `${JSON.stringify(draft, null, 2)}\n`;
}

/** Splits a comma-separated list of intervals as typed in the upkeep field. */
export function parseIntervalList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
