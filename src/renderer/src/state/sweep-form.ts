/**
 * The Sweep view's form: a strategy, one axis per chosen param (a list of values or a
 * from/to/step range), the date windows or walk-forward folds, and the metric to rank by. It
 * becomes the spec the host plans; what can be checked here is, each problem keyed by the
 * field the user edits, and the host's problems are keyed the same way.
 */
import type { ParamField } from '../../../shared/strategy/params';
import type { ParamValue } from '../../../shared/strategy/types';

export interface AxisDraft {
  name: string;
  mode: 'list' | 'range';
  /** Comma-separated values. */
  list: string;
  from: string;
  to: string;
  step: string;
}

export interface WindowDraft {
  start: string;
  end: string;
}

export type WindowMode = 'windows' | 'walk_forward';

export interface SweepForm {
  strategy: string;
  axes: AxisDraft[];
  windowMode: WindowMode;
  windows: WindowDraft[];
  /** The days the folds are cut from (the config's dates are set to these). */
  span: WindowDraft;
  trainDays: string;
  testDays: string;
  stepDays: string;
  rankBy: string;
  rankOrder: 'desc' | 'asc';
}

/** Problems by field: `strategy`, `grid`, `grid.<param>`, `windows`, `walk_forward`, `form`. */
export type FormProblems = Record<string, string[]>;

export type BuiltSpec =
  | {
      ok: true;
      spec: Record<string, unknown>;
      /** Walk-forward: the dates the config must span for the folds. */
      span?: { start_date: string; end_date: string };
    }
  | { ok: false; problems: FormProblems };

export function newAxis(field: ParamField): AxisDraft {
  const value = field.default;
  if (field.kind === 'number' && typeof value === 'number') {
    return { name: field.name, mode: 'range', list: String(value), ...rangeAround(value) };
  }
  const list = field.kind === 'boolean' ? 'true, false' : (field.choices ?? [value]).join(', ');
  return { name: field.name, mode: 'list', list, from: '', to: '', step: '' };
}

function rangeAround(value: number): { from: string; to: string; step: string } {
  const step = Math.max(1, Math.round(Math.abs(value) / 4));
  return { from: String(value - step), to: String(value + step), step: String(step) };
}

export function emptyForm(window: WindowDraft): SweepForm {
  return {
    strategy: '',
    axes: [],
    windowMode: 'windows',
    windows: [window],
    span: window,
    trainDays: '1',
    testDays: '1',
    stepDays: '1',
    rankBy: 'net_pnl',
    rankOrder: 'desc',
  };
}

/** The form as a spec (strategy by file name, config given apart), or what is wrong where. */
export function buildSpec(form: SweepForm, fields: readonly ParamField[]): BuiltSpec {
  const problems: FormProblems = {};
  const add = (key: string, message: string): void => {
    (problems[key] ??= []).push(message);
  };
  if (!form.strategy) add('strategy', 'pick a strategy');
  if (form.axes.length === 0) add('grid', 'the grid is empty: add at least one param');
  const grid: Record<string, unknown> = {};
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const axis of form.axes) {
    const field = byName.get(axis.name);
    const key = `grid.${axis.name}`;
    if (!field) {
      add(key, `unknown param (the strategy declares: ${fields.map((f) => f.name).join(', ')})`);
      continue;
    }
    if (grid[axis.name] !== undefined) {
      add(key, 'this param is in the grid twice');
      continue;
    }
    const built = axis.mode === 'range' ? rangeOf(axis, field) : listOf(axis, field);
    if (typeof built === 'string') add(key, built);
    else grid[axis.name] = built;
  }
  let dates: Record<string, unknown> = {};
  if (form.windowMode === 'windows') {
    form.windows.forEach((w, i) => {
      if (!isIsoDate(w.start) || !isIsoDate(w.end))
        add('windows', `window ${i + 1}: pick both dates`);
      else if (w.start > w.end) add('windows', `window ${i + 1}: the start is after the end`);
    });
    if (form.windows.length === 0) add('windows', 'add at least one date window');
    dates = { windows: form.windows.map((w) => ({ start_date: w.start, end_date: w.end })) };
  } else {
    const wf: Record<string, number> = {};
    for (const [name, text] of [
      ['train_days', form.trainDays],
      ['test_days', form.testDays],
      ['step_days', form.stepDays],
    ] as const) {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n) || n < 1) {
        add('walk_forward', `${name}: a whole number of days, at least 1`);
      } else wf[name] = n;
    }
    if (!isIsoDate(form.span.start) || !isIsoDate(form.span.end)) {
      add('walk_forward', 'pick the first and last day of the folds');
    } else if (form.span.start > form.span.end) {
      add('walk_forward', 'the first day is after the last');
    }
    dates = { walk_forward: wf };
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    ...(form.windowMode === 'walk_forward'
      ? { span: { start_date: form.span.start, end_date: form.span.end } }
      : {}),
    spec: {
      strategy: { file: form.strategy },
      grid,
      ...dates,
      rank_by: form.rankBy,
      rank_order: form.rankOrder,
    },
  };
}

function listOf(axis: AxisDraft, field: ParamField): ParamValue[] | string {
  const items = axis.list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return 'give at least one value';
  const values: ParamValue[] = [];
  for (const item of items) {
    const value = valueOf(item, field);
    if (value === null) return `"${item}" is not ${expected(field)}`;
    values.push(value);
  }
  return values;
}

function valueOf(text: string, field: ParamField): ParamValue | null {
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  if (field.kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : null;
  if (field.kind === 'choice') return field.choices?.includes(text) ? text : null;
  return text;
}

function expected(field: ParamField): string {
  if (field.kind === 'number') return 'a number';
  if (field.kind === 'boolean') return 'true or false';
  if (field.kind === 'choice') return `one of ${(field.choices ?? []).join(', ')}`;
  return 'text';
}

function rangeOf(
  axis: AxisDraft,
  field: ParamField,
): { from: number; to: number; step: number } | string {
  if (field.kind !== 'number') return `a from/to/step range needs a number param (${field.kind})`;
  const [from, to, step] = [axis.from, axis.to, axis.step].map((t) =>
    t.trim() === '' ? NaN : Number(t),
  );
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step)) {
    return 'from, to and step must be numbers';
  }
  if (step! <= 0) return 'step must be > 0';
  if (from! > to!) return 'from must not be after to';
  return { from: from!, to: to!, step: step! };
}

function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/**
 * The editor's params for the same strategy are held fixed (those not in the grid), so a sweep
 * varies only what the grid names.
 */
export function withFixedParams(
  spec: Record<string, unknown>,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const strategy = spec.strategy as { file: string };
  const editor = config.strategy as { file?: unknown; params?: unknown } | undefined;
  if (editor?.file !== strategy.file || typeof editor.params !== 'object' || !editor.params) {
    return spec;
  }
  const grid = spec.grid as Record<string, unknown>;
  const fixed = Object.fromEntries(
    Object.entries(editor.params as Record<string, unknown>).filter(([name]) => !(name in grid)),
  );
  return { ...spec, strategy: { ...strategy, params: fixed } };
}

/**
 * The host's problems (`grid.fast[1]: …`, `windows[0].end_date: …`) keyed like the form's, so
 * each shows by the field it is about; anything else goes under `form`.
 */
export function problemsByField(issues: readonly string[]): FormProblems {
  const out: FormProblems = {};
  for (const issue of issues) {
    const match = /^(grid|strategy|windows?|walk_forward)(?:\.([A-Za-z_$][\w$]*))?/.exec(issue);
    const head = match?.[1] === 'window' ? 'windows' : match?.[1];
    const name = match?.[2];
    const key = !head ? 'form' : head === 'grid' && name ? `grid.${name}` : head;
    const message = key.startsWith('grid.') ? issue.slice('grid.'.length) : issue;
    (out[key] ??= []).push(message);
  }
  return out;
}
