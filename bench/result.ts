/** Every benchmark ends with one JSON line in this shape; fields that don't apply are null. */
export interface BenchResult {
  name: string;
  ours_s: number | null;
  peer: string | null;
  peer_s: number | null;
  ratio: number | null;
  events_per_s: number | null;
  bytes_per_bar: number | null;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
