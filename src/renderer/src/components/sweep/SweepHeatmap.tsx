/**
 * Two params against one metric: a DOM grid, each cell the metric's mean over the other
 * params and the windows, coloured on a scale whose legend shows its ends (red for losses,
 * green for gains when the range spans zero).
 */
import { useMemo, useState } from 'react';
import { REPORT_FIELDS } from '../../../../shared/sweep-spec';
import type { SweepCell } from '../../../../shared/sweep-contract';
import { heatColour, heatmap, type SweepTable } from '../../state/sweep-table';
import { formatCell } from './sweep-format';

interface Props {
  table: SweepTable;
  params: string[];
  metric: string;
  /** Walk-forward: the heatmap reads the in-sample rows only. */
  keep?: (row: SweepCell[]) => boolean;
  note?: string;
}

export function SweepHeatmap({ table, params, keep, note, ...props }: Props) {
  const [xParam, setX] = useState(params[0] ?? '');
  const [yParam, setY] = useState(params[1] ?? '');
  const [metric, setMetric] = useState(props.metric);
  const x = params.includes(xParam) ? xParam : (params[0] ?? '');
  // No Y param: one row, the metric along X alone.
  const y = params.includes(yParam) ? yParam : '';
  const map = useMemo(() => heatmap(table, x, y, metric, keep), [table, x, y, metric, keep]);
  const { min, max } = map;
  const spansZero = min !== null && max !== null && min < 0 && max > 0;
  const pick = (
    label: string,
    value: string,
    onChange: (v: string) => void,
    options: readonly string[],
  ) => (
    <label className="field-inline">
      <span className="field-label">{label}</span>
      <select
        aria-label={`Heatmap ${label}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o || '(none)'}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="sweep-heatmap" aria-label="Heatmap">
      <div className="sweep-heatmap-controls">
        {pick('X', x, setX, params)}
        {pick('Y', y, setY, ['', ...params])}
        {pick('Metric', metric, setMetric, REPORT_FIELDS)}
      </div>
      <div
        className="heatmap-grid"
        role="grid"
        aria-label={y ? `${metric} by ${x} and ${y}` : `${metric} by ${x}`}
        style={{ gridTemplateColumns: `auto repeat(${map.xs.length}, minmax(44px, 1fr))` }}
      >
        <div className="heatmap-corner">{y ? `${y} ↓ / ${x} →` : `${x} →`}</div>
        {map.xs.map((v) => (
          <div key={`x${String(v)}`} className="heatmap-axis" role="columnheader">
            {formatCell(v)}
          </div>
        ))}
        {map.ys.map((yv, yi) => (
          <div key={`y${String(yv)}`} role="row" className="heatmap-row">
            <div className="heatmap-axis" role="rowheader">
              {formatCell(yv)}
            </div>
            {map.xs.map((xv, xi) => {
              const value = map.values[yi]![xi]!;
              return (
                <div
                  key={`c${String(xv)}`}
                  role="gridcell"
                  className="heatmap-cell"
                  title={`${x}=${formatCell(xv)} ${y}=${formatCell(yv)}: ${metric} ${value === null ? 'n/a' : formatCell(value)} (${map.counts[yi]![xi]} runs)`}
                  style={
                    value !== null && min !== null && max !== null
                      ? { background: heatColour(value, min, max) }
                      : undefined
                  }
                >
                  {value === null ? '–' : formatCell(value)}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {min !== null && max !== null && (
        <div className="heatmap-legend" aria-label="Colour scale">
          <span>{formatCell(min)}</span>
          <span
            className="heatmap-ramp"
            style={{
              background: spansZero
                ? `linear-gradient(to right, ${heatColour(min, min, max)}, ${heatColour(0, min, max)}, ${heatColour(max, min, max)})`
                : `linear-gradient(to right, ${heatColour(min, min, max)}, ${heatColour(max, min, max)})`,
            }}
          />
          <span>{formatCell(max)}</span>
          <span className="muted">
            {metric}, mean over the other params and windows{note ? `; ${note}` : ''}
          </span>
        </div>
      )}
    </section>
  );
}
