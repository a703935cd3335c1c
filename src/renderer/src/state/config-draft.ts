/**
 * The config editor's model. The draft is the config as JSON (what the raw view shows and
 * what is saved), so nothing the form does not know about, such as a stream's calendar
 * override, is lost. The form edits it through these pure functions; streams are shown one
 * row per configured stream, exactly as the config lists them.
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
  /** The stream's index in data_streams: stable while its fields are edited. */
  index: number;
  /** `bars`, `quotes`, `ticks`, or whatever else the JSON says (shown so it can be fixed). */
  type: string;
  symbol: string;
  /** Bars: `1s`, `1m` or whatever else the JSON says; '' when absent. */
  interval: string;
  /** '' when the stream follows the session's calendar. */
  calendar: string;
  /** Ticks: the base bars built from them (`1s`, `1m`), '' for none. */
  barsFromTicks: string;
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** One row per configured stream, exactly as the config lists them (duplicates included). */
export function streamRows(draft: Draft): StreamRow[] {
  return streamsOf(draft).map((stream, index) => ({
    index,
    type: text(stream.type),
    symbol: typeof stream.symbol === 'string' ? stream.symbol : text(stream.symbol),
    interval: text(stream.interval),
    calendar: text(stream.calendar),
    barsFromTicks: text(stream.bars_from_ticks),
  }));
}

export type StreamField = 'type' | 'symbol' | 'interval' | 'calendar' | 'bars_from_ticks';

function withStreams(draft: Draft, streams: Stream[]): Draft {
  return { ...draft, data_streams: streams };
}

/**
 * Sets one field of one stream ('' removes it). Changing the type drops an interval that only
 * bars take, and gives a new bar stream the 1m interval, so the row stays valid.
 */
export function setStreamField(
  draft: Draft,
  index: number,
  field: StreamField,
  value: string,
): Draft {
  const streams = streamsOf(draft);
  if (index < 0 || index >= streams.length) return draft;
  const next: Stream = { ...streams[index] };
  if (value === '' && field !== 'symbol') delete next[field];
  else next[field] = value;
  if (field === 'type') {
    if (value === 'bars' && next.interval === undefined) next.interval = '1m';
    if (value !== 'bars') delete next.interval;
    if (value !== 'ticks') delete next.bars_from_ticks;
  }
  return withStreams(
    draft,
    streams.map((s, i) => (i === index ? next : s)),
  );
}

export function removeStream(draft: Draft, index: number): Draft {
  return withStreams(
    draft,
    streamsOf(draft).filter((_, i) => i !== index),
  );
}

export function addStreams(draft: Draft, added: Stream[]): Draft {
  return withStreams(draft, [...streamsOf(draft), ...added]);
}

/** What the data holds for a symbol, as the catalog lists it. */
export interface HeldStream {
  symbol: string;
  kind: string;
  interval?: string;
}

/**
 * The streams a catalog symbol gets when added: its finest stored bars, its quotes, and its
 * ticks when it has no bars, so the chart shows what the data holds.
 */
export function streamsForSymbol(held: readonly HeldStream[], symbol: string): Stream[] {
  const mine = held.filter((h) => h.symbol === symbol);
  const intervals = new Set(mine.filter((h) => h.kind === 'bars').map((h) => h.interval));
  const has = (kind: string): boolean => mine.some((h) => h.kind === kind);
  const streams: Stream[] = [];
  if (intervals.has('1s')) streams.push({ type: 'bars', symbol, interval: '1s' });
  else if (intervals.has('1m') || mine.length === 0) {
    streams.push({ type: 'bars', symbol, interval: '1m' });
  }
  if (has('quotes')) streams.push({ type: 'quotes', symbol });
  if (has('ticks') && streams.every((s) => s.type !== 'bars')) {
    streams.push({ type: 'ticks', symbol });
  }
  return streams;
}

/** Problems for one form field: those at its path or below it. */
export function problemsAt(problems: readonly ConfigProblem[], path: string): string[] {
  return problems
    .filter(
      (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
    )
    .map((p) => p.message);
}

/** Problems for one stream's row: every one naming that stream. */
export function problemsForStream(problems: readonly ConfigProblem[], index: number): string[] {
  return problems
    .filter((p) => {
      const match = /^data_streams\[(\d+)\]/.exec(p.path);
      return (p.stream_index ?? (match ? Number(match[1]) : undefined)) === index;
    })
    .map((p) => p.message);
}

/** The paths of the form's fields; a problem at or below one is shown beside it. */
export const FORM_FIELDS = [
  'session_name',
  'mode',
  'calendar',
  'backtest_config.start_date',
  'backtest_config.end_date',
  'backtest_config.speed_multiplier',
  'session_data_config.data_upkeep.enabled',
  'session_data_config.data_upkeep.derived_intervals',
  'session_data_config.data_upkeep.check_interval_seconds',
  'session_data_config.data_upkeep.max_retries',
] as const;

function placed(path: string): boolean {
  if (path === 'data_streams' || /^data_streams\[\d+\]/.test(path)) return true;
  return FORM_FIELDS.some(
    (f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`),
  );
}

/**
 * Problems no field shows (a mistyped key, a section that is not an object): listed above
 * the form with their path and the schema's words.
 */
export function unplacedProblems(problems: readonly ConfigProblem[]): string[] {
  return problems.filter((p) => !placed(p.path)).map((p) => p.message);
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
