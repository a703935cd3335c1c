/** How a results cell reads: figures to a few decimals, no float noise. */
import type { SweepCell } from '../../../../shared/sweep-contract';

export function formatCell(value: SweepCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  // A figure that is not a number (a ratio of nothing) reads as a dash, not as a blank that
  // looks like a run without the figure.
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  // Rounded, then printed without trailing zeros: 37.000000001 reads 37, not 37.00.
  return String(Number(value.toFixed(abs >= 100 ? 1 : abs >= 1 ? 2 : 4)));
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}
