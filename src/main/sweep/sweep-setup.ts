/**
 * Everything a sweep checks before any run starts: the spec, its config, the strategy and its
 * params, and that the store has data for every window. Each problem names the file and
 * field, and all are reported at once, so a sweep of hours never fails at its first run on
 * something knowable up front.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseSessionConfig, type SessionConfig } from '../../shared/session-config';
import type { ParamField } from '../../shared/strategy/params';
import { parseSweepSpec, type SweepSpec } from '../../shared/sweep-spec';
import type { StreamKey } from '../../shared/stream-cursor';
import { loadConfigFile } from '../host/config-file';
import { checkCoverage, type CoverageEntry } from '../host/catalog-check';
import { createDataStore } from '../host/data-store';
import { calendarsOf, streamKeys } from '../host/session-host';
import { StrategyError } from '../engine/strategy/strategy-error';
import { loadStrategy } from '../engine/strategy/strategy-loader';
import {
  expandRuns,
  gridProblems,
  walkForwardWindows,
  type PlannedRun,
  type PlannedWindow,
} from './sweep-plan';

export interface SweepPlan {
  spec: SweepSpec;
  config: SessionConfig;
  dataDir: string;
  /** Absolute path of the strategy file. */
  strategyFile: string;
  fields: ParamField[];
  runs: PlannedRun[];
}

export type SweepSetup = { ok: true; plan: SweepPlan } | { ok: false; problems: string[] };

export async function readSweepSpec(
  path: string,
): Promise<{ ok: true; spec: SweepSpec } | { ok: false; problems: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code
      ? `cannot read the spec file (${code})`
      : `not valid JSON: ${(error as Error).message}`;
    return { ok: false, problems: [`${path}: ${why}`] };
  }
  const parsed = parseSweepSpec(json);
  return parsed.ok ? parsed : { ok: false, problems: parsed.problems.map((p) => `${path}: ${p}`) };
}

export async function setupSweep(specPath: string, dataDir: string): Promise<SweepSetup> {
  const read = await readSweepSpec(specPath);
  if (!read.ok) return read;
  return planSweep(read.spec, specPath, dataDir);
}

/** The plan of a parsed spec: `where` prefixes every problem (the spec file). */
export async function planSweep(
  spec: SweepSpec,
  where: string,
  dataDir: string,
): Promise<SweepSetup> {
  const fail = (problems: string[]): SweepSetup => ({
    ok: false,
    problems: problems.map((p) => `${where}: ${p}`),
  });
  const data = resolve(dataDir);
  const config = await loadConfig(spec, data);
  if (!config.ok) return { ok: false, problems: config.problems };
  const strategyFile = resolve(data, spec.strategy.file);
  if (!existsSync(strategyFile)) {
    return fail([`strategy.file: ${strategyFile} does not exist (paths are relative to --data)`]);
  }
  let fields: ParamField[];
  try {
    fields = (await loadStrategy(strategyFile)).fields;
  } catch (error) {
    if (error instanceof StrategyError) return fail([`strategy.file: ${error.message}`]);
    throw error;
  }
  const problems = gridProblems(spec, fields);
  if (problems.length > 0) return fail(problems);

  const store = createDataStore(config.config, data);
  if (!store.ok) return { ok: false, problems: store.problems };
  let entries: CoverageEntry[] = [];
  try {
    entries = (await store.store.catalog?.()) ?? [];
  } finally {
    store.store.close();
  }
  const windows = resolveWindows(spec, config.config, entries);
  if (typeof windows === 'string') return fail([windows]);
  const keys = streamKeys(config.config);
  const calendarOf = calendarsOf(config.config);
  const missing = windows.flatMap((w) =>
    checkCoverage(keys, w, entries, calendarOf).problems.map(
      (p) => `window ${w.start_date}..${w.end_date}: ${p}`,
    ),
  );
  if (missing.length > 0) return { ok: false, problems: [...new Set(missing)] };
  const runs = expandRuns(spec, windows);
  if (typeof runs === 'string') return fail([runs]);
  return {
    ok: true,
    plan: { spec, config: config.config, dataDir: data, strategyFile, fields, runs },
  };
}

async function loadConfig(
  spec: SweepSpec,
  data: string,
): Promise<{ ok: true; config: SessionConfig } | { ok: false; problems: string[] }> {
  if (typeof spec.config === 'string') return loadConfigFile(resolve(data, spec.config));
  const parsed = parseSessionConfig(spec.config);
  return parsed.ok
    ? parsed
    : { ok: false, problems: parsed.problems.map((p) => `config: ${p.message}`) };
}

/**
 * The spec's windows; else walk-forward folds over the trading days the store has for the
 * config's streams (inside the config's dates, if any); else the config's dates, or the
 * first to last day with data.
 */
function resolveWindows(
  spec: SweepSpec,
  config: SessionConfig,
  entries: readonly CoverageEntry[],
): PlannedWindow[] | string {
  if (spec.windows) return spec.windows;
  const days = tradingDays(config, entries);
  if (spec.walk_forward) return walkForwardWindows(days, spec.walk_forward);
  const start = config.backtest_config?.start_date ?? days[0];
  const end = config.backtest_config?.end_date ?? days[days.length - 1];
  if (!start || !end) return "the store has no data for the config's streams";
  return [{ start_date: start, end_date: end }];
}

function tradingDays(config: SessionConfig, entries: readonly CoverageEntry[]): string[] {
  const keys = streamKeys(config);
  const calendarOf = calendarsOf(config);
  const { start_date, end_date } = config.backtest_config ?? {};
  const days = new Set<string>();
  for (const e of entries) {
    const key = keys.find((k) => matches(e, k));
    if (!key || !calendarOf(key.symbol).sessionOn(e.date)) continue;
    if ((start_date && e.date < start_date) || (end_date && e.date > end_date)) continue;
    days.add(e.date);
  }
  return [...days].sort();
}

function matches(entry: CoverageEntry, key: StreamKey): boolean {
  return (
    entry.symbol === key.symbol &&
    entry.kind === key.type &&
    (key.type !== 'bars' || entry.interval === key.interval)
  );
}
