/**
 * From a source's columns and the user's options to a plan for reading it: the mapping (detected,
 * then overridden), the timestamp unit, the symbol, the zone of naive times and, for bars, the
 * interval (given, or inferred from a sample of the rows). Every reason the file cannot be read
 * as asked is logged; none throws.
 */
import type { CalendarChoice, ColumnMapping, ImportOptions } from '../../../shared/import-contract';
import { isBaseInterval, type BaseInterval } from '../../../shared/interval';
import { STREAM_FIELDS } from '../../../shared/stream-types';
import {
  calendarNote,
  chooseCalendar,
  regularHoursOf,
  type CalendarContext,
} from './calendar-choice';
import type { AssemblerSettings } from './chunk-assembler';
import {
  detectFields,
  detectHeaderless,
  detectMapping,
  FIELD_NAMES,
  misTypedColumns,
  REQUIRED_FIELDS,
} from './detect-columns';
import { inferEpochUnit, unitNote } from './epoch-units';
import { shownValue, type ProblemLog } from './import-problems';
import { coarseIntervalMessage, describeSpacing, inferInterval } from './interval-inference';
import { cleanSymbol, guessSymbol } from './symbol-name';
import { symbolAliases } from './instrument-names';
import type { SymbolGuess } from '../../../shared/import-contract';
import type { SourcePlan, TabularSource } from './tabular-source';

const UNIT_SAMPLE_ROWS = 1000;
const INTERVAL_SAMPLE_ROWS = 20_000;

export interface ImportPlan {
  /** What the preview shows, even when incomplete. */
  mapping: ColumnMapping;
  timestampUnitNote?: string;
  notes: string[];
  /** Present when the file can be read as asked. */
  source?: SourcePlan;
  settings?: AssemblerSettings;
  calendar?: CalendarChoice;
  /** Set when the file's one symbol is a guess from its name. */
  symbolGuess?: SymbolGuess;
}

export interface PlanContext {
  /** Overrides the calendar's regular hours for counting rows outside them. */
  isRegularHours?: (utcMs: number) => boolean;
  /**
   * Set by hosts: every file then gets a calendar (given, or chosen from the data and the
   * store), which dates its rows and counts those outside trading hours.
   */
  calendars?: CalendarContext;
  /** Symbols the target store already holds: an imported name meaning one of them is pointed out. */
  storedSymbols?: readonly string[];
}

export async function planImport(
  source: TabularSource,
  options: ImportOptions,
  log: ProblemLog,
  context: PlanContext = {},
): Promise<ImportPlan> {
  const notes = [...source.notes];
  const detected = source.headerless
    ? detectHeaderless(source.columns)
    : detectMapping(source.columns);
  if (source.headerless && detected.mapping && !options.mapping) {
    notes.push(
      'no header: read as timestamp, open, high, low, close, volume (the common kline layout); check the mapping',
    );
  }
  const override = options.mapping ?? {};
  const kind = override.kind ?? detected.kind;
  const timestamp = override.timestamp ?? detected.timestamp;
  const fields = {
    ...(kind
      ? kind === detected.kind
        ? detected.fields
        : detectFields(source.columns, kind)
      : {}),
    ...override.fields,
  };
  const symbolColumn = override.symbol ?? detected.symbol;
  const mapping: ColumnMapping = {
    timestamp: timestamp ?? '',
    kind: kind ?? 'bars',
    fields,
    ...(symbolColumn ? { symbol: symbolColumn } : {}),
    ...(override.timestampUnit ? { timestampUnit: override.timestampUnit } : {}),
  };
  const plan: ImportPlan = { mapping, notes };
  const names = source.columns.map((c) => c.name);
  const found = `the file's columns: ${names.join(', ') || 'none'}`;
  if (!timestamp) log.fatal(`no timestamp column found; ${found}`);
  if (!kind) {
    const misTyped = misTypedColumns(source.columns);
    const why = misTyped.length
      ? `; ${misTyped.join(', ')} ${misTyped.length > 1 ? 'are' : 'is'} not numeric (a vendor's own encoding needs its importer)`
      : '';
    log.fatal(`cannot tell bars, quotes or ticks apart from the column names; ${found}${why}`);
  }
  if (!timestamp || !kind) return plan;

  const column = (name: string) => source.columns.find((c) => c.name === name);
  const tsNames = typeof timestamp === 'string' ? [timestamp] : [timestamp.date, timestamp.time];
  for (const name of tsNames) {
    if (!column(name))
      log.fatal(`the timestamp column "${name}" is not in the file; ${found}`, name);
  }
  for (const field of Object.keys(fields)) {
    if (!STREAM_FIELDS[kind].includes(field)) {
      log.fatal(`"${field}" is not a field of ${kind} (${STREAM_FIELDS[kind].join(', ')})`, field);
    }
  }
  for (const field of STREAM_FIELDS[kind]) {
    const name = fields[field];
    if (name === undefined) {
      if (REQUIRED_FIELDS[kind].includes(field)) {
        log.fatal(
          `no ${field} column (looked for ${FIELD_NAMES[field].join(', ')}); ${found}`,
          field,
        );
      }
      continue;
    }
    const c = column(name);
    if (!c) log.fatal(`the ${field} column "${name}" is not in the file; ${found}`, name);
    else if (c.type !== 'number') log.fatal(`the ${field} column "${name}" is not numeric`, name);
  }
  if (symbolColumn && !column(symbolColumn)) {
    log.fatal(`the symbol column "${symbolColumn}" is not in the file; ${found}`, symbolColumn);
  }
  if (log.hasErrors) return plan;

  const missing = STREAM_FIELDS[kind].filter((f) => fields[f] === undefined);
  if (missing.length > 0) {
    log.warn(`no ${missing.join(' or ')} column: imported as 0`);
    notes.push(`${missing.join(', ')} filled with 0 (the file has no such column)`);
  }

  // The unit of numeric timestamps.
  let unit = override.timestampUnit ?? 'ms';
  const tsColumn = typeof timestamp === 'string' ? column(timestamp)! : undefined;
  if (tsColumn?.type === 'other') {
    log.fatal(
      `the timestamp column "${tsColumn.name}" holds neither times, numbers nor text (a ` +
        'boolean or binary column); map another column as the timestamp',
      tsColumn.name,
    );
    return plan;
  }
  if (tsColumn?.type === 'number') {
    if (override.timestampUnit) {
      plan.timestampUnitNote = unitNote(override.timestampUnit);
    } else {
      const sample = await source.sampleNumbers(tsColumn.name, UNIT_SAMPLE_ROWS);
      const inferred = inferEpochUnit(sample);
      if (sample.length === 0) {
        log.fatal('the file holds no data rows');
        return plan;
      }
      if (!inferred) {
        const example = sample.find((v) => Number.isFinite(v));
        log.fatal(
          `the timestamp column "${tsColumn.name}" holds numbers (e.g. ${example ?? 'none'}) too small for epoch time; give its unit or map another column`,
          tsColumn.name,
          example === undefined ? undefined : String(example),
        );
        return plan;
      }
      unit = inferred.unit;
      plan.timestampUnitNote = inferred.note;
      mapping.timestampUnit = unit;
    }
  } else if (tsColumn?.type === 'timestamp') {
    plan.timestampUnitNote = 'typed TIMESTAMP column';
  } else {
    notes.push(`timestamps as text; those without an offset are read as ${options.tz ?? 'UTC'}`);
  }

  for (const [from, to] of Object.entries(options.aliases ?? {})) {
    if (!cleanSymbol(to))
      log.fatal(`alias ${from}=${to}: "${to}" is not a valid symbol`, 'aliases');
  }
  const alias = symbolAliases(options);
  const guessed: { guess?: SymbolGuess } = {};
  const resolved = resolveSymbol(source.file, symbolColumn, options, log, notes, guessed);
  const fixed = resolved === undefined ? undefined : alias(resolved);
  if (guessed.guess && fixed === guessed.guess.symbol) plan.symbolGuess = guessed.guess;
  if (log.hasErrors) return plan;
  const sourcePlan: SourcePlan = {
    timestamp,
    timestampUnit: unit,
    fields: STREAM_FIELDS[kind].map((f) => fields[f]),
    symbol: symbolColumn,
    tz: options.tz ?? 'UTC',
  };

  const resolving = options.calendar !== undefined || context.calendars !== undefined;
  const rows = kind === 'bars' || resolving ? await sampleRows(source, sourcePlan) : undefined;
  let interval: BaseInterval | undefined;
  if (kind === 'bars') {
    interval = await resolveInterval(rows!, options, log, notes);
    if (!interval) return plan;
  }
  const calendar = resolving
    ? chooseCalendar({
        given: options.calendar,
        ...(fixed !== undefined ? { symbol: fixed } : {}),
        context: context.calendars ?? {},
        sample: [...rows!.bySymbol.values()].flat(),
      })
    : undefined;
  if (calendar) {
    plan.calendar = calendar;
    notes.push(calendarNote(calendar));
  }
  const isRegularHours =
    context.isRegularHours ?? (calendar ? regularHoursOf(calendar.name) : undefined);
  plan.source = sourcePlan;
  plan.settings = {
    kind,
    interval,
    stamp: options.stamp ?? 'start',
    sort: options.sort ?? false,
    duplicates: options.duplicates ?? 'drop',
    isRegularHours,
    ...(calendar ? { calendar: calendar.name } : {}),
    timestampColumn: tsNames.join('+'),
    fieldColumns: sourcePlan.fields,
    symbolColumn,
    symbol: symbolColumn ? undefined : fixed,
    symbolOverride: symbolColumn ? fixed : undefined,
    ...(options.aliases ? { alias } : {}),
  };
  if (options.stamp === 'end') {
    if (kind === 'bars') notes.push(`bar timestamps mark the end; shifted back by ${interval}`);
    else log.warn(`stamp 'end' applies to bars only; ${kind} keep their own times`);
  }
  if (!isRegularHours) notes.push('rows outside trading hours not counted (no calendar given)');
  return plan;
}

/** The one symbol of a file without a symbol column (or the rename of a column's one symbol). */
function resolveSymbol(
  file: string,
  symbolColumn: string | undefined,
  options: ImportOptions,
  log: ProblemLog,
  notes: string[],
  found: { guess?: SymbolGuess },
): string | undefined {
  if (options.symbol !== undefined) {
    const symbol = cleanSymbol(options.symbol);
    if (!symbol) log.fatal(`"${options.symbol}" is not a valid symbol`, 'symbol', options.symbol);
    return symbol;
  }
  if (symbolColumn) {
    notes.push(`symbols from the ${symbolColumn} column`);
    return undefined;
  }
  const guessed = guessSymbol(file);
  if (!guessed) {
    log.fatal('no symbol: the file has no symbol column and its name gives none; give the symbol');
    return undefined;
  }
  notes.push(`symbol ${guessed.symbol} from the file name`);
  if (guessed.guess) found.guess = guessed.guess;
  return guessed.symbol;
}

/** The first rows' timestamps per symbol, for the interval and the calendar guess. */
interface RowSample {
  bySymbol: Map<number, number[]>;
  /** Why reading failed, when it did. */
  failure?: unknown;
  /** The first row whose timestamp reads as no time at all ("true", "n/a"), to name it. */
  unreadable: { row: number; text: string } | null;
}

async function sampleRows(source: TabularSource, plan: SourcePlan): Promise<RowSample> {
  const sample: RowSample = { bySymbol: new Map(), unreadable: null };
  try {
    for await (const batch of source.batches(plan, { maxRows: INTERVAL_SAMPLE_ROWS })) {
      for (let i = 0; i < batch.length; i++) {
        if (!Number.isFinite(batch.timestamp[i])) {
          sample.unreadable ??= { row: batch.firstRow + i, text: shownValue(batch.raw(i, -1)) };
          continue;
        }
        const id = batch.symbolIds ? batch.symbolIds[i] : 0;
        let list = sample.bySymbol.get(id);
        if (!list) sample.bySymbol.set(id, (list = []));
        list.push(batch.timestamp[i]);
      }
    }
  } catch (err) {
    // The full read reports what is wrong with the rows, with their numbers; but with no rows
    // at all to go on, the failure is the answer.
    sample.failure = err;
  }
  return sample;
}

async function resolveInterval(
  rows: RowSample,
  options: ImportOptions,
  log: ProblemLog,
  notes: string[],
): Promise<BaseInterval | undefined> {
  const { failure, unreadable } = rows;
  // One symbol's timestamps (the best-sampled), sorted: spacing within a symbol is what counts.
  const sample = [...rows.bySymbol.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (sample.length === 0 && unreadable) {
    const { row, text } = unreadable;
    log.fatal(
      `no timestamp in the first rows reads as a time (row ${row}: ${JSON.stringify(text)}); ` +
        'map another column as the timestamp',
    );
    return undefined;
  }
  if (sample.length === 0) {
    log.fatal(
      failure
        ? `cannot read the rows (${(failure as Error).message})`
        : 'the file holds no data rows',
    );
    return undefined;
  }
  sample.sort((a, b) => a - b);
  const inferred = inferInterval(sample);
  if (options.interval) {
    if (inferred.interval && inferred.interval !== options.interval) {
      log.warn(
        `the timestamps are spaced ${inferred.interval} apart; importing as ${options.interval} as asked`,
      );
    }
    notes.push(`interval ${options.interval}, as given`);
    return options.interval;
  }
  if (inferred.spacingMs === 0) {
    log.fatal('cannot infer the bar interval from fewer than two distinct timestamps; give it');
    return undefined;
  }
  if (!inferred.interval) {
    log.fatal(
      `the bar timestamps are spaced ${describeSpacing(inferred.spacingMs)} apart, which is no supported interval; give the interval (1s or 1m)`,
    );
    return undefined;
  }
  if (!isBaseInterval(inferred.interval)) {
    log.fatal(coarseIntervalMessage(inferred.interval), 'interval', inferred.interval);
    return undefined;
  }
  notes.push(`interval ${inferred.interval}, from the timestamp spacing`);
  return inferred.interval;
}
