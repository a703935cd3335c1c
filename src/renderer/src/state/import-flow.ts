/**
 * The drag-in import as a state machine: files are read, previewed (mapping, symbol,
 * interval, rows, dates, problems), optionally re-previewed with edited options, committed
 * with progress, and either finish, fail with every problem, or are cancelled (the host
 * writes nothing half-way). Pure, so each transition is tested.
 */
import type { ImportFile, ImportPreviewResponse } from '../../../shared/ipc-contract';
import type {
  ImportOptions,
  ImportPreview,
  ImportProgress,
  ImportResult,
  ImportTarget,
} from '../../../shared/import-contract';

export type ImportPhase =
  | { phase: 'closed' }
  | { phase: 'reading'; names: string[] }
  | { phase: 'previewing'; files: ImportFile[]; names: string[] }
  | {
      phase: 'preview';
      files: ImportFile[];
      names: string[];
      importId: string;
      previews: ImportPreview[];
    }
  | {
      phase: 'committing';
      files: ImportFile[];
      names: string[];
      importId: string;
      previews: ImportPreview[];
      progress: ImportProgress | null;
      cancelling: boolean;
    }
  | { phase: 'done'; names: string[]; result: ImportResult }
  | { phase: 'failed'; names: string[]; problems: string[]; files?: ImportFile[] }
  | { phase: 'cancelled'; names: string[] };

export type ImportEvent =
  | { type: 'open'; names: string[] }
  | { type: 'read'; files: ImportFile[] }
  | { type: 'repreview' }
  | { type: 'previewed'; response: ImportPreviewResponse }
  | { type: 'commit' }
  | { type: 'progress'; importId: string; progress: ImportProgress }
  | { type: 'cancel' }
  | { type: 'committed'; result: ImportResult }
  | { type: 'refused'; problems: string[]; cancelled: boolean }
  | { type: 'failed'; message: string }
  | { type: 'close' };

export const CLOSED: ImportPhase = { phase: 'closed' };

export function importReducer(state: ImportPhase, event: ImportEvent): ImportPhase {
  switch (event.type) {
    case 'open':
      return { phase: 'reading', names: event.names };
    case 'read':
      return state.phase === 'reading'
        ? { phase: 'previewing', files: event.files, names: state.names }
        : state;
    case 'repreview':
      return state.phase === 'preview' || (state.phase === 'failed' && state.files)
        ? { phase: 'previewing', files: state.files!, names: state.names }
        : state;
    case 'previewed':
      return state.phase === 'previewing'
        ? {
            phase: 'preview',
            files: state.files,
            names: state.names,
            importId: event.response.importId,
            previews: event.response.previews,
          }
        : state;
    case 'commit':
      return state.phase === 'preview'
        ? { ...state, phase: 'committing', progress: null, cancelling: false }
        : state;
    case 'progress':
      return state.phase === 'committing' && state.importId === event.importId
        ? { ...state, progress: event.progress }
        : state;
    case 'cancel':
      return state.phase === 'committing' ? { ...state, cancelling: true } : state;
    case 'committed':
      return state.phase === 'committing'
        ? { phase: 'done', names: state.names, result: event.result }
        : state;
    case 'refused':
      if (state.phase !== 'committing') return state;
      return event.cancelled
        ? { phase: 'cancelled', names: state.names }
        : { phase: 'failed', names: state.names, problems: event.problems, files: state.files };
    case 'failed':
      if (state.phase === 'closed') return state;
      return {
        phase: 'failed',
        names: state.names,
        problems: [event.message],
        files: 'files' in state ? state.files : undefined,
      };
    case 'close':
      return state.phase === 'committing' ? state : CLOSED;
  }
}

/** Errors (not warnings) in any preview: the import would be refused as it stands. */
export function blockingProblems(previews: readonly ImportPreview[]): number {
  return previews.reduce(
    (n, p) => n + p.problems.filter((q) => q.severity !== 'warning').length,
    0,
  );
}

/** The options a user edits in the preview, as the contract wants them (empty = default). */
export interface OptionsForm {
  symbol: string;
  interval: '' | '1s' | '1m';
  tz: '' | 'UTC' | 'America/New_York';
  stamp: '' | 'start' | 'end';
  sort: boolean;
  duplicates: 'drop' | 'refuse';
  timestampColumn: string;
  fields: Record<string, string>;
  target: ImportTarget;
  /** Symbols imported under another name (one instrument that the files name two ways). */
  aliases: Record<string, string>;
}

export function emptyOptionsForm(): OptionsForm {
  return {
    symbol: '',
    interval: '',
    tz: '',
    stamp: '',
    sort: false,
    duplicates: 'drop',
    timestampColumn: '',
    fields: {},
    target: 'parquet',
    aliases: {},
  };
}

/** The form as ImportOptions; a mapping override only for what was changed from detected. */
export function toImportOptions(form: OptionsForm, detected?: ImportPreview): ImportOptions {
  const options: ImportOptions = {};
  if (form.symbol.trim()) options.symbol = form.symbol.trim().toUpperCase();
  if (form.interval) options.interval = form.interval;
  if (form.tz) options.tz = form.tz;
  if (form.stamp) options.stamp = form.stamp;
  if (form.sort) options.sort = true;
  if (form.duplicates !== 'drop') options.duplicates = form.duplicates;
  if (Object.keys(form.aliases).length > 0) options.aliases = { ...form.aliases };
  const mapping: NonNullable<ImportOptions['mapping']> = {};
  const detectedTs = detected?.mapping.timestamp;
  if (form.timestampColumn.trim() && form.timestampColumn.trim() !== detectedTs) {
    mapping.timestamp = form.timestampColumn.trim();
  }
  const changed = Object.entries(form.fields).filter(
    ([field, column]) => column.trim() !== '' && detected?.mapping.fields[field] !== column.trim(),
  );
  if (changed.length > 0) {
    mapping.fields = { ...(detected?.mapping.fields ?? {}), ...Object.fromEntries(changed) };
  }
  if (Object.keys(mapping).length > 0) options.mapping = mapping;
  return options;
}
