/**
 * A fast CSV splitter for the common market-data file: no quoting, one record per line. It splits
 * decoded text on newlines and delimiters with the engine's native string search, several times
 * faster than a general parser. A line that does contain a quote is handed to csv-parse on its
 * own, so an occasional quoted cell still reads correctly (a quoted newline does not; files with
 * quotes in their first lines take the csv-parse path from the start).
 */
import type { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';

/** Records of `input` (utf-8 text), `batchRows` at a time; blank lines are skipped. */
export async function* splitCsvLines(
  input: Readable,
  delimiter: string,
  skipFirst: boolean,
  batchRows: number,
): AsyncGenerator<string[][]> {
  input.setEncoding('utf8');
  let carry = '';
  let first = true;
  let skip = skipFirst;
  let batch: string[][] = [];
  const take = (line: string) => {
    if (line.length === 0 || line === '\r') return;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (skip) {
      skip = false;
      return;
    }
    batch.push(line.includes('"') ? quotedLine(line, delimiter) : line.split(delimiter));
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
