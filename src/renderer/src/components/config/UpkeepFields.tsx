import { useEffect, useState } from 'react';
import type { ConfigProblem } from '../../../../shared/session-config';
import {
  getPath,
  parseIntervalList,
  problemsAt,
  setPath,
  type Draft,
} from '../../state/config-draft';
import { FieldErrors, invalidProps } from './FieldErrors';

interface Props {
  draft: Draft;
  problems: ConfigProblem[];
  onChange: (draft: Draft) => void;
}

const BASE = 'session_data_config.data_upkeep';

/** The upkeep's settings; absent values show the schema's defaults as placeholders. */
export function UpkeepFields({ draft, problems, onChange }: Props) {
  const field = (key: string) => {
    const path = `${BASE}.${key}`;
    const messages = problemsAt(problems, path);
    const id = `err-${path.replace(/\W/g, '-')}`;
    return { path, messages, id, aria: invalidProps(id, messages) };
  };
  const enabled = field('enabled');
  const derived = field('derived_intervals');
  const check = field('check_interval_seconds');
  const retries = field('max_retries');
  const derivedValue = getPath(draft, derived.path);
  const derivedText = Array.isArray(derivedValue) ? derivedValue.map(String).join(', ') : '';
  // The typed text is kept as typed ("1m, " on the way to "1m, 5m"), and replaced only when
  // the draft changed elsewhere (the raw JSON view, a loaded file).
  const [typed, setTyped] = useState(derivedText);
  useEffect(() => {
    setTyped((current) =>
      parseIntervalList(current).join(', ') === derivedText ? current : derivedText,
    );
  }, [derivedText]);
  const numberAt = (path: string): string => {
    const v = getPath(draft, path);
    return v === undefined || v === null ? '' : String(v);
  };
  const setNumber = (path: string, text: string): void =>
    onChange(setPath(draft, path, text === '' ? undefined : Number(text)));
  return (
    <fieldset className="form-section">
      <legend>Upkeep</legend>
      <label className="form-row checkbox-row">
        <input
          type="checkbox"
          checked={getPath(draft, enabled.path) !== false}
          onChange={(e) => onChange(setPath(draft, enabled.path, e.target.checked))}
          {...enabled.aria}
        />
        <span>Upkeep enabled</span>
      </label>
      <FieldErrors id={enabled.id} messages={enabled.messages} />
      <label className="form-row">
        <span>Derived intervals</span>
        <input
          type="text"
          placeholder="1m, 5m, 15m"
          value={typed}
          spellCheck={false}
          onChange={(e) => {
            setTyped(e.target.value);
            const list = parseIntervalList(e.target.value);
            onChange(setPath(draft, derived.path, list.length > 0 ? list : undefined));
          }}
          {...derived.aria}
        />
      </label>
      <FieldErrors id={derived.id} messages={derived.messages} />
      <label className="form-row">
        <span>Check interval (s)</span>
        <input
          type="number"
          min={1}
          placeholder="60"
          value={numberAt(check.path)}
          onChange={(e) => setNumber(check.path, e.target.value)}
          {...check.aria}
        />
      </label>
      <FieldErrors id={check.id} messages={check.messages} />
      <label className="form-row">
        <span>Max retries</span>
        <input
          type="number"
          min={0}
          step={1}
          placeholder="5"
          value={numberAt(retries.path)}
          onChange={(e) => setNumber(retries.path, e.target.value)}
          {...retries.aria}
        />
      </label>
      <FieldErrors id={retries.id} messages={retries.messages} />
    </fieldset>
  );
}
