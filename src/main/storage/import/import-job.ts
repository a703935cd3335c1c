/**
 * One import as its callers see it (CLI, desktop UI, browser host): preview files without
 * writing, then run them into the stores through one all-or-nothing commit, with progress.
 *
 * Problems with the input are ImportErrors listing every problem found (a file that cannot be
 * opened, rows that cannot be imported as asked); anything else that fails has left the stores
 * as they were (see import-commit), except a PartialCommitError, which says what happened.
 */
import { pointOutSameInstruments } from './instrument-names';
import type {
  ImportOptions,
  ImportPreview,
  ImportProgress,
  ImportResult,
  ImportTarget,
} from '../../../shared/import-contract';
import { commitImport, type CommitFaults, type CommitProgress } from './import-commit';
import {
  ImportError,
  type ImportChunk,
  type ImportProblem,
  type ImportReader,
} from './import-types';
import { openImportReader, type ReaderContext } from './open-import-reader';

export interface ImportJobContext {
  dataDir: string;
  /** The database file (default `<data>/market.db`). */
  dbFile?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** What a host knows that storage does not: the exchange calendar's regular hours. */
  reader?: ReaderContext;
  faults?: CommitFaults;
}

/** Reading is this share of the percentage; writing the partitions and renaming the rest. */
const READ_SHARE = 90;

/** Opens and previews every file; writes nothing. A file that cannot be opened is an ImportError. */
export async function previewImport(
  files: string[],
  options: ImportOptions = {},
  context: ReaderContext = {},
): Promise<ImportPreview[]> {
  const readers = await openAll(files, context);
  const previews: ImportPreview[] = [];
  for (const reader of readers) previews.push(await reader.preview(options));
  pointOutSameInstruments(previews, context.storedSymbols);
  return previews;
}

export async function runImport(
  files: string[],
  options: ImportOptions,
  to: ImportTarget,
  context: ImportJobContext,
): Promise<ImportResult> {
  const readers = await openAll(files, context.reader ?? {});
  const progress = new JobProgress(files.length, context.onProgress);
  async function* chunks(): AsyncGenerator<ImportChunk> {
    for (let index = 0; index < readers.length; index++) {
      const reader = readers[index];
      yield* reader.read(options, (p) => progress.reading(index, reader.file, p));
    }
  }
  const result = await commitImport(chunks(), {
    dataDir: context.dataDir,
    to,
    files,
    ...(context.dbFile ? { dbFile: context.dbFile } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.faults ? { faults: context.faults } : {}),
    onProgress: (p) => progress.committing(p),
  });
  progress.done(result);
  return result;
}

/** Every file opened, or one ImportError with the problems of all that could not be. */
async function openAll(files: string[], context: ReaderContext): Promise<ImportReader[]> {
  if (files.length === 0)
    throw new ImportError([{ file: '(none)', message: 'no files to import' }]);
  const readers: ImportReader[] = [];
  const problems: ImportProblem[] = [];
  for (const file of files) {
    try {
      readers.push(await openImportReader(file, context));
    } catch (error) {
      if (error instanceof ImportError) problems.push(...error.problems);
      else problems.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) throw new ImportError(problems);
  return readers;
}

/** Folds the readers' per-file percentages and the commit's phases into one 0..100 figure. */
class JobProgress {
  private file: string | undefined;
  private filePercent = 0;
  private fileIndex = 0;

  constructor(
    private readonly files: number,
    private readonly emit?: (progress: ImportProgress) => void,
  ) {}

  reading(index: number, file: string, p: ImportProgress): void {
    this.fileIndex = index;
    this.file = file;
    this.filePercent = Math.max(0, Math.min(100, p.percent));
  }

  done(result: ImportResult): void {
    const rows = result.streams.reduce((sum, s) => sum + s.rows, 0);
    const seconds = result.elapsedMs / 1000;
    this.emit?.({
      ...(this.file ? { file: this.file } : {}),
      rows,
      percent: 100,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
    });
  }

  committing(p: CommitProgress): void {
    if (!this.emit) return;
    let percent: number;
    if (p.phase === 'reading') {
      percent = ((this.fileIndex + this.filePercent / 100) / this.files) * READ_SHARE;
    } else if (p.phase === 'writing') {
      percent = READ_SHARE + (p.partitions > 0 ? (p.partitionsDone / p.partitions) * 9 : 9);
    } else {
      percent = 99;
    }
    this.emit({
      ...(this.file ? { file: this.file } : {}),
      rows: p.rows,
      percent: Math.round(percent * 10) / 10,
      rowsPerSecond: Math.round(p.rowsPerSecond),
    });
  }
}
