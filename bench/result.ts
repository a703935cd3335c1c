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

/** A result with no figures yet: a benchmark fills in what it measured. */
export function emptyResult(name: string): BenchResult {
  return {
    name,
    ours_s: null,
    peer: null,
    peer_s: null,
    ratio: null,
    events_per_s: null,
    bytes_per_bar: null,
  };
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
