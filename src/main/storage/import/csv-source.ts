/**
 * CSV (plain or gzip) as a tabular source: the delimiter, header and decimal mark are sniffed
 * from the head, column types from its first rows; rows are then streamed (node:zlib for gzip)
 * through the fast line splitter, or csv-parse when the file quotes its cells, a batch at a time,
 * so memory stays bounded by one batch whatever the file size.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { TimestampUnit } from '../../../shared/import-contract';
import type { SourceColumn } from './detect-columns';
import { epochNumberToMs } from './epoch-units';
import { MAX_LINE_CHARS, splitCsvLines } from './csv-lines';
import { shownValue } from './import-problems';
import { HEAD_BYTES, isGzip, readHead, readRawHead } from './file-head';
import { SymbolIds } from './symbol-ids';
import type { BatchLimits, RawBatch, SourcePlan, TabularSource } from './tabular-source';
import { parseTimestampText } from './timestamp-text';
import { sequentialWallClock, type WallClockToUtc } from '../../../shared/market/zoned-time';

export const CSV_BATCH_ROWS = 16_384;
const SNIFF_ROWS = 200;

export class CsvFormatError extends Error {}

export async function openCsvSource(file: string): Promise<TabularSource> {
  const { size } = await stat(file);
  const gzip = isGzip(await readRawHead(file, 2));
  const headBytes = await readHead(file);
  const head = new TextDecoder().decode(headBytes);
  // The last line of the head may be cut short; sniff complete lines only.
  const lines = head.split(/\r?\n/);
  if (headBytes.length >= HEAD_BYTES) lines.pop();
  const text = lines.filter((l) => l.trim() !== '').slice(0, SNIFF_ROWS + 1);
  const unreadable = whyNoLines(headBytes, text.length);
  if (unreadable) throw new CsvFormatError(unreadable);
  const delimiter = sniffDelimiter(text[0]);
  let rows: string[][];
  try {
    rows = parseSync(text.join('\n'), {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      bom: true,
    }) as string[][];
  } catch (err) {
    throw new CsvFormatError(`not readable as CSV (${(err as Error).message})`);
  }
  const header = isHeader(rows[0]);
  const names = header
    ? rows[0].map((n, i) => n.trim() || `column${i + 1}`)
    : rows[0].map((_, i) => `column${i + 1}`);
  const body = header ? rows.slice(1) : rows;
  // `1,5` for 1.5, as spreadsheets in much of Europe export with a `;` delimiter.
  const decimalComma = delimiter !== ',' && usesDecimalComma(body);
  const number = decimalComma ? parseDecimalComma : parseNumber;
  const columns: SourceColumn[] = names.map((name, i) => sniffColumn(name, body, i, number));
  const notes = [
    `CSV${gzip ? ' (gzip)' : ''}, delimiter ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}, ${
      header ? 'with a header row' : `no header row (columns named column1..column${names.length})`
    }`,
  ];
  // Quotes in the head mean a general parser is needed; without them, the fast splitter.
  const quoted = head.includes('"');
  if (decimalComma) notes.push('decimal comma: 1,5 is read as 1.5');
  return new CsvSource(file, size, gzip, delimiter, header, quoted, number, columns, notes);
}

class CsvSource implements TabularSource {
  readonly format = 'csv';
  readonly headerless: boolean;

  constructor(
    readonly file: string,
    readonly bytes: number,
    private readonly gzip: boolean,
    private readonly delimiter: string,
    private readonly header: boolean,
    private readonly quoted: boolean,
    private readonly number: (text: string | undefined) => number,
    readonly columns: readonly SourceColumn[],
    readonly notes: string[],
  ) {
    this.headerless = !header;
  }

  async sampleNumbers(column: string, n: number): Promise<Float64Array> {
    const index = this.indexOf(column);
    const out: number[] = [];
    for await (const { records } of this.records({ maxRows: n })) {
      for (const record of records) {
        if (out.length < n) out.push(this.number(record[index]));
      }
    }
    return Float64Array.from(out);
  }

  async *batches(plan: SourcePlan, limits: BatchLimits = {}): AsyncGenerator<RawBatch> {
    const fieldIndex = plan.fields.map((name) => (name === undefined ? -1 : this.indexOf(name)));
    const symbolIndex = plan.symbol === undefined ? -1 : this.indexOf(plan.symbol);
    const toUtc = sequentialWallClock(plan.tz);
    const readTimestamp = this.timestampReader(plan, toUtc);
    const symbols = new SymbolIds();
    let row = 1;
    let lastName: string | undefined;
    let lastId = 0;
    for await (const { records, progress } of this.records(limits)) {
      const n = records.length;
      const timestamp = new Float64Array(n);
      const values = fieldIndex.map(() => new Float64Array(n));
      const number = this.number;
      const ids = symbolIndex >= 0 ? new Int32Array(n) : undefined;
      for (let i = 0; i < n; i++) {
        const record = records[i];
        timestamp[i] = readTimestamp(record);
        for (let k = 0; k < fieldIndex.length; k++) {
          const c = fieldIndex[k];
          values[k][i] = c < 0 ? 0 : number(record[c]);
        }
        if (ids) {
          // Runs of one symbol are the rule: look up only when the text changes.
          const name = record[symbolIndex] ?? '';
          if (name !== lastName) {
            lastName = name;
            lastId = symbols.idOf(name);
          }
          ids[i] = lastId;
        }
      }
      const tsColumns = this.timestampColumns(plan);
      yield {
        length: n,
        firstRow: row,
        timestamp,
        values,
        symbolIds: ids,
        symbolNames: ids ? symbols.names : undefined,
        raw: (r, field) => {
          const record = records[r];
          if (field >= 0) return record[fieldIndex[field]] ?? '(missing)';
          return tsColumns.map((c) => record[c] ?? '(missing)').join(' ');
        },
        progress,
        secondPassRows: toUtc.secondPassRows,
      };
      row += n;
    }
  }

  /**
   * Records in batches, with the share of the file's bytes read so far (compressed bytes for
   * gzip); blank lines are skipped (rows are data records, header excluded).
   */
  private async *records(
    limits: BatchLimits,
  ): AsyncGenerator<{ records: string[][]; progress: number }> {
    const input = createReadStream(this.file, { highWaterMark: 1 << 16 });
    const inflated = this.gzip ? input.pipe(createGunzip()) : input;
    if (inflated !== input) input.on('error', (err: Error) => inflated.destroy(err));
    const batchRows = Math.min(CSV_BATCH_ROWS, limits.maxRows ?? CSV_BATCH_ROWS);
    let records: AsyncIterable<string[][]>;
    let parser: ReturnType<typeof parse> | undefined;
    if (this.quoted) {
      parser = parse({
        delimiter: this.delimiter,
        from_line: this.header ? 2 : 1,
        relax_column_count: true,
        relax_quotes: true,
        bom: true,
        skip_empty_lines: true,
        // A record longer than any market data line is damage: refused, not buffered.
        max_record_size: MAX_LINE_CHARS,
      });
      inflated.on('error', (err: Error) => parser!.destroy(err));
      inflated.pipe(parser);
      records = batched(parser as AsyncIterable<string[]>, batchRows);
    } else {
      records = splitCsvLines(inflated, this.delimiter, this.header, batchRows);
    }
    let rows = 0;
    try {
      for await (const batch of records) {
        rows += batch.length;
        const consumed = input.bytesRead;
        yield { records: batch, progress: this.bytes > 0 ? Math.min(1, consumed / this.bytes) : 1 };
        if (limits.maxRows !== undefined && rows >= limits.maxRows) return;
        if (limits.maxBytes !== undefined && consumed >= limits.maxBytes) return;
      }
    } finally {
      input.destroy();
      inflated.destroy();
      parser?.destroy();
    }
  }

  private timestampColumns(plan: SourcePlan): number[] {
    const ts = plan.timestamp;
    return typeof ts === 'string'
      ? [this.indexOf(ts)]
      : [this.indexOf(ts.date), this.indexOf(ts.time)];
  }

  private timestampReader(plan: SourcePlan, toUtc: WallClockToUtc): (record: string[]) => number {
    const ts = plan.timestamp;
    if (typeof ts !== 'string') {
      const d = this.indexOf(ts.date);
      const t = this.indexOf(ts.time);
      return (record) => parseTimestampText(`${record[d] ?? ''} ${record[t] ?? ''}`, toUtc);
    }
    const c = this.indexOf(ts);
    if (this.columns[c].type === 'number') {
      const unit = plan.timestampUnit;
      return (record) => epochTextToMs(record[c], unit);
    }
    return (record) => {
      const text = record[c];
      return text === undefined ? NaN : parseTimestampText(text, toUtc);
    };
  }

  private indexOf(name: string): number {
    const i = this.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new CsvFormatError(`no column "${name}"`);
    return i;
  }
}

async function* batched(
  records: AsyncIterable<string[]>,
  size: number,
): AsyncGenerator<string[][]> {
  let batch: string[][] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A number, or NaN when the text is empty or not one (`+''` and `+' '` would be 0). */
export function parseNumber(text: string | undefined): number {
  if (text === undefined || text.length === 0) return NaN;
  const v = +text;
  if (v === 0 && !/\d/.test(text)) return NaN;
  return v;
}

/** A number written with a decimal comma (`1,5`); plain numbers read as usual. */
export function parseDecimalComma(text: string | undefined): number {
  if (text === undefined) return NaN;
  const comma = text.indexOf(',');
  return parseNumber(comma < 0 ? text : text.slice(0, comma) + '.' + text.slice(comma + 1));
}

/** Whether the sampled cells write decimals with a comma and never with a point. */
function usesDecimalComma(rows: string[][]): boolean {
  let comma = false;
  for (const row of rows) {
    for (const cell of row) {
      const s = cell.trim();
      if (/^-?\d+\.\d+$/.test(s)) return false;
      if (/^-?\d+,\d+$/.test(s)) comma = true;
    }
  }
  return comma;
}

/**
 * Epoch text to ms. Integer ns and µs have more digits than a double holds exactly, so their
 * sub-millisecond digits are cut off as text rather than divided away in floating point.
 */
export function epochTextToMs(text: string | undefined, unit: TimestampUnit): number {
  if (text === undefined) return NaN;
  const cut = unit === 'ns' ? 6 : unit === 'us' ? 3 : 0;
  const s = text.trim();
  if (cut > 0 && s.length > cut + 1 && /^\d+$/.test(s)) return +s.slice(0, s.length - cut);
  const v = parseNumber(s);
  return Number.isFinite(v) ? epochNumberToMs(v, unit) : NaN;
}

function sniffDelimiter(line: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let most = 0;
  for (const d of candidates) {
    const count = line.split(d).length - 1;
    if (count > most) {
      most = count;
      best = d;
    }
  }
  return best;
}

/** A first row is a header when none of its cells is a number or a timestamp. */
function isHeader(first: string[]): boolean {
  return first.every((cell) => {
    const s = cell.trim();
    return (
      s === '' ||
      (!Number.isFinite(parseNumber(s)) &&
        !/^(?:\d{4}[-/.]?\d{2}[-/.]?\d{2}|\d{2}\.\d{2}\.\d{4})/.test(s))
    );
  });
}

/**
 * Numeric when most cells are numbers: a few bad cells (reported later with their rows) do not
 * make a price column text. A column with no cells at all (a header-only file) counts as numeric,
 * so the file's columns still map and the reader can say the file holds no rows.
 */
/** Why the head of a file yields no usable CSV line, in words that point at the real cause. */
function whyNoLines(head: Uint8Array, lines: number): string | null {
  if (head.length === 0) return 'the file is empty';
  if (head.every((b) => b === 0)) {
    return (
      `its first ${head.length} bytes are all NUL (0x00): the file is damaged (unfinished or ` +
      'sparse), not CSV'
    );
  }
  const lineFeed = head.includes(0x0a);
  if (!lineFeed && head.includes(0x0d)) {
    return 'its lines end in a bare CR (old Mac style); convert the line ends to LF or CRLF';
  }
  if (!lineFeed && head.length >= HEAD_BYTES) {
    return `no line end in its first ${HEAD_BYTES} bytes: not a CSV file`;
  }
  return lines === 0 ? 'the file is empty (blank lines only)' : null;
}

function sniffColumn(
  name: string,
  rows: string[][],
  i: number,
  number: (text: string) => number,
): SourceColumn {
  let seen = 0;
  let numbers = 0;
  let nonNumber: SourceColumn['nonNumber'];
  rows.forEach((row, r) => {
    const cell = row[i];
    if (cell === undefined || cell.trim() === '') return;
    seen++;
    if (Number.isFinite(number(cell))) numbers++;
    else nonNumber ??= { dataRow: r + 1, text: shownValue(cell) };
  });
  if (seen === 0 || numbers >= seen * 0.8) return { name, type: 'number' };
  return { name, type: 'text', ...(nonNumber ? { nonNumber } : {}) };
}
