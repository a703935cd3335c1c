/**
 * Checks a session dump against its config (the seed plan's §6.3, extended): base intervals
 * match the config, the clock never goes back, counts never shrink, quality stays within
 * [0, 100], and derived counts agree with base counts. Every error is reported, by row.
 */
import { intervalSeconds, type Interval } from '../../shared/interval';
import type { SessionConfig } from '../../shared/session-config';
import { dumpLayout } from './session-dump';

export interface DumpReport {
  rows: number;
  clockStart: string | null;
  clockEnd: string | null;
  symbols: Record<
    string,
    {
      base_interval: string;
      bars_base: number;
      bar_quality: string;
      derived: Record<string, number>;
    }
  >;
}

export interface DumpValidation {
  errors: string[];
  report: DumpReport;
}

/** Errors past this many per kind are counted, not listed, so a bad dump stays readable. */
const MAX_PER_KIND = 20;

export function validateDump(config: SessionConfig, csv: string): DumpValidation {
  const errors: string[] = [];
  const counts = new Map<string, number>();
  const add = (kind: string, message: string): void => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (n <= MAX_PER_KIND) errors.push(message);
  };
  const layout = dumpLayout(config);
  const lines = csv.split('\n').filter((line) => line.length > 0);
  const report: DumpReport = { rows: 0, clockStart: null, clockEnd: null, symbols: {} };
  if (lines.length === 0) return { errors: ['the dump is empty: no header'], report };
  const header = lines[0]!.split(',');
  const col = new Map(header.map((name, i) => [name, i]));
  for (const name of layout.header)
    if (!col.has(name)) add('header', `header: missing column ${name}`);
  if (!col.has('clock')) return { errors, report };

  const barIntervals = new Map(
    config.data_streams.filter((s) => s.type === 'bars').map((s) => [s.symbol, s.interval ?? '']),
  );
  const previous = new Map<string, number>();
  let lastClock = -Infinity;
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',');
    const where = `row ${r + 1}`;
    const cell = (name: string): string | undefined => {
      const i = col.get(name);
      return i === undefined ? undefined : cells[i];
    };
    const clockText = cell('clock') ?? '';
    const clock = Date.parse(clockText);
    if (Number.isNaN(clock))
      add('clock', `${where}: clock ${JSON.stringify(clockText)} is not a time`);
    else if (clock < lastClock)
      add(
        'clock',
        `${where}: clock went back from ${new Date(lastClock).toISOString()} to ${clockText}`,
      );
    else lastClock = clock;
    report.clockStart ??= clockText;
    report.clockEnd = clockText;

    for (const symbol of layout.symbols) {
      const expectedInterval = barIntervals.get(symbol) ?? '';
      const base = cell(`${symbol}_base_interval`);
      if (base !== undefined && base !== expectedInterval) {
        add(
          `interval:${symbol}`,
          `${where}: ${symbol}_base_interval is ${JSON.stringify(base)}, the config says ${JSON.stringify(expectedInterval)}`,
        );
      }
      const quality = cell(`${symbol}_bar_quality`);
      if (quality !== undefined && quality !== '') {
        const q = Number(quality);
        if (!(q >= 0 && q <= 100))
          add(
            `quality:${symbol}`,
            `${where}: ${symbol}_bar_quality ${quality} is outside [0, 100]`,
          );
      }
      const countColumns = [
        `${symbol}_bars_base`,
        ...layout.derived.get(symbol)!.map((d) => `${symbol}_${d}_bars`),
      ];
      for (const name of countColumns) {
        const text = cell(name);
        if (text === undefined) continue;
        const n = Number(text);
        if (!Number.isInteger(n) || n < 0) {
          add(`count:${name}`, `${where}: ${name} ${JSON.stringify(text)} is not a count`);
          continue;
        }
        const before = previous.get(name);
        if (before !== undefined && n < before)
          add(`shrink:${name}`, `${where}: ${name} shrank from ${before} to ${n}`);
        previous.set(name, n);
      }
      checkDerived(symbol, expectedInterval, layout.derived.get(symbol)!, cell, where, add);
    }
    report.rows++;
  }
  for (const symbol of layout.symbols) {
    const last = lines.length > 1 ? lines[lines.length - 1]!.split(',') : [];
    const get = (name: string): string => last[col.get(name) ?? -1] ?? '';
    report.symbols[symbol] = {
      base_interval: get(`${symbol}_base_interval`),
      bars_base: Number(get(`${symbol}_bars_base`) || 0),
      bar_quality: get(`${symbol}_bar_quality`),
      derived: Object.fromEntries(
        layout.derived.get(symbol)!.map((d) => [d, Number(get(`${symbol}_${d}_bars`) || 0)]),
      ),
    };
  }
  for (const [kind, n] of counts) {
    if (n > MAX_PER_KIND) errors.push(`… and ${n - MAX_PER_KIND} more ${kind} errors`);
  }
  return { errors, report };
}

/** A derived bar needs at least one base bar, and a coarser interval never has more bars. */
function checkDerived(
  symbol: string,
  base: string,
  derived: readonly Interval[],
  cell: (name: string) => string | undefined,
  where: string,
  add: (kind: string, message: string) => void,
): void {
  const baseCount = Number(cell(`${symbol}_bars_base`));
  if (!Number.isFinite(baseCount)) return;
  for (const d of derived) {
    const n = Number(cell(`${symbol}_${d}_bars`));
    if (Number.isFinite(n) && n > baseCount) {
      add(
        `derived:${symbol}_${d}`,
        `${where}: ${symbol}_${d}_bars ${n} exceeds ${symbol}_bars_base ${baseCount} (${base} base bars)`,
      );
    }
    for (const coarser of derived) {
      if (
        intervalSeconds(coarser) <= intervalSeconds(d) ||
        intervalSeconds(coarser) % intervalSeconds(d) !== 0
      )
        continue;
      const m = Number(cell(`${symbol}_${coarser}_bars`));
      if (Number.isFinite(n) && Number.isFinite(m) && m > n) {
        add(
          `derived:${symbol}_${coarser}`,
          `${where}: ${symbol}_${coarser}_bars ${m} exceeds ${symbol}_${d}_bars ${n}`,
        );
      }
    }
  }
}
