/**
 * The session config editor: a form and the raw JSON, both on one draft, validated on every
 * change by the shared schema with the seed plan's wording. Errors sit next to their fields;
 * those the form has no field for are listed at the top.
 */
import type { TapedeckApi } from '../../../../shared/ipc-contract';
import type { ConfigDraft } from '../../hooks/use-config-draft';
import { unplacedProblems, type HeldStream } from '../../state/config-draft';
import { ConfigFiles } from './ConfigFiles';
import { FieldErrors } from './FieldErrors';
import { GeneralFields } from './GeneralFields';
import { RawJson } from './RawJson';
import { StreamsTable } from './StreamsTable';
import { UpkeepFields } from './UpkeepFields';
import { StrategyFields } from './StrategyFields';

interface Props {
  api: TapedeckApi;
  config: ConfigDraft;
  name: string | null;
  onName: (name: string) => void;
  catalog: readonly HeldStream[];
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  desktop: boolean;
}

export function ConfigEditor({ api, config, name, onName, catalog, log, desktop }: Props) {
  const { draft, result } = config;
  const problems = result.ok ? [] : result.problems;
  const others = unplacedProblems(problems);
  return (
    <section className="config-editor" aria-labelledby="config-title">
      <h2 id="config-title">Session config</h2>
      <ConfigFiles
        api={api}
        draft={draft}
        valid={result.ok}
        name={name}
        onName={onName}
        onLoad={config.load}
        dirty={config.dirty}
        onSaved={config.markSaved}
        log={log}
        desktop={desktop}
      />
      <p className={`config-status ${result.ok ? 'ok' : 'bad'}`} role="status">
        {result.ok
          ? 'Config is valid.'
          : `${problems.length} problem${problems.length === 1 ? '' : 's'}: the session cannot start.`}
      </p>
      <FieldErrors id="err-config" messages={others} />
      <GeneralFields draft={draft} problems={problems} onChange={config.fromForm} />
      <StreamsTable
        draft={draft}
        problems={problems}
        onChange={config.fromForm}
        catalog={catalog}
      />
      <UpkeepFields draft={draft} problems={problems} onChange={config.fromForm} />
      <StrategyFields api={api} draft={draft} problems={problems} onChange={config.fromForm} />
      {result.ok && result.notes.length > 0 && (
        <ul className="notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <RawJson text={config.text} error={config.rawError} onText={config.fromText} />
    </section>
  );
}
