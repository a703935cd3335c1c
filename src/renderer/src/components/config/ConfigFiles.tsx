/**
 * Load, save and save-as of configs under data/configs/, through the API. On the desktop,
 * Save as… opens the system's file dialog (any folder) instead of asking for a name.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TapedeckApi } from '../../../../shared/ipc-contract';
import { errorMessage } from '../../api/rpc-protocol';
import { isDraft, type Draft } from '../../state/config-draft';

interface Props {
  api: TapedeckApi;
  draft: Draft;
  valid: boolean;
  name: string | null;
  onName: (name: string) => void;
  onLoad: (draft: Draft) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  desktop: boolean;
}

/** `my run` → `my run.json`: what the contract's name schema wants. */
export function asConfigName(text: string): string {
  const trimmed = text.trim();
  return trimmed.toLowerCase().endsWith('.json') ? trimmed : `${trimmed}.json`;
}

export function ConfigFiles({ api, draft, valid, name, onName, onLoad, log, desktop }: Props) {
  const [names, setNames] = useState<string[]>([]);
  const [selected, setSelected] = useState(name ?? '');
  const [saveAs, setSaveAs] = useState('');
  const refresh = useCallback(async () => {
    try {
      setNames(await api.listConfigs());
    } catch (error) {
      log('error', `listConfigs: ${errorMessage(error)}`);
    }
  }, [api, log]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => setSelected(name ?? ''), [name]);

  const load = async (): Promise<void> => {
    if (!selected) return;
    try {
      const config = await api.loadConfig({ name: selected });
      if (!isDraft(config)) throw new Error(`${selected} does not hold a JSON object`);
      onLoad(config);
      onName(selected);
      log('info', `Loaded config ${selected}`);
    } catch (error) {
      log('error', `Load ${selected}: ${errorMessage(error)}`);
    }
  };
  const save = async (target: string): Promise<void> => {
    try {
      const { path } = await api.saveConfig({ name: target, config: draft });
      onName(target);
      log('info', `Saved config to ${path}`);
      await refresh();
    } catch (error) {
      log('error', `Save ${target}: ${errorMessage(error)}`);
    }
  };
  const saveWithDialog = async (): Promise<void> => {
    try {
      const saved = await api.saveConfigAs({ config: draft, suggestedName: name ?? undefined });
      if (saved) log('info', `Saved config to ${saved.path}`);
    } catch (error) {
      log('error', `Save as: ${errorMessage(error)}`);
    }
  };
  return (
    <div className="config-files">
      <div className="form-actions">
        <select
          aria-label="Config file"
          value={selected}
          onChange={(e) => setSelected(e.target.value)}
        >
          {!names.includes(selected) && <option value={selected}>{selected || '(none)'}</option>}
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void load()} disabled={!selected}>
          Load
        </button>
        <button
          type="button"
          onClick={() => name && void save(name)}
          disabled={!name || !valid}
          title={valid ? `Save to ${name ?? '…'}` : 'Fix the problems first'}
        >
          Save
        </button>
      </div>
      {desktop ? (
        <div className="form-actions">
          <button type="button" disabled={!valid} onClick={() => void saveWithDialog()}>
            Save as…
          </button>
        </div>
      ) : (
        <form
          className="form-actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (saveAs.trim()) void save(asConfigName(saveAs));
          }}
        >
          <input
            type="text"
            aria-label="New config name"
            placeholder="name.json"
            value={saveAs}
            onChange={(e) => setSaveAs(e.target.value)}
          />
          <button type="submit" disabled={!valid || saveAs.trim() === ''}>
            Save as
          </button>
        </form>
      )}
    </div>
  );
}
