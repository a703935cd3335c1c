/**
 * A parameter sweep: one strategy run many times over a grid of its params and over date
 * windows (listed, or walk-forward folds). Validated like the session config: unknown keys are
 * refused and every problem is reported at once, each naming its field.
 */
import { z } from 'zod';
import { isoDate, SessionConfigSchema } from './session-config';
import { REPORT_FIELDS } from './report-fields';

const paramValue = z.union([z.number().finite(), z.boolean(), z.string()]);

/** A numeric range, `to` included: `{ from: 5, to: 20, step: 5 }` is 5, 10, 15, 20. */
export const GridRangeSchema = z
  .strictObject({
    from: z.number().finite(),
    to: z.number().finite(),
    step: z.number().finite().positive('step must be > 0'),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });
export type GridRange = z.output<typeof GridRangeSchema>;

export const GridAxisSchema = z.union([
  z.array(paramValue).min(1, 'an empty list of values'),
  GridRangeSchema,
]);
export type GridAxis = z.output<typeof GridAxisSchema>;

export const SweepWindowSchema = z
  .strictObject({ start_date: isoDate, end_date: isoDate })
  .refine((w) => w.start_date <= w.end_date, {
    message: 'start_date must not be after end_date',
    path: ['end_date'],
  });
export type SweepWindow = z.output<typeof SweepWindowSchema>;

/** Folds over the store's trading days: train on `train_days`, test on the next `test_days`. */
export const WalkForwardSchema = z.strictObject({
  train_days: z.number().int().positive(),
  test_days: z.number().int().positive(),
  step_days: z.number().int().positive(),
});
export type WalkForward = z.output<typeof WalkForwardSchema>;

export { REPORT_FIELDS, type ReportField } from './report-fields';

/** More runs than this is a typo in a range, not a sweep. */
export const MAX_RUNS = 100_000;

export const SweepSpecSchema = z
  .strictObject({
    /** A session config file, relative to the data directory, or the config itself. */
    config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    strategy: z.strictObject({
      /** Relative to the data directory. */
      file: z.string().min(1),
      /** Held fixed across the sweep; the grid's params must not repeat them. */
      params: z.record(z.string(), paramValue).default({}),
    }),
    grid: z
      .record(z.string(), GridAxisSchema)
      .refine((g) => Object.keys(g).length > 0, 'the grid is empty: name at least one param'),
    /** Sample this many points of the grid instead of running all of it (0 = all). */
    random: z.number().int().nonnegative().default(0),
    /** The seed of `random`: the same seed samples the same points. */
    seed: z.number().int().nonnegative().default(0),
    windows: z.array(SweepWindowSchema).min(1).optional(),
    walk_forward: WalkForwardSchema.optional(),
    rank_by: z.enum(REPORT_FIELDS).default('net_pnl'),
    /** `desc` puts the highest first (right for P&L and Sharpe, not for drawdown). */
    rank_order: z.enum(['desc', 'asc']).default('desc'),
  })
  .refine((s) => !(s.windows && s.walk_forward), {
    message: 'give windows or walk_forward, not both',
    path: ['walk_forward'],
  })
  .superRefine((s, ctx) => {
    for (const name of Object.keys(s.grid)) {
      if (name in s.strategy.params) {
        ctx.addIssue({
          code: 'custom',
          path: ['grid', name],
          message: `${name} is both in the grid and in strategy.params; name it once`,
        });
      }
    }
  });
export type SweepSpec = z.output<typeof SweepSpecSchema>;

export type SweepSpecResult = { ok: true; spec: SweepSpec } | { ok: false; problems: string[] };

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function parseSweepSpec(input: unknown): SweepSpecResult {
  const parsed = SweepSpecSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${formatPath(i.path) || 'spec'}: ${i.message}`),
    };
  }
  if (typeof parsed.data.config === 'object') {
    // An inline config is checked here so its problems name the spec's field.
    const config = SessionConfigSchema.safeParse(parsed.data.config);
    if (!config.success) {
      return {
        ok: false,
        problems: config.error.issues.map((i) => `config.${formatPath(i.path)}: ${i.message}`),
      };
    }
  }
  return { ok: true, spec: parsed.data };
}

/** The values of one axis, in order; a range's values carry no float noise (0.1 + 0.2). */
export function axisValues(axis: GridAxis): (number | boolean | string)[] {
  if (Array.isArray(axis)) return axis;
  const decimals = Math.max(decimalsOf(axis.from), decimalsOf(axis.step));
  const count = Math.floor((axis.to - axis.from) / axis.step + 1e-9) + 1;
  const out: number[] = [];
  for (let i = 0; i < count && i <= MAX_RUNS; i++) {
    out.push(Number((axis.from + i * axis.step).toFixed(decimals)));
  }
  return out;
}

function decimalsOf(n: number): number {
  const text = String(n);
  if (text.includes('e-')) return Math.min(20, Number(text.split('e-')[1]) + 10);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
