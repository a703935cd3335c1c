/**
 * QuantConnect LEAN data files: one zipped CSV per symbol, day and kind, with no header. The
 * file is recognised by its zip local header and the inner CSV's name, which LEAN writes in a
 * fixed pattern (`20131007_spy_minute_trade.csv`, `20131007_ibm_Quote_Tick.csv`); a zip that
 * merely sits in a LEAN-looking folder is not enough.
 */
import { open as openFile } from 'node:fs/promises';
import {
  ImportError,
  type ImportChunk,
  type ImportOptions,
  type ImportPreview,
  type ImportProblem,
  type ImportProgress,
  type ImportReader,
} from '../import-types';
import { calendarNote } from '../calendar-choice';
import type { VendorContext, VendorImporter } from './vendor-importer';
import { fileProblems } from './lean-format';
import { parseLeanFileName, type LeanFileName } from './lean-path';
import { emptyScan, scanLean, type ScanResult } from './lean-scan';
import { firstZipEntryName, ZipFormatError } from './zip-lines';

const HEAD_BYTES = 64 * 1024;
/**
 * A preview reads the whole file up to this many rows (a busy day of minute or second bars,
 * or a few hours of ticks), and a sample of it beyond, saying so.
 */
export const PREVIEW_ROWS = 1_000_000;

export const leanImporter: VendorImporter = {
  name: 'lean-zip',
  detect(file, head) {
    const inner = firstZipEntryName(head);
    return inner !== null && parseLeanFileName(file, inner) !== null;
  },
  async open(file, context = {}) {
    const handle = await openFile(file, 'r');
    let head: Uint8Array;
    try {
      const buffer = new Uint8Array(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const inner = firstZipEntryName(head);
    const name = inner === null ? null : parseLeanFileName(file, inner);
    if (!name) {
      throw new ImportError([
        { file, message: 'is not a LEAN data zip (no LEAN-named CSV at its start)' },
      ]);
    }
    return new LeanReader(file, name, context);
  },
};

export class LeanReader implements ImportReader {
  readonly format = 'lean-zip';

  constructor(
    readonly file: string,
    readonly name: LeanFileName,
    private readonly context: VendorContext = {},
    private readonly previewRows = PREVIEW_ROWS,
  ) {}

  async preview(options: ImportOptions): Promise<ImportPreview> {
    const result = emptyScan(this.file);
    const stopped = fileProblems(this.file, this.name, options);
    if (stopped.length === 0) {
      try {
        const sample = scanLean(
          this.file,
          this.name,
          options,
          false,
          result,
          this.context,
          undefined,
          this.previewRows,
        );
        for await (const _chunk of sample) {
          // a preview collects nothing
        }
      } catch (error) {
        stopped.push(this.failure(error));
      }
    }
    return this.toPreview(result, stopped);
  }

  read(
    options: ImportOptions,
    onProgress?: (p: ImportProgress) => void,
  ): AsyncIterable<ImportChunk> {
    return this.chunks(options, onProgress);
  }

  private async *chunks(
    options: ImportOptions,
    onProgress?: (p: ImportProgress) => void,
  ): AsyncGenerator<ImportChunk> {
    const stopped = fileProblems(this.file, this.name, options);
    if (stopped.length > 0) throw new ImportError(stopped);
    const result = emptyScan(this.file);
    try {
      yield* scanLean(this.file, this.name, options, true, result, this.context, onProgress);
    } catch (error) {
      throw new ImportError([this.failure(error)]);
    }
    if (result.log.hasErrors) throw new ImportError(result.log.errors());
  }

  private failure(error: unknown): ImportProblem {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file: this.file,
      message:
        error instanceof ZipFormatError ? `The zip ${message}.` : `Cannot be read: ${message}`,
      severity: 'error',
    };
  }

  private toPreview(result: ScanResult, stopped: ImportProblem[]): ImportPreview {
    const { format, log } = result;
    const kind = format?.decoder.kind ?? kindOf(this.name);
    return {
      file: this.file,
      format: this.format,
      mapping: {
        timestamp: 'time',
        timestampUnit: 'ms',
        kind,
        fields: { ...(format?.decoder.fields ?? {}) },
      },
      ...(format ? { timestampUnitNote: format.note } : {}),
      ...(result.calendar
        ? { calendar: result.calendar, notes: [calendarNote(result.calendar)] }
        : {}),
      symbols: result.symbols,
      problems: [...stopped, ...log.problems(), ...sampleNote(result)],
      counts: log.counts,
    };
  }
}

function sampleNote(result: ScanResult): ImportProblem[] {
  if (!result.sampled) return [];
  const rows = result.log.counts.rows.toLocaleString('en-US');
  return [
    {
      file: result.log.file,
      message: `The preview read the first ${rows} rows only; its counts and range cover those. The import reads every row.`,
      severity: 'warning',
    },
  ];
}

function kindOf(name: LeanFileName): ImportPreview['mapping']['kind'] {
  if (name.resolution === 'tick') return name.kind === 'trade' ? 'ticks' : 'quotes';
  return name.kind === 'trade' ? 'bars' : 'quotes';
}
