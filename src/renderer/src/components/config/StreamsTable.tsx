/**
 * The streams table: one row per configured stream, exactly as the config lists them, so a
 * second bar stream for a symbol or a `5m` base interval is visible and fixable here, with
 * the schema's error beside its row. Rows are keyed by their place in the list, never by the
 * symbol being typed, so typing keeps the focus.
 */
import { useState } from 'react';
import { CALENDARS, type ConfigProblem } from '../../../../shared/session-config';
import { STREAM_TYPES } from '../../../../shared/stream-types';
import {
  addStreams,
  problemsForStream,
  removeStream,
  setStreamField,
  streamRows,
  streamsForSymbol,
  type Draft,
  type HeldStream,
  type StreamField,
} from '../../state/config-draft';
import { FieldErrors, invalidProps } from './FieldErrors';

interface Props {
  draft: Draft;
  problems: ConfigProblem[];
  onChange: (draft: Draft) => void;
  /** What the data catalog holds, offered when adding a symbol. */
  catalog: readonly HeldStream[];
}

const BASE_INTERVALS = ['1s', '1m'];

/** The choices plus whatever the JSON holds that is not one (shown so it can be fixed). */
function withCurrent(choices: readonly string[], current: string): string[] {
  return choices.includes(current) ? [...choices] : [current, ...choices];
}

export function StreamsTable({ draft, problems, onChange, catalog }: Props) {
  const rows = streamRows(draft);
  const [pick, setPick] = useState('');
  const listProblems = problems.filter((p) => p.path === 'data_streams').map((p) => p.message);
  const configured = new Set(rows.map((r) => r.symbol.trim().toUpperCase()));
  const addable = [...new Set(catalog.map((e) => e.symbol))]
    .filter((s) => !configured.has(s))
    .sort();
  const set = (index: number, field: StreamField, v: string) =>
    onChange(setStreamField(draft, index, field, v));
  return (
    <fieldset className="form-section">
      <legend>Streams</legend>
      <table className="streams-table">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Symbol</th>
            <th scope="col">Interval</th>
            <th scope="col">Calendar</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const n = row.index + 1;
            const messages = problemsForStream(problems, row.index);
            const errId = `err-stream-${row.index}`;
            const aria = invalidProps(errId, messages);
            return [
              <tr key={row.index} className={messages.length > 0 ? 'row-invalid' : undefined}>
                <td>
                  <select
                    aria-label={`Stream ${n} type`}
                    value={row.type}
                    onChange={(e) => set(row.index, 'type', e.target.value)}
                    {...aria}
                  >
                    {withCurrent(STREAM_TYPES, row.type).map((t) => (
                      <option key={t} value={t}>
                        {t === '' ? '(no type)' : t}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="text"
                    aria-label={`Stream ${n} symbol`}
                    value={row.symbol}
                    spellCheck={false}
                    onChange={(e) => set(row.index, 'symbol', e.target.value)}
                    {...aria}
                  />
                </td>
                <td>
                  {row.type === 'bars' || row.interval !== '' ? (
                    <select
                      aria-label={`Stream ${n} interval`}
                      value={row.interval}
                      onChange={(e) => set(row.index, 'interval', e.target.value)}
                      {...aria}
                    >
                      {withCurrent(BASE_INTERVALS, row.interval).map((c) => (
                        <option key={c} value={c}>
                          {c === '' ? '(none)' : c}
                        </option>
                      ))}
                    </select>
                  ) : row.type === 'ticks' ? (
                    <select
                      aria-label={`Stream ${n} bars from ticks`}
                      title="Build this symbol's base bars from its trades"
                      value={row.barsFromTicks}
                      onChange={(e) => set(row.index, 'bars_from_ticks', e.target.value)}
                      {...aria}
                    >
                      {withCurrent(['', ...BASE_INTERVALS], row.barsFromTicks).map((c) => (
                        <option key={c} value={c}>
                          {c === '' ? 'no bars' : `${c} bars`}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <select
                    aria-label={`Stream ${n} calendar`}
                    value={row.calendar}
                    title="The exchange calendar of this stream; blank follows the session's"
                    onChange={(e) => set(row.index, 'calendar', e.target.value)}
                    {...aria}
                  >
                    {withCurrent(['', ...CALENDARS], row.calendar).map((c) => (
                      <option key={c} value={c}>
                        {c === '' ? 'default' : c}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove stream ${n}`}
                    onClick={() => onChange(removeStream(draft, row.index))}
                  >
                    ×
                  </button>
                </td>
              </tr>,
              messages.length > 0 && (
                <tr key={`${row.index}-errors`} className="row-errors">
                  <td colSpan={5}>
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
        <button
          type="button"
          onClick={() => {
            onChange(
              addStreams(
                draft,
                pick === ''
                  ? [{ type: 'bars', symbol: '', interval: '1m' }]
                  : streamsForSymbol(catalog, pick),
              ),
            );
            setPick('');
          }}
        >
          Add stream
        </button>
        {addable.length > 0 && (
          <select
            aria-label="Catalog symbol for the new stream"
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
