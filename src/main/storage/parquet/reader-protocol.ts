/**
 * Messages between the parquet reader worker and the thread that merges. Decoded rows cross as
 * columns in transferred buffers, not copied, and the buffers of finished slabs cross back to
 * be decoded into again; errors cross as plain fields and are rebuilt as the DataError the
 * direct reader would have thrown.
 */
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import type { StreamFileToRead } from './parquet-file-reader';
import type { PreflightOptions, PreflightReport } from './preflight';

export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  row?: number;
  field?: string;
}

export type ToReader =
  | {
      type: 'open';
      stream: number;
      streamType: StreamType;
      files: readonly StreamFileToRead[];
      skipInvalid: boolean;
      slabRows?: number;
      /** Slabs decoded ahead of the merge before the worker waits for credit. */
      prefetch: number;
    }
  /** The merge took a slab: the worker may decode one more for this stream. */
  | { type: 'credit'; stream: number }
  | { type: 'close'; stream: number }
  /** Buffers of slabs the merge has finished with, transferred back to be decoded into. */
  | { type: 'recycle'; buffers: ArrayBuffer[] }
  | {
      type: 'preflight';
      request: number;
      dataDir: string;
      key: StreamKey;
      range: DateRange;
      options: PreflightOptions;
    };

export type FromReader =
  | {
      type: 'slab';
      stream: number;
      length: number;
      /** `length` rows each; value columns may be views of one transferred buffer. */
      timestamp: Float64Array;
      values: Float64Array[];
      /** A bar slab's fingerprint (rows-print.ts), made here rather than on the merge's thread. */
      fingerprint: number | undefined;
    }
  | { type: 'end'; stream: number }
  | { type: 'error'; stream: number; error: SerializedError }
  | { type: 'preflight'; request: number; report: WirePreflightReport }
  | { type: 'preflightFailed'; request: number; error: SerializedError };

/** A PreflightReport whose DataErrors are plain fields. */
export type WirePreflightReport = Omit<PreflightReport, 'files' | 'problems'> & {
  files: (Omit<PreflightReport['files'][number], 'fileError' | 'problems'> & {
    fileError?: SerializedError;
    problems: SerializedError[];
  })[];
  problems: SerializedError[];
};

export function serializeError(error: unknown): SerializedError {
  if (error instanceof DataError) {
    return {
      name: error.name,
      message: error.message,
      ...(error.file !== undefined ? { file: error.file } : {}),
      ...(error.row !== undefined ? { row: error.row } : {}),
      ...(error.field !== undefined ? { field: error.field } : {}),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.name === 'DataError') {
    return new DataError(error.message, error.file, error.row, error.field);
  }
  const out = new Error(error.message);
  out.name = error.name;
  return out;
}

export function serializeReport(report: PreflightReport): WirePreflightReport {
  return {
    ...report,
    files: report.files.map(({ fileError, problems, ...file }) => ({
      ...file,
      ...(fileError ? { fileError: serializeError(fileError) } : {}),
      problems: problems.map(serializeError),
    })),
    problems: report.problems.map(serializeError),
  };
}

export function deserializeReport(report: WirePreflightReport): PreflightReport {
  const asData = (e: SerializedError) => deserializeError(e) as DataError;
  return {
    ...report,
    files: report.files.map(({ fileError, problems, ...file }) => ({
      ...file,
      ...(fileError ? { fileError: asData(fileError) } : {}),
      problems: problems.map(asData),
    })),
    problems: report.problems.map(asData),
  };
}
