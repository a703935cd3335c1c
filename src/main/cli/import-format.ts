/** How the import CLI prints a preview and a result: readable text, one fact per line. */
import { basename } from 'node:path';
import type { ImportPreview, ImportProblem, ImportResult } from '../../shared/import-contract';
import { spans } from '../host/catalog-check';

const MAX_EXAMPLES = 20;

export function formatPreview(preview: ImportPreview): string {
  const lines: string[] = [];
  const m = preview.mapping;
  lines.push(`${preview.file} (${preview.format})`);
  const ts =
    typeof m.timestamp === 'string' ? m.timestamp : `${m.timestamp.date} + ${m.timestamp.time}`;
  lines.push(
    `  mapping: ${m.kind}; timestamp ← ${ts || '?'}${m.symbol ? `; symbol ← ${m.symbol}` : ''}`,
  );
  const fields = Object.entries(m.fields).map(([ours, theirs]) => `${ours} ← ${theirs}`);
  if (fields.length > 0) lines.push(`  fields: ${fields.join(', ')}`);
  if (preview.timestampUnitNote) lines.push(`  timestamps: ${preview.timestampUnitNote}`);
  const approx = preview.estimated ? '~' : '';
  for (const s of preview.symbols) {
    const what = s.kind === 'bars' ? `${s.interval ?? '?'} bars` : s.kind;
    lines.push(
      `  ${s.symbol} ${what}: ${approx}${s.rows.toLocaleString('en-US')} rows, ${s.first} → ${s.last}, ` +
        `${s.tradingDays.length} trading day${s.tradingDays.length === 1 ? '' : 's'}` +
        (s.tradingDays.length > 0 ? ` (${spans(s.tradingDays)})` : ''),
    );
  }
  const guess = preview.symbolGuess;
  if (guess) {
    lines.push(
      `  symbol ${guess.symbol} is a guess from the file name ${guess.fileName}${guess.doubt ? ` (doubtful: ${guess.doubt})` : ''}; check it, or give --symbol`,
    );
  }
  const c = preview.counts;
  lines.push(
    `  rows ${approx}${c.rows.toLocaleString('en-US')}: invalid ${c.invalid}, duplicates ${c.duplicates}, ` +
      `out of order ${c.outOfOrder}, crossed quotes ${c.crossedQuotes}, outside trading hours ${c.outsideTradingHours}`,
  );
  for (const note of preview.notes ?? []) lines.push(`  note: ${note}`);
  if (preview.problems.length > 0) {
    lines.push(`  problems (${preview.problems.length}):`);
    for (const p of preview.problems.slice(0, MAX_EXAMPLES)) lines.push(`    ${formatProblem(p)}`);
    if (preview.problems.length > MAX_EXAMPLES) {
      lines.push(`    … and ${preview.problems.length - MAX_EXAMPLES} more`);
    }
  }
  return lines.join('\n');
}

export function formatProblem(p: ImportProblem): string {
  const where = [
    basename(p.file),
    p.row !== undefined ? `row ${p.row}` : null,
    p.field ? `field ${p.field}` : null,
    p.value !== undefined ? `value ${JSON.stringify(p.value)}` : null,
  ].filter(Boolean);
  const level = p.severity === 'warning' ? 'warning: ' : '';
  return `${where.join(', ')}: ${level}${p.message}`;
}

export function formatResult(result: ImportResult): string {
  const lines: string[] = [];
  const total = result.streams.reduce((sum, s) => sum + s.rows, 0);
  const seconds = result.elapsedMs / 1000;
  lines.push(
    `imported ${total.toLocaleString('en-US')} rows into ${result.target} in ${seconds.toFixed(2)} s` +
      (seconds > 0 ? ` (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)` : ''),
  );
  for (const s of result.streams) {
    const what = s.kind === 'bars' ? `${s.interval} bars` : s.kind;
    lines.push(
      `  ${s.symbol} ${what}: ${s.rows.toLocaleString('en-US')} rows, ${s.replaced} replaced, ` +
        `${s.duplicatesDropped} duplicates dropped, ${spans(s.tradingDays)}`,
    );
  }
  return lines.join('\n');
}

/** Errors, not warnings: what makes an import refuse. */
export function hasErrors(preview: ImportPreview): boolean {
  return preview.problems.some((p) => p.severity !== 'warning');
}
