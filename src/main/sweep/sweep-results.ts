/**
 * A sweep's results table: one row per run, ranked, written as parquet or CSV. Rows are built
 * from the plan and the outcomes by run id, so the table is the same whatever order the runs
 * finished in and whichever process ran them.
 */
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ParamField } from '../../shared/strategy/params';
import type { BacktestReport } from '../../shared/strategy/stats/backtest-report';
import { REPORT_FIELDS, type ReportField } from '../../shared/report-fields';
import type { SweepSpec } from '../../shared/sweep-spec';
import type { PlannedRun } from './sweep-plan';

/** The report's scalar fields (the nested ones, trades and per-symbol figures, stay out). */
export type ReportRow = Record<ReportField, number | null>;

/** What a run came to: its report's scalars, or why it failed. */
export type RunOutcome = { run_id: string } & ({ report: ReportRow } | { error: string });

export type Cell = number | string | boolean | null;

export interface ResultTable {
  columns: string[];
  /** Parquet type of each column. */
  types: ('DOUBLE' | 'BOOLEAN' | 'STRING' | 'INT32')[];
  rows: Cell[][];
}

export function reportRow(report: BacktestReport): ReportRow {
  const row = {} as ReportRow;
  for (const field of REPORT_FIELDS) row[field] = report[field];
  return row;
}

/**
 * The table, sorted by `rank_by` (null figures, then failed runs last; ties by run id). Runs
 * without an outcome are left out: the caller decides whether that is an error.
 */
export function resultTable(
  spec: SweepSpec,
  fields: readonly ParamField[],
  runs: readonly PlannedRun[],
  outcomes: ReadonlyMap<string, RunOutcome>,
): ResultTable {
  const names = Object.keys(spec.grid);
  const kindOf = new Map(fields.map((f) => [f.name, f.kind]));
  const folds = spec.walk_forward !== undefined;
  const columns = [
    'run_id',
    ...names.map((n) => `param_${n}`),
    'start_date',
    'end_date',
    ...(folds ? ['fold', 'sample'] : []),
    ...REPORT_FIELDS,
    'error',
  ];
  const types: ResultTable['types'] = [
    'STRING',
    ...names.map((n) =>
      kindOf.get(n) === 'number' ? 'DOUBLE' : kindOf.get(n) === 'boolean' ? 'BOOLEAN' : 'STRING',
    ),
    'STRING',
    'STRING',
    ...(folds ? (['INT32', 'STRING'] as const) : []),
    ...REPORT_FIELDS.map(() => 'DOUBLE' as const),
    'STRING',
  ];
  const ranked = runs
    .filter((r) => outcomes.has(r.run_id))
    .map((run) => ({ run, outcome: outcomes.get(run.run_id)! }));
  const key = (o: RunOutcome): number | null => ('report' in o ? o.report[spec.rank_by] : null);
  // Ranked figures first, then runs without the figure (a Sharpe of one day), then failures.
  const tier = (o: RunOutcome): number => {
    const k = key(o);
    return k !== null && !Number.isNaN(k) ? 0 : 'report' in o ? 1 : 2;
  };
  const sign = spec.rank_order === 'desc' ? -1 : 1;
  ranked.sort((a, b) => {
    const ta = tier(a.outcome);
    const tb = tier(b.outcome);
    if (ta !== tb) return ta - tb;
    const ka = key(a.outcome);
    const kb = key(b.outcome);
    if (ta === 0 && ka !== kb) return sign * (ka! < kb! ? -1 : 1);
    return a.run.run_id < b.run.run_id ? -1 : a.run.run_id > b.run.run_id ? 1 : 0;
  });
  const rows = ranked.map(({ run, outcome }): Cell[] => [
    run.run_id,
    ...names.map((n) => run.grid[n]!),
    run.window.start_date,
    run.window.end_date,
    ...(folds ? [run.window.fold ?? null, run.window.sample ?? null] : []),
    ...REPORT_FIELDS.map((f) => ('report' in outcome ? outcome.report[f] : null)),
    'error' in outcome ? outcome.error : null,
  ]);
  return { columns, types, rows };
}

export function writeResults(path: string, table: ResultTable): void {
  if (/\.parquet$/i.test(path)) writeFileSync(path, Buffer.from(parquetBuffer(table)));
  else writeFileSync(path, resultCsv(table));
}

export function parquetBuffer(table: ResultTable): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: table.columns.map((name, c) => ({
      name,
      data: table.rows.map((row) => row[c]!),
      type: table.types[c]!,
    })),
  });
}

export function resultCsv(table: ResultTable): string {
  const lines = [table.columns.join(',')];
  for (const row of table.rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
