/**
 * A fast CSV splitter for the common market-data file: no quoting, one record per line. It splits
 * decoded text on newlines and delimiters with the engine's native string search, several times
 * faster than a general parser. A line that does contain a quote is handed to csv-parse on its
 * own, so an occasional quoted cell still reads correctly (a quoted newline does not; files with
 * quotes in their first lines take the csv-parse path from the start).
 */
import type { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';

/**
 * The longest line a market-data CSV may have. A longer one is damage (a power loss leaves a
 * file's tail full of NUL bytes, with no line end) or not market data; it is refused at once
 * rather than buffered, which also keeps the split linear: no unfinished line grows past this.
 */
export const MAX_LINE_CHARS = 64 * 1024;

export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(
      `line ${line} is longer than ${MAX_LINE_CHARS} characters: not a CSV record (a file ` +
        'cut short by a crash often ends in NUL bytes or one endless line)',
    );
  }
}

/** Records of `input` (utf-8 text), `batchRows` at a time; blank lines are skipped. */
export async function* splitCsvLines(
  input: Readable,
  delimiter: string,
  skipFirst: boolean,
  batchRows: number,
  maxLine: number = MAX_LINE_CHARS,
): AsyncGenerator<string[][]> {
  input.setEncoding('utf8');
  let carry = '';
  let line = 0;
  let first = true;
  let skip = skipFirst;
  let batch: string[][] = [];
  const take = (text: string) => {
    line += 1;
    if (text.length > maxLine) throw new LineTooLongError(line);
    if (text.length === 0 || text === '\r') return;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (skip) {
      skip = false;
      return;
    }
    batch.push(text.includes('"') ? quotedLine(text, delimiter) : text.split(delimiter));
  };
  for await (const chunk of input as AsyncIterable<string>) {
    let text = carry + chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      take(text.slice(start, end));
      start = end + 1;
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
    carry = text.slice(start);
    if (carry.length > maxLine) throw new LineTooLongError(line + 1);
  }
  take(carry);
  if (batch.length > 0) yield batch;
}

function quotedLine(line: string, delimiter: string): string[] {
  try {
    const [record] = parseSync(line, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    return record ?? [];
  } catch {
    // An unbalanced quote: keep the raw cells so the row is reported with its text.
    return line.split(delimiter);
  }
}
