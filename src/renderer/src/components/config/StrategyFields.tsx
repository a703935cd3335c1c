/**
 * The config's Strategy section: a strategy file from `data/strategies/` (by name: the host
 * loads only from there), a params form built from the file's declared params, and the
 * execution settings of the fill model. Empty fields fall back to the defaults shown.
 */
import { useEffect, useState } from 'react';
import type { TapedeckApi } from '../../../../shared/ipc-contract';
import type { ConfigProblem } from '../../../../shared/session-config';
import type { ParamField } from '../../../../shared/strategy/params';
import type { StrategyListing } from '../../../../shared/strategy/trading-contract';
import { errorMessage } from '../../api/rpc-protocol';
import { getPath, problemsAt, setPath, type Draft } from '../../state/config-draft';
import { FieldErrors, invalidProps } from './FieldErrors';

interface Props {
  api: TapedeckApi;
  draft: Draft;
  problems: ConfigProblem[];
  onChange: (draft: Draft) => void;
}

const EXECUTION: { path: string; label: string; placeholder: string }[] = [
  { path: 'execution.initial_cash', label: 'Initial cash', placeholder: '100000' },
  { path: 'execution.latency_ms', label: 'Latency (ms)', placeholder: '0' },
  { path: 'execution.slippage_bps', label: 'Slippage (bps)', placeholder: '0' },
  { path: 'execution.commission.per_share', label: 'Fee per share', placeholder: '0' },
  { path: 'execution.commission.per_order', label: 'Fee per order', placeholder: '0' },
  { path: 'execution.commission.minimum', label: 'Minimum fee', placeholder: '0' },
];

export function StrategyFields({ api, draft, problems, onChange }: Props) {
  const [listings, setListings] = useState<StrategyListing[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const refresh = (): void => {
    api.listStrategies().then(
      (list) => {
        setListings(list);
        setListError(null);
      },
      (error: unknown) => setListError(errorMessage(error)),
    );
  };
  useEffect(refresh, [api]);
  const file = getPath(draft, 'strategy.file');
  const chosen = typeof file === 'string' ? file : '';
  const listing = listings?.find((l) => l.file === chosen) ?? null;
  const at = (path: string) => {
    const messages = problemsAt(problems, path);
    const id = `err-${path.replace(/\W/g, '-')}`;
    return { messages, id, aria: invalidProps(id, messages) };
  };
  const fileField = at('strategy.file');
  const paramsField = at('strategy.params');
  const text = (path: string): string => {
    const v = getPath(draft, path);
    return v === undefined || v === null ? '' : String(v);
  };
  const setNumber = (path: string, value: string): void =>
    onChange(setPath(draft, path, value === '' ? undefined : Number(value)));
  const pick = (name: string): void => {
    if (name === '') onChange(setPath(draft, 'strategy', undefined));
    else onChange(setPath(draft, 'strategy', { file: name, params: {} }));
  };
  return (
    <fieldset className="form-section">
      <legend>Strategy</legend>
      <label className="form-row">
        <span>Strategy file</span>
        <select
          aria-label="Strategy file"
          value={chosen}
          onChange={(e) => pick(e.target.value)}
          onFocus={refresh}
          {...fileField.aria}
        >
          <option value="">(none: replay and trade by hand)</option>
          {chosen !== '' && !listing && <option value={chosen}>{chosen}</option>}
          {(listings ?? []).map((l) => (
            <option key={l.file} value={l.file}>
              {l.file}
              {l.error ? ' (cannot load)' : ''}
            </option>
          ))}
        </select>
      </label>
      <FieldErrors id={fileField.id} messages={fileField.messages} />
      {listError && <p className="field-errors">Strategies: {listError}</p>}
      {listing?.error && (
        <p className="field-errors" role="alert">
          {listing.error}
        </p>
      )}
      {listing &&
        listing.fields.map((f) => (
          <ParamInput
            key={f.name}
            field={f}
            value={getPath(draft, `strategy.params.${f.name}`)}
            messages={problemsAt(problems, `strategy.params.${f.name}`)}
            onValue={(v) => onChange(setPath(draft, `strategy.params.${f.name}`, v))}
          />
        ))}
      <FieldErrors id={paramsField.id} messages={paramsField.messages} />
      <details className="execution-settings">
        <summary>Execution</summary>
        {EXECUTION.map(({ path, label, placeholder }) => {
          const f = at(path);
          return (
            <div key={path}>
              <label className="form-row">
                <span>{label}</span>
                <input
                  type="number"
                  min="0"
                  value={text(path)}
                  placeholder={placeholder}
                  onChange={(e) => setNumber(path, e.target.value)}
                  {...f.aria}
                />
              </label>
              <FieldErrors id={f.id} messages={f.messages} />
            </div>
          );
        })}
        <label className="form-row checkbox-row">
          <input
            type="checkbox"
            checked={getPath(draft, 'execution.respect_quote_size') === true}
            onChange={(e) =>
              onChange(
                setPath(draft, 'execution.respect_quote_size', e.target.checked || undefined),
              )
            }
          />
          <span>Fill at most the quoted size</span>
        </label>
      </details>
    </fieldset>
  );
}

function ParamInput({
  field,
  value,
  messages,
  onValue,
}: {
  field: ParamField;
  value: unknown;
  messages: string[];
  onValue: (value: unknown) => void;
}) {
  const id = `err-strategy-params-${field.name}`;
  const aria = invalidProps(id, messages);
  let input;
  if (field.kind === 'boolean') {
    input = (
      <input
        type="checkbox"
        aria-label={field.label}
        checked={typeof value === 'boolean' ? value : field.default === true}
        onChange={(e) => onValue(e.target.checked)}
        {...aria}
      />
    );
  } else if (field.kind === 'choice') {
    input = (
      <select
        aria-label={field.label}
        value={typeof value === 'string' ? value : String(field.default)}
        onChange={(e) => onValue(e.target.value)}
        {...aria}
      >
        {field.choices!.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        type={field.kind === 'number' ? 'number' : 'text'}
        aria-label={field.label}
        value={value === undefined || value === null ? '' : String(value)}
        placeholder={String(field.default)}
        onChange={(e) => {
          const t = e.target.value;
          if (t === '') onValue(undefined);
          else onValue(field.kind === 'number' ? Number(t) : t);
        }}
        {...aria}
      />
    );
  }
  return (
    <>
      <label className={`form-row ${field.kind === 'boolean' ? 'checkbox-row' : ''}`}>
        <span>{field.label}</span>
        {input}
      </label>
      <FieldErrors id={id} messages={messages} />
    </>
  );
}
