/**
 * Preflight: read and validate every file of a stream before a session starts, keeping no data,
 * so the host can refuse to start instead of failing halfway through a replay. It applies the
 * same checks as the cursor, in the same order, so its counts are what the session would see.
 * A file sealed by Tapedeck's writer (file-seal.ts) whose bytes still match its CRC is taken as
 * checked without decoding: only its place in the stream's order is checked, from its footer.
 */
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import { dataCrcHolds, readSeal, type Seal } from './file-seal';
import { openStreamBuffer, openStreamFile, type OpenedStreamFile } from './parquet-file-reader';
import { listStreamFiles, noFilesError, notAFileError, type StreamFile } from './parquet-layout';
import { RowValidator } from './row-validator';
import { slabsOf, type SlabCache } from './slab-cache';
import { timestampSpan } from './timestamp-span';

export interface PreflightOptions {
  /** Judge as a skipInvalid session would: bad rows are acceptable, only counted. */
  skipInvalid?: boolean;
  /** Row problems kept per file for display (all are counted); default 5. */
  maxProblemsPerFile?: number;
  /** Rows decoded at a time; defaults to DEFAULT_SLAB_ROWS. */
  slabRows?: number;
  /** Keeps decoded files for the cursor and later sessions (a sweep worker's). */
  slabCache?: SlabCache;
}

export interface PreflightFileReport extends StreamFile {
  /** Rows according to the footer (0 when the footer is unreadable). */
  rows: number;
  /** Rows that pass every check: what a skipInvalid session receives from this file. */
  validRows: number;
  /** Rows that fail a check. */
  invalidRows: number;
  /** Why the file cannot be used at all: unreadable, corrupt, missing column, wrong type. */
  fileError?: DataError;
  /** The first few row problems (file, 1-based row, field). */
  problems: DataError[];
}

export interface PreflightReport {
  key: StreamKey;
  range: DateRange;
  files: PreflightFileReport[];
  totalRows: number;
  validRows: number;
  invalidRows: number;
  /** Everything worth showing, in file order: missing data, file errors, then row problems. */
  problems: DataError[];
  /** A session may start: data exists, every file is usable, and bad rows are absent or skipped. */
  ok: boolean;
}

export async function preflightStream(
  dataDir: string,
  key: StreamKey,
  range: DateRange,
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const report: PreflightReport = {
    key,
    range,
    files: [],
    totalRows: 0,
    validRows: 0,
    invalidRows: 0,
    problems: [],
    ok: false,
  };
  let files: StreamFile[];
  try {
    files = await listStreamFiles(dataDir, key, range);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    report.problems.push(err);
    return report;
  }
  if (files.length === 0) {
    report.problems.push(noFilesError(dataDir, key, range));
    return report;
  }

  const maxProblems = options.maxProblemsPerFile ?? 5;
  let current: PreflightFileReport | undefined;
  // One validator for the whole stream, so ordering is checked across file boundaries.
  const validator = new RowValidator(key.type, {
    skipInvalid: true,
    onProblem(problem) {
      current!.invalidRows++;
      if (current!.problems.length < maxProblems) current!.problems.push(problem);
    },
  });

  let lostDays = 0;
  for (const file of files) {
    if (file.notAFile) {
      lostDays++;
      report.problems.push(notAFileError(file));
      continue;
    }
    current = { ...file, rows: 0, validRows: 0, invalidRows: 0, problems: [] };
    report.files.push(current);
    try {
      // One open for the footer and the CRC check.
      const buffer = await openStreamBuffer(file.path);
      let opened: OpenedStreamFile;
      let seal: Seal | null;
      let crcHolds: boolean | null;
      try {
        opened = await openStreamFile(file, key.type, buffer);
        seal = readSeal(opened.metadata);
        crcHolds = seal ? await dataCrcHolds(buffer, seal, opened.metadata) : null;
      } finally {
        await buffer.close();
      }
      current.rows = opened.rows;
      const span = timestampSpan(opened.metadata);
      if (seal?.rowsChecked && crcHolds && span && validator.follows(span.first)) {
        // Its rows passed these very checks when written, and its bytes are unchanged since.
        validator.vouchFor(file.path, opened.rows, span.last);
        current.validRows = opened.rows;
      } else {
        for await (const { batch, firstRow } of slabsOf(
          opened,
          options.slabRows,
          options.slabCache,
        )) {
          current.validRows += validator.check(batch, file.path, firstRow);
        }
        if (crcHolds === false) throw changedSinceWritten(file.path);
      }
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      current.fileError = err;
    }
    report.totalRows += current.rows;
    report.validRows += current.validRows;
    report.invalidRows += current.invalidRows;
    if (current.fileError) report.problems.push(current.fileError);
    report.problems.push(...current.problems);
  }

  const usable = report.files.every((file) => !file.fileError);
  report.ok =
    usable &&
    report.files.length > 0 &&
    ((report.invalidRows === 0 && lostDays === 0) || options.skipInvalid === true);
  if (report.files.length === 0) report.problems.push(noFilesError(dataDir, key, range));
  return report;
}

/** A sealed file whose data no longer matches its CRC, though every row still decodes. */
function changedSinceWritten(file: string): DataError {
  return new DataError(
    `${file}: its data changed after it was written (the CRC in its footer no longer matches); ` +
      'restore it or import that day again',
    file,
  );
}
