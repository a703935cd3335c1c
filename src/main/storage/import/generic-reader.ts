/**
 * The generic importer: any parquet or CSV file whose columns the mapping can name. Preview runs
 * the same checks as the import over the whole file when it is small and over a sample when it is
 * large (and says which); read streams the whole file and refuses it, with every problem, when it
 * cannot be imported as asked.
 */
import {
  ImportOptionsSchema,
  type ImportOptions,
  type ImportPreview,
  type ImportProgress,
  type SymbolPreview,
} from '../../../shared/import-contract';
import { calendarFor } from '../../../shared/market/calendars';
import { intervalMs } from '../../../shared/interval';
import { weekendDates } from './calendar-choice';
import { ChunkAssembler } from './chunk-assembler';
import { ImportError, type ImportChunk, type ImportReader } from './import-types';
import { ProblemLog } from './import-problems';
import { planImport, type ImportPlan, type PlanContext } from './import-plan';
import type { BatchLimits, TabularSource } from './tabular-source';
import { toZonedIso } from '../../../shared/market/zoned-time';

/** Files up to the `full` size are previewed whole; beyond it, a sample of the `sample` size. */
export interface PreviewLimits {
  csvFullBytes: number;
  csvSampleBytes: number;
  parquetFullRows: number;
  parquetSampleRows: number;
}

export const PREVIEW_LIMITS: PreviewLimits = {
  csvFullBytes: 50 * 1024 * 1024,
  csvSampleBytes: 8 * 1024 * 1024,
  parquetFullRows: 2_000_000,
  parquetSampleRows: 1_000_000,
};

export class GenericReader implements ImportReader {
  readonly format: string;

  constructor(
    private readonly source: TabularSource,
    private readonly context: PlanContext = {},
    private readonly limits: PreviewLimits = PREVIEW_LIMITS,
  ) {
    this.format = source.format;
  }

  get file(): string {
    return this.source.file;
  }

  async preview(options: ImportOptions = {}): Promise<ImportPreview> {
    const log = new ProblemLog(this.file);
    const plan = await this.plan(options, log);
    const limits = this.previewLimits();
    const sampled = limits.maxBytes !== undefined || limits.maxRows !== undefined;
    let assembler: ChunkAssembler | undefined;
    let progress = 0;
    if (plan.source && plan.settings) {
      assembler = new ChunkAssembler(plan.settings, log);
      try {
        let secondPass = 0;
        for await (const batch of this.source.batches(plan.source, limits)) {
          assembler.push(batch);
          progress = batch.progress;
          secondPass = batch.secondPassRows ?? 0;
        }
        assembler.finish();
        noteSecondPass(log, secondPass, plan.source.tz);
      } catch (err) {
        log.fatal(`${errorText(err)} (after row ${log.counts.rows})`);
      }
    }
    const notes = [...plan.notes];
    const symbols = assembler?.symbols() ?? [];
    let estimated = false;
    if (sampled && progress > 0 && progress < 1) {
      estimated = true;
      const scale = 1 / progress;
      const total = this.source.totalRows;
      notes.push(
        `previewed a sample (${(progress * 100).toFixed(1)}% of the file); row counts are estimates and the trading days (and, unless noted, the time range) cover the sample only`,
      );
      for (const s of symbols) {
        s.rows = total !== undefined && symbols.length === 1 ? total : Math.round(s.rows * scale);
      }
      const range = this.footerRange(plan);
      if (range && symbols.length === 1) {
        const zone = calendarFor(plan.calendar?.name ?? 'XNYS').timeZone;
        symbols[0].first = toZonedIso(range.first, zone);
        symbols[0].last = toZonedIso(range.last, zone);
        notes.push('first and last time from the parquet footer statistics (the whole file)');
      }
      log.counts.rows = total ?? Math.round(log.counts.rows * scale);
    } else {
      notes.push('previewed the whole file');
    }
    if (plan.calendar?.name === 'XNYS') notes.push(...weekendNotes(symbols));
    return {
      file: this.file,
      format: this.format,
      mapping: plan.mapping,
      ...(plan.timestampUnitNote ? { timestampUnitNote: plan.timestampUnitNote } : {}),
      ...(plan.calendar ? { calendar: plan.calendar } : {}),
      symbols,
      ...(plan.symbolGuess ? { symbolGuess: plan.symbolGuess } : {}),
      problems: log.problems(),
      counts: { ...log.counts },
      notes,
      estimated,
    };
  }

  read(
    options: ImportOptions = {},
    onProgress?: (p: ImportProgress) => void,
  ): AsyncIterable<ImportChunk> {
    return this.readChunks(options, onProgress);
  }

  private async *readChunks(
    options: ImportOptions,
    onProgress?: (p: ImportProgress) => void,
  ): AsyncGenerator<ImportChunk> {
    const log = new ProblemLog(this.file);
    const plan = await this.plan(options, log);
    if (!plan.source || !plan.settings) throw new ImportError(log.errors());
    const assembler = new ChunkAssembler(plan.settings, log);
    const started = performance.now();
    const report = (percent: number) => {
      const seconds = (performance.now() - started) / 1000;
      const rows = log.counts.rows;
      onProgress?.({
        file: this.file,
        rows,
        percent,
        rowsPerSecond: seconds > 0 ? rows / seconds : 0,
      });
    };
    try {
      let secondPass = 0;
      for await (const batch of this.source.batches(plan.source)) {
        const chunks = assembler.push(batch);
        secondPass = batch.secondPassRows ?? 0;
        report(Math.min(100, batch.progress * 100));
        for (const chunk of chunks) yield chunk;
      }
      noteSecondPass(log, secondPass, plan.source.tz);
    } catch (err) {
      if (err instanceof ImportError) throw err;
      log.fatal(`${errorText(err)} (after row ${log.counts.rows})`);
    }
    const rest = assembler.finish();
    if (log.counts.rows === 0 && !log.hasErrors) log.fatal('the file holds no data rows');
    if (log.hasErrors) throw new ImportError(log.errors());
    for (const chunk of rest) yield chunk;
    report(100);
  }

  private async plan(options: ImportOptions, log: ProblemLog): Promise<ImportPlan> {
    const parsed = ImportOptionsSchema.safeParse(options);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        log.fatal(`option ${issue.path.join('.') || '(options)'}: ${issue.message}`);
      }
      return { mapping: { timestamp: '', kind: 'bars', fields: {} }, notes: [] };
    }
    try {
      return await planImport(this.source, parsed.data, log, this.context);
    } catch (err) {
      log.fatal(errorText(err));
      return { mapping: { timestamp: '', kind: 'bars', fields: {} }, notes: [] };
    }
  }

  /** The whole file's time range from footer statistics, shifted like the rows. */
  private footerRange(plan: ImportPlan): { first: number; last: number } | undefined {
    const ts = plan.source?.timestamp;
    if (typeof ts !== 'string' || !plan.settings || !this.source.timestampRange) return undefined;
    const range = this.source.timestampRange(ts);
    if (!range) return undefined;
    const { settings } = plan;
    const shift =
      settings.kind === 'bars' && settings.stamp === 'end' && settings.interval
        ? intervalMs(settings.interval)
        : 0;
    return { first: range.first - shift, last: range.last - shift };
  }

  private previewLimits(): BatchLimits {
    const limits = this.limits;
    if (this.source.format === 'csv') {
      return this.source.bytes > limits.csvFullBytes ? { maxBytes: limits.csvSampleBytes } : {};
    }
    const rows = this.source.totalRows ?? 0;
    return rows > limits.parquetFullRows ? { maxRows: limits.parquetSampleRows } : {};
  }
}

/** On XNYS a weekend trading day means the calendar is likely wrong: say how to change it. */
function weekendNotes(symbols: SymbolPreview[]): string[] {
  return symbols.flatMap((s) => {
    const weekend = weekendDates(s.tradingDays);
    if (weekend.length === 0) return [];
    return [
      `${s.symbol} has rows on ${weekend.length} weekend day(s) (${weekend.slice(0, 3).join(', ')}${weekend.length > 3 ? ', …' : ''}), which XNYS never trades: if this market is open every day, import with --calendar 24x7`,
    ];
  });
}

function noteSecondPass(log: ProblemLog, rows: number, tz: string): void {
  if (rows === 0) return;
  log.warn(
    `${rows.toLocaleString('en-US')} row(s) fall in the hour the clocks repeat in ${tz}; read as its second pass (standard time) because the times jump back there`,
  );
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.name === 'RuntimeError' ? `decoder aborted (${err.message})` : err.message;
}
