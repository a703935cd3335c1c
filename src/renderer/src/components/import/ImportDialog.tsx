/**
 * The import dialog: preview, options, then the import with a progress bar and Cancel. It is
 * a modal <dialog>, so focus stays in it and Escape closes it (except while writing).
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import type { ImportFile, TapedeckApi } from '../../../../shared/ipc-contract';
import { errorMessage } from '../../api/rpc-protocol';
import {
  CLOSED,
  blockingProblems,
  emptyOptionsForm,
  importReducer,
  toImportOptions,
  type OptionsForm,
} from '../../state/import-flow';
import { ImportOptionsFields } from './ImportOptionsFields';
import { PreviewDetails } from './PreviewDetails';

export interface ImportRequest {
  names: string[];
  /** Reads the files (bytes or paths); may fail. */
  read: () => Promise<ImportFile[]>;
  seq: number;
  /** Why none of the chosen files can be imported: shown in the dialog instead of a preview. */
  refused?: string[];
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
    if (request.refused && request.refused.length > 0) {
      dispatch({ type: 'failed', message: request.refused.join('\n') });
      return;
    }
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

  /**
   * Previews again with the options as edited. An uploaded file belongs to the preview that
   * staged it (the host deletes it with that preview), so uploads are sent again first.
   */
  const checkAgain = (): void => {
    if (state.phase === 'preview') {
      void api.importCancel({ importId: state.importId }).catch(() => undefined);
    }
    const files = state.phase === 'preview' || state.phase === 'failed' ? state.files : undefined;
    if (!request || !files?.some((file) => 'upload' in file)) {
      dispatch({ type: 'repreview' });
      return;
    }
    dispatch({ type: 'open', names: request.names });
    request.read().then(
      (read) => dispatch({ type: 'read', files: read }),
      (error: unknown) => {
        log('error', `Cannot read ${request.names.join(', ')}: ${errorMessage(error)}`);
        dispatch({ type: 'failed', message: `Cannot read the files: ${errorMessage(error)}` });
      },
    );
  };

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
          <ImportOptionsFields
            form={form}
            onForm={setForm}
            disabled={state.phase === 'committing'}
            symbolHint={state.previews[0]?.symbols[0]?.symbol}
          />
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
          {state.problems
            .flatMap((p) => p.split('\n'))
            .map((p, i) => (
              <li key={i} className="error">
                {p}
              </li>
            ))}
        </ul>
      )}
      <div className="dialog-actions">
        {state.phase === 'preview' && (
          <>
            <button type="button" onClick={checkAgain}>
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
          <button type="button" onClick={checkAgain}>
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
