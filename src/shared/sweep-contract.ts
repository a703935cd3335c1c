/**
 * The app's Sweep view on the API: start a sweep on this machine (the spec as the CLI takes
 * it, with the session config inline and the strategy named by its file in `strategies/`),
 * hear its progress and rows as they finish, cancel it. The spec's own rules (sweep-spec.ts)
 * are checked by the host, which answers with every problem, each naming its field.
 */
import { z } from 'zod';
import { STRATEGY_FILE_PATTERN } from './strategy/execution-config';

export const SweepStartRequestSchema = z.strictObject({
  /** A sweep spec without `config` and with `strategy.file` a name in `strategies/`. */
  spec: z.record(z.string(), z.unknown()),
  /** The session config every run starts from (the editor's draft). */
  config: z.record(z.string(), z.unknown()),
  /** Worker processes; default: the machine's cores. */
  jobs: z.number().int().min(1).max(64).optional(),
});

export const SweepCancelRequestSchema = z.strictObject({ sweepId: z.string().min(1).max(64) });

/** The sweep running now, or the last one, with every row so far (a reloaded page's resync). */
export const SweepStatusRequestSchema = z.void();

/** A results cell, as in the CLI's table. */
export type SweepCell = number | string | boolean | null;

/** A figure JSON cannot hold: a profit factor without losses is Infinity, a Sharpe may be NaN. */
export interface NonFiniteCell {
  non_finite: 'Infinity' | '-Infinity' | 'NaN';
}

/**
 * A results cell as it travels. The browser's WebSocket carries JSON, which would turn
 * Infinity and NaN into null, so every transport carries them spelled out, and both ends agree.
 */
export type SweepWireCell = string | number | boolean | null | NonFiniteCell;

export function toWireCell(cell: SweepCell): SweepWireCell {
  if (typeof cell !== 'number' || Number.isFinite(cell)) return cell;
  return { non_finite: Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity' };
}

const SweepWireCellSchema = z.union([
  // Finite only (zod refuses Infinity and NaN here): those travel as NonFiniteCell.
  z.number(),
  z.string(),
  z.boolean(),
  z.null(),
  z
    .strictObject({ non_finite: z.enum(['Infinity', '-Infinity', 'NaN']) })
    .transform((cell): number => Number(cell.non_finite)),
]);

export const SweepWireRowSchema = z.array(SweepWireCellSchema);

/** The rows as the table holds them; a row that is not a row of cells is left out. */
export function fromWireRows(rows: readonly unknown[]): SweepCell[][] {
  const out: SweepCell[][] = [];
  for (const row of rows) {
    const parsed = SweepWireRowSchema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export interface SweepStarted {
  sweepId: string;
  total: number;
  /** The results table's columns (run_id, param_*, start_date, end_date, [fold, sample], report fields, error). */
  columns: string[];
  /** The grid's param names, in the spec's order. */
  params: string[];
  /** Params held fixed across the sweep (the strategy's `params` in the spec). */
  fixed: Record<string, number | boolean | string>;
  strategy: string;
  rankBy: string;
  rankOrder: 'asc' | 'desc';
  walkForward: boolean;
}

export type SweepState = 'running' | 'done' | 'cancelled' | 'failed';

/** Pushed as runs finish (at most a few times a second) and once at the end. */
export interface SweepProgress {
  sweepId: string;
  state: SweepState;
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
  /** Estimated time left, or null before the first run finished. */
  etaMs: number | null;
  /**
   * Rows of the runs finished since the last progress, in the columns of SweepStarted, as they
   * travel (fromWireRows reads them).
   */
  rows: SweepWireCell[][];
  /** Why the sweep stopped, when it failed as a whole. */
  error?: string;
}

/** The strategy file name an app spec gives (the host turns it into `strategies/<name>`). */
export function isStrategyName(name: unknown): name is string {
  return typeof name === 'string' && STRATEGY_FILE_PATTERN.test(name);
}

/** A sweep as a page that just (re)loaded needs it: its start, and its progress with all rows. */
export interface SweepSnapshot {
  started: SweepStarted;
  progress: SweepProgress;
}
