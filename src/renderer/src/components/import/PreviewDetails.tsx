import type { ImportPreview } from '../../../../shared/import-contract';
import type { OptionsForm } from '../../state/import-flow';
import { baseName, previewRange } from '../../state/preview-format';

interface Props {
  preview: ImportPreview;
  form: OptionsForm;
  onForm: (form: OptionsForm) => void;
  disabled: boolean;
}

/** One file's preview: what was detected (editable), what it holds, and what is wrong. */
export function PreviewDetails({ preview, form, onForm, disabled }: Props) {
  const ts = preview.mapping.timestamp;
  // The staged files are not read again: a symbol the form renames is shown under its new name.
  const named = (symbol: string): string => form.aliases[symbol] ?? symbol;
  const unnamed = (preview.sameInstrument ?? []).filter(
    (group) => new Set(group.symbols.map(named)).size > 1,
  );
  const tsText = typeof ts === 'string' ? ts : `${ts.date} + ${ts.time}`;
  return (
    <article className="import-preview" aria-label={`Preview of ${preview.file}`}>
      <h3>
        {preview.file}{' '}
        <span className="muted">
          ({preview.format}, {preview.mapping.kind})
        </span>
      </h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Kind</th>
            <th scope="col">Interval</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Range (exchange time)</th>
            <th scope="col">Days</th>
          </tr>
        </thead>
        <tbody>
          {preview.symbols.map((s) => (
            <tr key={`${s.symbol}-${s.kind}-${s.interval ?? ''}`}>
              <th scope="row">{named(s.symbol)}</th>
              <td>{s.kind}</td>
              <td>{s.interval ?? '—'}</td>
              <td className="num">
                {preview.estimated ? '≈' : ''}
                {s.rows.toLocaleString('en-US')}
              </td>
              <td>{previewRange(s.first, s.last)}</td>
              <td>{s.tradingDays.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.symbolGuess && (
        <p className="warn symbol-guess" role="note">
          Symbol {preview.symbolGuess.symbol} is a guess from the file name{' '}
          {preview.symbolGuess.fileName}
          {preview.symbolGuess.doubt ? ` (doubtful: ${preview.symbolGuess.doubt})` : ''}. Check it;
          if it is wrong, type the right one in “Import symbol”.
        </p>
      )}
      {unnamed.map((group) => (
        <p className="warn same-instrument" key={group.symbols.join()}>
          {group.symbols.join(' and ')} look like one instrument named two ways.{' '}
          <button
            type="button"
            disabled={disabled}
            onClick={() => {
              const renames = group.symbols.filter((s) => s !== group.as).map((s) => [s, group.as]);
              onForm({ ...form, aliases: { ...form.aliases, ...Object.fromEntries(renames) } });
            }}
          >
            Import as {group.as}
          </button>
        </p>
      ))}
      <fieldset className="mapping" disabled={disabled}>
        <legend>Detected mapping</legend>
        <label className="form-row">
          <span>Timestamp column</span>
          <input
            type="text"
            value={form.timestampColumn}
            placeholder={tsText}
            onChange={(e) => onForm({ ...form, timestampColumn: e.target.value })}
          />
        </label>
        {preview.timestampUnitNote && <p className="muted">{preview.timestampUnitNote}</p>}
        {Object.entries(preview.mapping.fields).map(([field, column]) => (
          <label className="form-row" key={field}>
            <span>{field} column</span>
            <input
              type="text"
              value={form.fields[field] ?? ''}
              placeholder={column}
              onChange={(e) =>
                onForm({ ...form, fields: { ...form.fields, [field]: e.target.value } })
              }
            />
          </label>
        ))}
      </fieldset>
      <p className="muted">
        {preview.counts.rows.toLocaleString('en-US')} rows · {preview.counts.invalid} invalid ·{' '}
        {preview.counts.duplicates} duplicates · {preview.counts.outOfOrder} out of order ·{' '}
        {preview.counts.crossedQuotes} crossed quotes · {preview.counts.outsideTradingHours} outside
        trading hours
      </p>
      {preview.notes && preview.notes.length > 0 && (
        <ul className="notes">
          {preview.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {preview.problems.length > 0 && (
        <ul className="import-problems" aria-label={`Problems in ${baseName(preview.file)}`}>
          {preview.problems.map((p, i) => (
            <li key={i} className={p.severity === 'warning' ? 'warn' : 'error'}>
              {baseName(p.file)}
              {p.row !== undefined ? `, row ${p.row}` : ''}
              {p.field ? `, ${p.field}` : ''}: {p.message}
              {p.value !== undefined ? ` (${p.value})` : ''}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
