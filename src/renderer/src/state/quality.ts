/** Bar quality as the panel shows it: colour bands, and the strip's cell states. */
export type QualityBand = 'good' | 'fair' | 'poor' | 'none';

export function qualityBand(quality: number | null | undefined): QualityBand {
  if (quality === null || quality === undefined || !Number.isFinite(quality)) return 'none';
  if (quality >= 99) return 'good';
  if (quality >= 95) return 'fair';
  return 'poor';
}

export function formatQuality(quality: number | null | undefined): string {
  if (quality === null || quality === undefined || !Number.isFinite(quality)) return '—';
  return `${quality.toFixed(quality >= 99.95 || quality === 0 ? 0 : 1)}%`;
}

/** The contract's strip states: 0 missing, 1 present, 2 refilled, 3 partial. */
export const STRIP_STATES = ['missing', 'present', 'refilled', 'partial'] as const;
export type StripState = (typeof STRIP_STATES)[number];

export function stripState(code: number): StripState {
  return STRIP_STATES[code] ?? 'missing';
}

/** Counts per state, for the strip's accessible summary. */
export function stripSummary(states: readonly number[]): Record<StripState, number> {
  const counts: Record<StripState, number> = { missing: 0, present: 0, refilled: 0, partial: 0 };
  for (const s of states) counts[stripState(s)] += 1;
  return counts;
}

/** Collapses runs of equal states, so the strip draws one segment per run, not per minute. */
export function stripRuns(
  states: readonly number[],
): Array<{ state: StripState; start: number; length: number }> {
  const runs: Array<{ state: StripState; start: number; length: number }> = [];
  for (let i = 0; i < states.length; i += 1) {
    const state = stripState(states[i]);
    const last = runs[runs.length - 1];
    if (last && last.state === state) last.length += 1;
    else runs.push({ state, start: i, length: 1 });
  }
  return runs;
}
