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
  /** The draft has edits not loaded from or saved to a file. */
  dirty: boolean;
  onSaved: () => void;
  /** Asks the user a yes/no question (window.confirm in the app). */
  confirm?: (question: string) => boolean;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  desktop: boolean;
}

/** `my run` → `my run.json`: what the contract's name schema wants. */
export function asConfigName(text: string): string {
  const trimmed = text.trim();
  return trimmed.toLowerCase().endsWith('.json') ? trimmed : `${trimmed}.json`;
}

export function ConfigFiles({
  api,
  draft,
  valid,
  name,
  onName,
  onLoad,
  dirty,
  onSaved,
  confirm = (q) => window.confirm(q),
  log,
  desktop,
}: Props) {
  const [names, setNames] = useState<string[]>([]);
  const [selected, setSelected] = useState(name ?? '');
  const [saveAs, setSaveAs] = useState('');
  // What went wrong with the last load or save, shown beside these buttons until the next try.
  const [failure, setFailure] = useState<string | null>(null);
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
    if (dirty && !confirm(`Discard your edits and load ${selected}?`)) return;
    setFailure(null);
    try {
      const config = await api.loadConfig({ name: selected });
      if (!isDraft(config)) throw new Error(`${selected} does not hold a JSON object`);
      onLoad(config);
      onName(selected);
      log('info', `Loaded config ${selected}`);
    } catch (error) {
      // The editor still holds the previous config, so the picker goes back to its name:
      // Save must never write the old config under the broken file's name, or vice versa.
      setFailure(`Cannot load ${selected}: ${errorMessage(error)}`);
      setSelected(name ?? '');
    }
  };
  const save = async (target: string, overwrite: boolean): Promise<void> => {
    if (overwrite && names.includes(target) && !confirm(`${target} exists. Replace it?`)) return;
    setFailure(null);
    try {
      const { path } = await api.saveConfig({ name: target, config: draft });
      onName(target);
      onSaved();
      setSaveAs('');
      log('info', `Saved config to ${path}`);
      await refresh();
    } catch (error) {
      setFailure(`Cannot save ${target}: ${errorMessage(error)}`);
    }
  };
  const saveWithDialog = async (): Promise<void> => {
    setFailure(null);
    try {
      const saved = await api.saveConfigAs({ config: draft, suggestedName: name ?? undefined });
      if (saved) {
        onSaved();
        log('info', `Saved config to ${saved.path}`);
      }
    } catch (error) {
      setFailure(`Cannot save: ${errorMessage(error)}`);
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
          onClick={() => name && void save(name, false)}
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
            if (saveAs.trim()) void save(asConfigName(saveAs), true);
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
      {failure && (
        <p className="field-errors" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}
