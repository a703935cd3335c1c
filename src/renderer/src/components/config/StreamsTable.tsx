/**
 * The streams table: one row per symbol with its bar interval (1s, 1m or none) and quotes
 * on/off. Whatever the JSON holds that the choices do not (a `5m` base interval, a second bar
 * stream) is shown as it is, with the schema's error beside the row, so it can be fixed here.
 */
import { useState } from 'react';
import type { ConfigProblem } from '../../../../shared/session-config';
import {
  addRow,
  problemsForRow,
  removeRow,
  renameRow,
  setRowBars,
  setRowStream,
  streamRows,
  type Draft,
} from '../../state/config-draft';
import { FieldErrors, invalidProps } from './FieldErrors';

interface Props {
  draft: Draft;
  problems: ConfigProblem[];
  onChange: (draft: Draft) => void;
  /** Symbols in the data catalog, offered when adding a row. */
  catalogSymbols: string[];
}

const BAR_CHOICES = ['1s', '1m', 'none'];

export function StreamsTable({ draft, problems, onChange, catalogSymbols }: Props) {
  const rows = streamRows(draft);
  const [pick, setPick] = useState('');
  const listProblems = problems.filter((p) => p.path === 'data_streams').map((p) => p.message);
  const configured = new Set(rows.map((r) => r.symbol.trim().toUpperCase()));
  const addable = catalogSymbols.filter((s) => !configured.has(s));
  return (
    <fieldset className="form-section">
      <legend>Streams</legend>
      <table className="streams-table">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Bars</th>
            <th scope="col">Quotes</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const messages = problemsForRow(problems, row);
            const errId = `err-stream-${i}`;
            const aria = invalidProps(errId, messages);
            const choices = BAR_CHOICES.includes(row.bars)
              ? BAR_CHOICES
              : [row.bars, ...BAR_CHOICES];
            return [
              <tr key={row.key} className={messages.length > 0 ? 'row-invalid' : undefined}>
                <td>
                  <input
                    type="text"
                    aria-label={`Row ${i + 1} symbol`}
                    value={row.symbol}
                    spellCheck={false}
                    onChange={(e) => onChange(renameRow(draft, row.key, e.target.value))}
                    {...aria}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Row ${i + 1} bars`}
                    value={row.bars}
                    onChange={(e) => onChange(setRowBars(draft, row.key, e.target.value))}
                    {...aria}
                  >
                    {choices.map((c) => (
                      <option key={c} value={c}>
                        {c === '' ? '(no interval)' : c}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Row ${i + 1} quotes`}
                    checked={row.quotes}
                    onChange={(e) =>
                      onChange(setRowStream(draft, row.key, 'quotes', e.target.checked))
                    }
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove row ${i + 1}`}
                    onClick={() => onChange(removeRow(draft, row.key))}
                  >
                    ×
                  </button>
                </td>
              </tr>,
              messages.length > 0 && (
                <tr key={`${row.key}-errors`} className="row-errors">
                  <td colSpan={4}>
                    <FieldErrors id={errId} messages={messages} />
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </table>
      <FieldErrors id="err-data-streams" messages={listProblems} />
      <div className="form-actions">
        <button type="button" onClick={() => onChange(addRow(draft, pick))}>
          Add row
        </button>
        {addable.length > 0 && (
          <select
            aria-label="Catalog symbol for the new row"
            value={pick}
            onChange={(e) => setPick(e.target.value)}
          >
            <option value="">(empty symbol)</option>
            {addable.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </div>
    </fieldset>
  );
}
