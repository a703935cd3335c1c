import { IMPORT_TARGETS } from '../../../../shared/import-contract';
import type { OptionsForm } from '../../state/import-flow';

interface Props {
  form: OptionsForm;
  onForm: (form: OptionsForm) => void;
  disabled: boolean;
  /** The symbol the preview found, shown until one is typed. */
  symbolHint?: string;
}

/** The import's options: symbol, interval, zone of naive times, stamps, order, store. */
export function ImportOptionsFields({ form, onForm, disabled, symbolHint }: Props) {
  return (
    <fieldset className="import-options" disabled={disabled}>
      <legend>Options</legend>
      <label className="form-row">
        <span>Import symbol</span>
        <input
          type="text"
          placeholder={symbolHint ?? 'from the file name'}
          value={form.symbol}
          onChange={(e) => onForm({ ...form, symbol: e.target.value })}
        />
      </label>
      <label className="form-row">
        <span>Import interval</span>
        <select
          value={form.interval}
          onChange={(e) => onForm({ ...form, interval: e.target.value as OptionsForm['interval'] })}
        >
          <option value="">detected</option>
          <option value="1s">1s</option>
          <option value="1m">1m</option>
        </select>
      </label>
      <label className="form-row">
        <span>Naive times are in</span>
        <select
          value={form.tz}
          onChange={(e) => onForm({ ...form, tz: e.target.value as OptionsForm['tz'] })}
        >
          <option value="">UTC (default)</option>
          <option value="UTC">UTC</option>
          <option value="America/New_York">America/New_York</option>
        </select>
      </label>
      <label className="form-row">
        <span>Bar stamps mark</span>
        <select
          value={form.stamp}
          onChange={(e) => onForm({ ...form, stamp: e.target.value as OptionsForm['stamp'] })}
        >
          <option value="">the start (default)</option>
          <option value="start">the start</option>
          <option value="end">the end</option>
        </select>
      </label>
      <label className="form-row checkbox-row">
        <input
          type="checkbox"
          checked={form.sort}
          onChange={(e) => onForm({ ...form, sort: e.target.checked })}
        />
        <span>Sort rows that are out of order</span>
      </label>
      <label className="form-row">
        <span>Duplicate timestamps</span>
        <select
          value={form.duplicates}
          onChange={(e) =>
            onForm({ ...form, duplicates: e.target.value as OptionsForm['duplicates'] })
          }
        >
          <option value="drop">drop (counted)</option>
          <option value="refuse">refuse the file</option>
        </select>
      </label>
      <label className="form-row">
        <span>Store</span>
        <select
          value={form.target}
          onChange={(e) => onForm({ ...form, target: e.target.value as OptionsForm['target'] })}
        >
          {IMPORT_TARGETS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
