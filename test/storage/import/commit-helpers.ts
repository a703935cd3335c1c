/** Synthetic import chunks and store snapshots for the commit tests. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BaseInterval } from '../../../src/shared/interval';
import type { StreamType } from '../../../src/shared/stream-types';
import { STREAM_FIELDS } from '../../../src/shared/stream-types';
import { exchangeTimeToUtc } from '../../../src/shared/time';
import type { ImportChunk } from '../../../src/main/storage/import/import-types';

export interface SyntheticStream {
  symbol: string;
  kind?: StreamType;
  interval?: BaseInterval;
  /** UTC epoch ms of each row. */
  timestamps: number[];
  /** Added to every price, so two imports of the same times can differ. */
  priceOffset?: number;
  chunkRows?: number;
}

/** `count` bars from `hh:mm` New York time on `date`, `stepMs` apart. */
export function barTimes(
  date: string,
  hh: number,
  mm: number,
  count: number,
  stepMs = 1000,
): number[] {
  const start = exchangeTimeToUtc(date, hh, mm);
  return Array.from({ length: count }, (_, i) => start + i * stepMs);
}

export function chunksOf(stream: SyntheticStream): ImportChunk[] {
  const kind = stream.kind ?? 'bars';
  const fields = STREAM_FIELDS[kind];
  const size = stream.chunkRows ?? 1000;
  const out: ImportChunk[] = [];
  for (let from = 0; from < stream.timestamps.length; from += size) {
    const ts = stream.timestamps.slice(from, from + size);
    const values = fields.map((field, k) =>
      Float64Array.from(ts, (t, i) => valueOf(field, k, from + i, t, stream.priceOffset ?? 0)),
    );
    out.push({
      symbol: stream.symbol,
      kind,
      ...(kind === 'bars' ? { interval: stream.interval ?? '1s' } : {}),
      length: ts.length,
      timestamp: Float64Array.from(ts),
      values,
    });
  }
  return out;
}

function valueOf(field: string, k: number, row: number, t: number, offset: number): number {
  const base = 100 + offset + (row % 50) / 10;
  switch (field) {
    case 'high':
      return base + 1;
    case 'low':
      return base - 1;
    case 'ask':
      return base + 0.01;
    case 'volume':
    case 'size':
    case 'bid_size':
    case 'ask_size':
      return 100 + ((t / 1000) % 7);
    default:
      return base + k * 0;
  }
}

export async function* iterate(chunks: ImportChunk[]): AsyncGenerator<ImportChunk> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

/** Every file under `dir`, with its SHA-256: two equal snapshots mean byte-identical stores. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string): void => {
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) {
        out[`${relative(dir, full)}/`] = 'dir';
        walk(full);
      } else {
        out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
      }
    }
  };
  walk(dir);
  return out;
}

/** What the killed-import test's child imports over the seed: overlaps, new days, a new symbol. */
export function killedImportChunks(): ImportChunk[] {
  return [
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 35, 600), priceOffset: 9 }),
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-05', 9, 30, 600) }),
    ...chunksOf({ symbol: 'TSLA', timestamps: barTimes('2024-03-06', 9, 30, 600) }),
  ];
}
