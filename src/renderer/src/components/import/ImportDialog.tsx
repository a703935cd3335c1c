/**
 * The import dialog: preview, options, then the import with a progress bar and Cancel. It is
 * a modal <dialog>, so focus stays in it and Escape closes it (except while writing).
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import type { ImportFile, TapedeckApi } from '../../../../shared/ipc-contract';
import { IMPORT_TARGETS } from '../../../../shared/import-contract';
import { errorMessage } from '../../api/rpc-protocol';
import {
  CLOSED,
  blockingProblems,
  emptyOptionsForm,
  importReducer,
  toImportOptions,
  type OptionsForm,
} from '../../state/import-flow';
import { PreviewDetails } from './PreviewDetails';

export interface ImportRequest {
  names: string[];
  /** Reads the files (bytes or paths); may fail. */
  read: () => Promise<ImportFile[]>;
  seq: number;
}

interface Props {
  api: TapedeckApi;
  request: ImportRequest | null;
  onImported: () => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export function ImportDialog({ api, request, onImported, log }: Props) {
  const [state, dispatch] = useReducer(importReducer, CLOSED);
  const [form, setForm] = useState<OptionsForm>(emptyOptionsForm);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (!request) return;
    setForm(emptyOptionsForm());
    dispatch({ type: 'open', names: request.names });
    request.read().then(
      (files) => dispatch({ type: 'read', files }),
      (error: unknown) => {
        log('error', `Cannot read ${request.names.join(', ')}: ${errorMessage(error)}`);
        dispatch({ type: 'failed', message: `Cannot read the files: ${errorMessage(error)}` });
      },
    );
  }, [request]);

  const firstPreview =
    state.phase === 'preview' || state.phase === 'committing' ? state.previews[0] : undefined;

  useEffect(() => {
    if (state.phase !== 'previewing') return;
    let live = true;
    api.importPreview({ files: state.files, options: toImportOptions(form, firstPreview) }).then(
      (response) => live && dispatch({ type: 'previewed', response }),
      (error: unknown) => {
        log('error', `Import preview: ${errorMessage(error)}`);
        if (live) dispatch({ type: 'failed', message: errorMessage(error) });
      },
    );
    return () => {
      live = false;
    };
    // The preview reruns only when asked (phase change), not on every keystroke.
  }, [state.phase === 'previewing' ? state.files : null]);

  useEffect(() => {
    return api.onImportProgress(({ importId, ...progress }) =>
      dispatch({ type: 'progress', importId, progress }),
    );
  }, [api]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (state.phase === 'closed' && d.open) d.close();
    if (state.phase !== 'closed' && !d.open) d.showModal();
  }, [state.phase]);

  const commit = async (): Promise<void> => {
    if (state.phase !== 'preview') return;
    const { importId } = state;
    dispatch({ type: 'commit' });
    try {
      const response = await api.importCommit({
        importId,
        options: toImportOptions(form, state.previews[0]),
        to: form.target,
      });
      if (response.ok) {
        dispatch({ type: 'committed', result: response.result });
        const rows = response.result.streams.reduce((n, s) => n + s.rows, 0);
        log(
          'info',
          `Imported ${rows.toLocaleString('en-US')} rows from ${response.result.files.join(', ')}`,
        );
        onImported();
      } else {
        dispatch({ type: 'refused', problems: response.problems, cancelled: response.cancelled });
        if (response.cancelled) log('warn', 'Import cancelled; nothing was written');
        for (const p of response.problems) log('error', `Import: ${p}`);
      }
    } catch (error) {
      dispatch({ type: 'failed', message: errorMessage(error) });
      log('error', `Import: ${errorMessage(error)}`);
    }
  };
  const cancel = async (): Promise<void> => {
    if (state.phase !== 'committing') return;
    dispatch({ type: 'cancel' });
    try {
      await api.importCancel({ importId: state.importId });
    } catch (error) {
      log('error', `Cancel import: ${errorMessage(error)}`);
    }
  };

  const title = state.phase === 'closed' ? '' : `Import ${state.names.join(', ')}`;
  const blocking = state.phase === 'preview' ? blockingProblems(state.previews) : 0;
  return (
    <dialog
      ref={dialog}
      className="import-dialog"
      aria-labelledby="import-title"
      onCancel={(e) => {
        e.preventDefault();
        if (state.phase !== 'committing') dispatch({ type: 'close' });
      }}
    >
      <h2 id="import-title">{title}</h2>
      {(state.phase === 'reading' || state.phase === 'previewing') && (
        <p role="status">
          {state.phase === 'reading' ? 'Reading the files…' : 'Checking the files…'}
        </p>
      )}
      {(state.phase === 'preview' || state.phase === 'committing') && (
        <>
          <fieldset className="import-options" disabled={state.phase === 'committing'}>
            <legend>Options</legend>
            <label className="form-row">
              <span>Import symbol</span>
              <input
                type="text"
                placeholder={state.previews[0]?.symbols[0]?.symbol ?? 'from the file name'}
                value={form.symbol}
                onChange={(e) => setForm({ ...form, symbol: e.target.value })}
              />
            </label>
            <label className="form-row">
              <span>Import interval</span>
              <select
                value={form.interval}
                onChange={(e) =>
                  setForm({ ...form, interval: e.target.value as OptionsForm['interval'] })
                }
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
                onChange={(e) => setForm({ ...form, tz: e.target.value as OptionsForm['tz'] })}
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
                onChange={(e) =>
                  setForm({ ...form, stamp: e.target.value as OptionsForm['stamp'] })
                }
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
                onChange={(e) => setForm({ ...form, sort: e.target.checked })}
              />
              <span>Sort rows that are out of order</span>
            </label>
            <label className="form-row">
              <span>Duplicate timestamps</span>
              <select
                value={form.duplicates}
                onChange={(e) =>
                  setForm({ ...form, duplicates: e.target.value as OptionsForm['duplicates'] })
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
                onChange={(e) =>
                  setForm({ ...form, target: e.target.value as OptionsForm['target'] })
                }
              >
                {IMPORT_TARGETS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          {state.previews.map((p, i) => (
            <PreviewDetails
              key={`${p.file}-${i}`}
              preview={p}
              form={form}
              onForm={setForm}
              disabled={state.phase === 'committing'}
            />
          ))}
        </>
      )}
      {state.phase === 'committing' && (
        <div className="import-progress">
          <progress aria-label="Import progress" max={100} value={state.progress?.percent ?? 0} />
          <span>
            {state.cancelling
              ? 'Cancelling…'
              : state.progress
                ? `${Math.round(state.progress.percent)}% · ${state.progress.rows.toLocaleString('en-US')} rows`
                : 'Starting…'}
          </span>
        </div>
      )}
      {state.phase === 'done' && (
        <div role="status" className="import-done">
          <p>Imported into {state.result.target}:</p>
          <ul>
            {state.result.streams.map((s) => (
              <li key={`${s.symbol}-${s.kind}-${s.interval ?? ''}`}>
                {s.symbol} {s.kind}
                {s.interval ? ` ${s.interval}` : ''}: {s.rows.toLocaleString('en-US')} rows,{' '}
                {s.tradingDays.length} day{s.tradingDays.length === 1 ? '' : 's'}
                {s.replaced > 0 ? `, ${s.replaced} replaced` : ''}
                {s.duplicatesDropped > 0 ? `, ${s.duplicatesDropped} duplicates dropped` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.phase === 'cancelled' && <p role="status">Import cancelled. Nothing was written.</p>}
      {state.phase === 'failed' && (
        <ul className="import-problems" role="alert">
          {state.problems.map((p, i) => (
            <li key={i} className="error">
              {p}
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        {state.phase === 'preview' && (
          <>
            <button type="button" onClick={() => dispatch({ type: 'repreview' })}>
              Check again
            </button>
            <button
              type="button"
              className="primary"
              disabled={blocking > 0}
              title={blocking > 0 ? `${blocking} problem(s) must be fixed first` : undefined}
              onClick={() => void commit()}
            >
              Import
            </button>
          </>
        )}
        {state.phase === 'failed' && state.files && (
          <button type="button" onClick={() => dispatch({ type: 'repreview' })}>
            Check again
          </button>
        )}
        {state.phase === 'committing' ? (
          <button type="button" disabled={state.cancelling} onClick={() => void cancel()}>
            Cancel
          </button>
        ) : (
          <button type="button" onClick={() => dispatch({ type: 'close' })}>
            Close
          </button>
        )}
      </div>
    </dialog>
  );
}
