/**
 * The grid's definition: a strategy from data/strategies, one axis per param (a list of values
 * or a from/to/step range), the date windows or walk-forward folds, and the metric to rank
 * by. Each problem shows next to the field it is about.
 */
import type { ParamField } from '../../../../shared/strategy/params';
import type { StrategyListing } from '../../../../shared/strategy/trading-contract';
import { REPORT_FIELDS } from '../../../../shared/sweep-spec';
import {
  newAxis,
  type AxisDraft,
  type FormProblems,
  type SweepForm as Form,
} from '../../state/sweep-form';

interface Props {
  form: Form;
  onForm: (form: Form) => void;
  strategies: StrategyListing[];
  fields: ParamField[];
  problems: FormProblems;
  running: boolean;
  onRun: () => void;
  runBlocked: string | null;
}

function Problems({ list, label }: { list: string[] | undefined; label: string }) {
  if (!list?.length) return null;
  return (
    <ul className="field-errors" role="alert" aria-label={label}>
      {list.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

export function SweepForm({
  form,
  onForm,
  strategies,
  fields,
  problems,
  running,
  ...props
}: Props) {
  const set = (patch: Partial<Form>): void => onForm({ ...form, ...patch });
  const setAxis = (i: number, patch: Partial<AxisDraft>): void =>
    set({ axes: form.axes.map((a, j) => (i === j ? { ...a, ...patch } : a)) });
  const unused = fields.filter((f) => !form.axes.some((a) => a.name === f.name));

  return (
    <form
      className="sweep-form"
      aria-label="Sweep grid"
      onSubmit={(e) => {
        e.preventDefault();
        props.onRun();
      }}
    >
      <fieldset disabled={running}>
        <label className="field">
          <span className="field-label">Strategy</span>
          <select
            aria-label="Sweep strategy"
            value={form.strategy}
            onChange={(e) => set({ strategy: e.target.value, axes: [] })}
          >
            <option value="">Pick a strategy…</option>
            {strategies.map((s) => (
              <option key={s.file} value={s.file} disabled={s.error !== null}>
                {s.file}
                {s.error ? ' (cannot load)' : ''}
              </option>
            ))}
          </select>
        </label>
        <Problems list={problems.strategy} label="Strategy problems" />

        <div className="sweep-section-head">
          <span className="field-label">Grid</span>
          <select
            aria-label="Add a param to the grid"
            value=""
            disabled={unused.length === 0}
            onChange={(e) => {
              const field = fields.find((f) => f.name === e.target.value);
              if (field) set({ axes: [...form.axes, newAxis(field)] });
            }}
          >
            <option value="">{unused.length ? 'Add param…' : 'No more params'}</option>
            {unused.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label === f.name ? f.name : `${f.name} (${f.label})`}
              </option>
            ))}
          </select>
        </div>
        <Problems list={problems.grid} label="Grid problems" />
        {form.axes.map((axis, i) => {
          const field = fields.find((f) => f.name === axis.name);
          return (
            <div
              className="sweep-axis"
              key={axis.name}
              aria-label={`Axis ${axis.name}`}
              role="group"
            >
              <div className="sweep-axis-row">
                <span className="sweep-axis-name">{axis.name}</span>
                {field?.kind === 'number' && (
                  <select
                    aria-label={`${axis.name} values as`}
                    value={axis.mode}
                    onChange={(e) => setAxis(i, { mode: e.target.value as AxisDraft['mode'] })}
                  >
                    <option value="list">list</option>
                    <option value="range">from/to/step</option>
                  </select>
                )}
                {axis.mode === 'list' ? (
                  <input
                    type="text"
                    aria-label={`${axis.name} values`}
                    value={axis.list}
                    placeholder="5, 8, 13"
                    onChange={(e) => setAxis(i, { list: e.target.value })}
                  />
                ) : (
                  <span className="sweep-range">
                    {(['from', 'to', 'step'] as const).map((k) => (
                      <input
                        type="text"
                        key={k}
                        aria-label={`${axis.name} ${k}`}
                        title={k}
                        placeholder={k}
                        inputMode="decimal"
                        value={axis[k]}
                        onChange={(e) => setAxis(i, { [k]: e.target.value })}
                      />
                    ))}
                  </span>
                )}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${axis.name}`}
                  onClick={() => set({ axes: form.axes.filter((_, j) => j !== i) })}
                >
                  ×
                </button>
              </div>
              <Problems list={problems[`grid.${axis.name}`]} label={`${axis.name} problems`} />
            </div>
          );
        })}

        <div className="sweep-section-head">
          <span className="field-label">Dates</span>
          <select
            aria-label="Date windows as"
            value={form.windowMode}
            onChange={(e) => set({ windowMode: e.target.value as Form['windowMode'] })}
          >
            <option value="windows">Date windows</option>
            <option value="walk_forward">Walk-forward</option>
          </select>
        </div>
        {form.windowMode === 'windows' ? (
          <>
            {form.windows.map((w, i) => (
              <div className="sweep-window" key={i}>
                <input
                  type="date"
                  aria-label={`Window ${i + 1} start`}
                  value={w.start}
                  onChange={(e) =>
                    set({
                      windows: form.windows.map((x, j) =>
                        j === i ? { ...x, start: e.target.value } : x,
                      ),
                    })
                  }
                />
                <span>to</span>
                <input
                  type="date"
                  aria-label={`Window ${i + 1} end`}
                  value={w.end}
                  onChange={(e) =>
                    set({
                      windows: form.windows.map((x, j) =>
                        j === i ? { ...x, end: e.target.value } : x,
                      ),
                    })
                  }
                />
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove window ${i + 1}`}
                  disabled={form.windows.length === 1}
                  onClick={() => set({ windows: form.windows.filter((_, j) => j !== i) })}
                >
                  ×
                </button>
              </div>
            ))}
            <button
              type="button"
              className="link-button"
              onClick={() =>
                set({ windows: [...form.windows, form.windows.at(-1) ?? { start: '', end: '' }] })
              }
            >
              + window
            </button>
            <Problems list={problems.windows} label="Window problems" />
          </>
        ) : (
          <>
            <div className="sweep-window">
              <input
                type="date"
                aria-label="Walk-forward from"
                value={form.span.start}
                onChange={(e) => set({ span: { ...form.span, start: e.target.value } })}
              />
              <span>to</span>
              <input
                type="date"
                aria-label="Walk-forward to"
                value={form.span.end}
                onChange={(e) => set({ span: { ...form.span, end: e.target.value } })}
              />
            </div>
            <div className="sweep-wf">
              {(
                [
                  ['trainDays', 'Train days'],
                  ['testDays', 'Test days'],
                  ['stepDays', 'Step days'],
                ] as const
              ).map(([k, label]) => (
                <label className="field" key={k}>
                  <span className="field-label">{label}</span>
                  <input
                    type="text"
                    aria-label={label}
                    inputMode="numeric"
                    value={form[k]}
                    onChange={(e) => set({ [k]: e.target.value })}
                  />
                </label>
              ))}
            </div>
            <Problems list={problems.walk_forward} label="Walk-forward problems" />
          </>
        )}

        <div className="sweep-section-head">
          <label className="field-inline">
            <span className="field-label">Rank by</span>
            <select
              aria-label="Rank by"
              value={form.rankBy}
              onChange={(e) => set({ rankBy: e.target.value })}
            >
              {REPORT_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <select
            aria-label="Rank order"
            value={form.rankOrder}
            onChange={(e) => set({ rankOrder: e.target.value as Form['rankOrder'] })}
          >
            <option value="desc">highest first</option>
            <option value="asc">lowest first</option>
          </select>
        </div>
      </fieldset>
      <button
        type="submit"
        className="primary"
        disabled={running || props.runBlocked !== null}
        title={props.runBlocked ?? 'Run every point of the grid on this machine'}
      >
        Run sweep
      </button>
      <Problems list={problems.form} label="Sweep problems" />
    </form>
  );
}
