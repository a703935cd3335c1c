/**
 * Problems found while reading a file: every one counted, the first few of each kind kept as
 * examples (row, field, value), so a file with a million bad rows gives a readable report and
 * an exact count rather than a million lines.
 */
import type { ImportPreview, ImportProblem } from '../../../shared/import-contract';

export const EXAMPLES_PER_KIND = 20;

/** The most of a value a problem quotes: a damaged file's "value" may be megabytes long. */
export const SHOWN_VALUE_CHARS = 80;

/** `text` as a problem quotes it: cut to SHOWN_VALUE_CHARS, saying how long it really is. */
export function shownValue(text: string): string {
  if (text.length <= SHOWN_VALUE_CHARS) return text;
  return `${text.slice(0, SHOWN_VALUE_CHARS)}… (${text.length} characters)`;
}

/** What kind of problem, which decides how it is counted in the preview. */
export type ProblemKind =
  | 'mapping'
  | 'invalid'
  | 'outOfOrder'
  | 'duplicates'
  | 'crossedQuotes'
  | 'outsideTradingHours'
  | 'note';

export type ProblemCounts = ImportPreview['counts'];

interface KindLog {
  count: number;
  examples: ImportProblem[];
  /** A message for the rows beyond the examples, e.g. "rows with a NaN". */
  what: string;
  severity: 'error' | 'warning';
}

export class ProblemLog {
  private readonly kinds = new Map<string, KindLog>();
  readonly counts: ProblemCounts = {
    rows: 0,
    invalid: 0,
    duplicates: 0,
    outOfOrder: 0,
    crossedQuotes: 0,
    outsideTradingHours: 0,
  };

  /** Problems of 'error' severity so far: the import cannot go ahead as asked. */
  errorCount = 0;

  constructor(readonly file: string) {}

  /**
   * Records one problem. `key` groups examples (one cap per key, e.g. 'invalid:high<low'),
   * `what` names the group in the summary line added when examples are left out, `examples`
   * is the cap (fewer for kinds that are normal in real data, like rows outside hours).
   */
  add(
    kind: ProblemKind,
    severity: 'error' | 'warning',
    problem: Omit<ImportProblem, 'file' | 'severity'>,
    key: string = kind,
    what: string = 'rows like this',
    examples: number = EXAMPLES_PER_KIND,
  ): void {
    if (kind !== 'mapping' && kind !== 'note') this.counts[kind]++;
    let log = this.kinds.get(key);
    if (!log) {
      log = { count: 0, examples: [], what, severity };
      this.kinds.set(key, log);
    }
    log.count++;
    if (severity === 'error') this.errorCount++;
    if (log.examples.length < examples) {
      const value = problem.value !== undefined ? { value: shownValue(problem.value) } : {};
      log.examples.push({ file: this.file, ...problem, ...value, severity });
    }
  }

  /** A problem about the whole file (no row): a missing column, a refused interval. */
  fatal(message: string, field?: string, value?: string): void {
    this.add('mapping', 'error', { message, field, value }, `mapping:${message}`);
  }

  warn(message: string): void {
    this.add('note', 'warning', { message }, `note:${message}`);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** Examples of every kind, errors first, each followed by a count of what was left out. */
  problems(): ImportProblem[] {
    const out: ImportProblem[] = [];
    const logs = [...this.kinds.values()].sort(
      (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
    );
    for (const log of logs) {
      out.push(...log.examples);
      const more = log.count - log.examples.length;
      if (more > 0) {
        out.push({
          file: this.file,
          message: `${more.toLocaleString('en-US')} more ${log.what} (${log.count.toLocaleString('en-US')} in all)`,
          severity: log.severity,
        });
      }
    }
    return out;
  }

  errors(): ImportProblem[] {
    return this.problems().filter((p) => p.severity !== 'warning');
  }
}
