import { describe, expect, it } from 'vitest';
import { paramFields } from '../../src/shared/strategy/params';
import { parseSweepSpec, REPORT_FIELDS, type SweepSpec } from '../../src/shared/sweep-spec';
import { expandRuns, type PlannedRun } from '../../src/main/sweep/sweep-plan';
import {
  resultCsv,
  resultTable,
  type ReportRow,
  type RunOutcome,
} from '../../src/main/sweep/sweep-results';

const fields = paramFields({ fast: 9, mode: { default: 'a', choices: ['a', 'b'] } }).fields;

function plan(extra: Record<string, unknown>): { spec: SweepSpec; runs: PlannedRun[] } {
  const parsed = parseSweepSpec({
    config: 'c.json',
    strategy: { file: 's.ts' },
    grid: { fast: [1, 2, 3, 4], mode: ['a', 'b'] },
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join());
  const runs = expandRuns(parsed.spec, [{ start_date: '2024-03-04', end_date: '2024-03-04' }]);
  if (typeof runs === 'string') throw new Error(runs);
  return { spec: parsed.spec, runs };
}

function report(sharpe: number | null): ReportRow {
  const row = Object.fromEntries(REPORT_FIELDS.map((f) => [f, 0])) as ReportRow;
  row.sharpe = sharpe;
  return row;
}

describe('results table', () => {
  it('ranks by the field, nulls then failures last, ties by run id (sort oracle)', () => {
    for (const order of ['desc', 'asc'] as const) {
      const { spec, runs } = plan({ rank_by: 'sharpe', rank_order: order });
      const sharpe = [0.5, null, 2, 0.5, -1, 2, 0.1, 3];
      const outcomes = new Map<string, RunOutcome>(
        runs.map((r, i) => [
          r.run_id,
          i === 7
            ? { run_id: r.run_id, error: 'boom, "quoted"' }
            : { run_id: r.run_id, report: report(sharpe[i]!) },
        ]),
      );
      const table = resultTable(spec, fields, runs, outcomes);
      const ids = table.rows.map((row) => row[0]);
      // Oracle: numbers first in order, then by id; the null; the failure.
      const scored = runs
        .slice(0, 7)
        .filter((_, i) => sharpe[i] !== null)
        .map((r) => ({ id: r.run_id, s: sharpe[runs.indexOf(r)]! }))
        .sort((a, b) =>
          a.s !== b.s ? (order === 'desc' ? b.s - a.s : a.s - b.s) : a.id < b.id ? -1 : 1,
        );
      expect(ids).toEqual([...scored.map((x) => x.id), runs[1]!.run_id, runs[7]!.run_id]);
      expect(table.columns.slice(0, 5)).toEqual([
        'run_id',
        'param_fast',
        'param_mode',
        'start_date',
        'end_date',
      ]);
      expect(table.types.slice(0, 3)).toEqual(['STRING', 'DOUBLE', 'STRING']);
      const last = table.rows[table.rows.length - 1]!;
      expect(last[last.length - 1]).toBe('boom, "quoted"');
      expect(resultCsv(table).trimEnd().split('\n').pop()!.endsWith(',"boom, ""quoted"""')).toBe(
        true,
      );
    }
  });

  it('adds fold and sample columns for walk-forward', () => {
    const { spec, runs } = plan({ walk_forward: { train_days: 1, test_days: 1, step_days: 1 } });
    const table = resultTable(spec, fields, runs, new Map());
    expect(table.columns).toContain('fold');
    expect(table.columns).toContain('sample');
    expect(table.rows).toEqual([]);
  });
});
