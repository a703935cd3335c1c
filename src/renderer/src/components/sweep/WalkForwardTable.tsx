/**
 * Walk-forward, fold by fold: the params that ranked best in sample, their in-sample figure
 * and, beside it, what the same params did on the days right after. A strong left column over
 * a weak right one is overfitting, plain to see; the last row averages both.
 */
import { useMemo } from 'react';
import { walkForward, type SweepTable } from '../../state/sweep-table';
import { formatCell } from './sweep-format';

interface Props {
  table: SweepTable;
  params: string[];
  metric: string;
  order: 'asc' | 'desc';
  onOpen: (runId: string) => void;
}

function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

function tone(value: number | null): string | undefined {
  if (value === null || value === 0) return undefined;
  return value > 0 ? 'up' : 'down';
}

export function WalkForwardTable({ table, params, metric, order, onOpen }: Props) {
  const folds = useMemo(
    () => walkForward(table, params, metric, order),
    [table, params, metric, order],
  );
  return (
    <section className="sweep-wf-table" aria-label="Walk-forward">
      <h3>Walk-forward: best in-sample params vs their out-of-sample {metric}</h3>
      <table>
        <thead>
          <tr>
            <th>fold</th>
            <th>in-sample days</th>
            <th>best params</th>
            <th>in-sample {metric}</th>
            <th>out-of-sample days</th>
            <th>out-of-sample {metric}</th>
          </tr>
        </thead>
        <tbody>
          {folds.map((f) => (
            <tr key={f.fold} aria-label={`Fold ${f.fold}`}>
              <td className="num">{f.fold}</td>
              <td>
                {f.inStart}..{f.inEnd}
              </td>
              <td>
                {Object.entries(f.params)
                  .map(([k, v]) => `${k}=${formatCell(v)}`)
                  .join(' ')}
              </td>
              <td className={`num ${tone(f.inSample) ?? ''}`}>
                <button type="button" className="link-button" onClick={() => onOpen(f.inRunId)}>
                  {f.inSample === null ? 'n/a' : formatCell(f.inSample)}
                </button>
              </td>
              <td>
                {f.outStart}..{f.outEnd}
              </td>
              <td className={`num ${tone(f.outOfSample) ?? ''}`}>
                {f.outRunId ? (
                  <button type="button" className="link-button" onClick={() => onOpen(f.outRunId!)}>
                    {f.outOfSample === null ? 'n/a' : formatCell(f.outOfSample)}
                  </button>
                ) : (
                  'not run yet'
                )}
              </td>
            </tr>
          ))}
        </tbody>
        {folds.length > 1 && (
          <tfoot>
            <tr>
              <td colSpan={3}>mean over {folds.length} folds</td>
              <td className="num">{formatCell(mean(folds.map((f) => f.inSample)))}</td>
              <td />
              <td className="num">{formatCell(mean(folds.map((f) => f.outOfSample)))}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
}
