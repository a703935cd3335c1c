/**
 * The upkeep on real-shaped data: what it costs a session, against the same session with the
 * upkeep off. Three workloads, generated deterministically into bench/.cache/upkeep-sparse:
 *   - sparse-1m-year: one symbol, every XNYS trading day of 2023, 1m bars with about half the
 *     minutes empty (no-trade runs of 1-12 minutes), derived 5m/15m;
 *   - sparse-1s-day: 20 symbols × 1 day of 1s bars with about 40 % of seconds empty, derived
 *     1m/5m/15m;
 *   - dense-1s-5d: 10 symbols × 5 days of 1s bars, none missing, derived 1m/5m.
 * Every session refills from the default fill source (the parquet store itself, which has
 * nothing more), checks every 60 s of backtest time, and runs at speed 0. Timed: the whole
 * session as a user runs it (open with its preflight, then the replay to its end); median of 5
 * after a warm-up, alternating off and on. The derived bars are checked against a from-scratch
 * aggregation of the session's base bars, bar for bar. `ratio` is the worst workload's.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calendarFor } from '../src/shared/market/calendars';
import { FLAG_SYNTHETIC } from '../src/main/engine/column-store';
import type { BarRows } from '../src/main/engine/bar-history';
import { DERIVED_FIELDS } from '../src/main/engine/upkeep/derived-bars';
import { createDataStore, createFillSource } from '../src/main/host/data-store';
import { openSession, type Session } from '../src/main/host/session-host';
import {
  barsFromPath,
  simulateDay,
  type SecondSpan,
} from '../src/main/storage/synthetic/market-path';
import { mulberry32 } from '../src/main/storage/synthetic/seeded-random';
import { writeStream } from '../src/main/storage/synthetic/synthetic-day';
import { intervalMs, isDerivableFrom, type Interval } from '../src/shared/interval';
import { parseSessionConfig } from '../src/shared/session-config';
import { round, type BenchResult } from './result';

const CACHE = resolve('bench/.cache/upkeep-sparse');
const RUNS = 5;

interface Workload {
  name: string;
  dir: string;
  interval: '1s' | '1m';
  symbols: string[];
  dates: string[];
  derived: Interval[];
  /** Fraction of slots left empty, in runs. */
  empty: number;
}

const xnys = calendarFor('XNYS');

function tradingDays(from: string, to: string): string[] {
  return xnys
    .sessionsBetween(Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T23:59:59Z`))
    .map((s) => s.date);
}

const WORKLOADS: Workload[] = [
  {
    name: 'sparse-1m-year',
    dir: join(CACHE, 'sparse-1m-year'),
    interval: '1m',
    symbols: ['THIN'],
    dates: tradingDays('2023-01-01', '2023-12-31'),
    derived: ['5m', '15m'],
    empty: 0.5,
  },
  {
    name: 'sparse-1s-day',
    dir: join(CACHE, 'sparse-1s-day'),
    interval: '1s',
    symbols: Array.from({ length: 20 }, (_, i) => `SP${String(i).padStart(2, '0')}`),
    dates: ['2024-03-04'],
    derived: ['1m', '5m', '15m'],
    empty: 0.4,
  },
  {
    name: 'dense-1s-5d',
    dir: join(CACHE, 'dense-1s-5d'),
    interval: '1s',
    symbols: Array.from({ length: 10 }, (_, i) => `DN${String(i).padStart(2, '0')}`),
    dates: ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'],
    derived: ['1m', '5m'],
    empty: 0,
  },
];

/** Runs of empty slots covering about `fraction` of the session, as spans of seconds. */
export function emptyRuns(seed: number, fraction: number, step: number): SecondSpan[] {
  if (fraction === 0) return [];
  const random = mulberry32(seed);
  const slots = 23_400 / step;
  const spans: SecondSpan[] = [];
  // Alternating present and empty runs; mean run lengths set the empty fraction.
  const meanEmpty = step === 60 ? 6 : 3;
  const meanFull = (meanEmpty * (1 - fraction)) / fraction;
  let at = 0;
  for (;;) {
    at += 1 + Math.floor(random() * 2 * meanFull);
    const length = 1 + Math.floor(random() * (2 * meanEmpty - 1));
    if (at >= slots - 1) break;
    const end = Math.min(at + length, slots - 1); // the last slot stays: the day reaches its close
    spans.push([at * step, end * step]);
    at = end;
  }
  return spans;
}

function ensureFiles(w: Workload): void {
  const marker = join(w.dir, 'complete-v2');
  if (existsSync(marker)) return;
  rmSync(w.dir, { recursive: true, force: true });
  mkdirSync(w.dir, { recursive: true });
  const started = performance.now();
  const step = w.interval === '1s' ? 1 : 60;
  w.symbols.forEach((symbol, s) => {
    w.dates.forEach((date, d) => {
      const day = simulateDay({ symbol, date, seed: 7 + s });
      const skip = emptyRuns(1000 * s + d + 1, w.empty, step);
      writeStream(
        w.dir,
        { symbol, type: 'bars', interval: w.interval, date },
        barsFromPath(day, w.interval, skip),
        undefined,
      );
    });
  });
  writeFileSync(marker, '');
  console.log(`   (generated ${w.name} in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

async function open(w: Workload, upkeep: boolean): Promise<Session> {
  const parsed = parseSessionConfig({
    session_name: `bench-${w.name}`,
    data_streams: w.symbols.map((symbol) => ({ type: 'bars', symbol, interval: w.interval })),
    session_data_config: {
      data_upkeep: { enabled: upkeep, derived_intervals: w.derived, check_interval_seconds: 60 },
    },
    backtest_config: {
      start_date: w.dates[0],
      end_date: w.dates.at(-1),
      speed_multiplier: 0,
    },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, w.dir);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  return openSession(parsed.config, store.store, {
    speed: 0,
    fillSource: createFillSource(parsed.config, w.dir),
  });
}

/** A whole session as a user runs one: open (with its preflight of the data), then replay. */
async function timed(w: Workload, upkeep: boolean): Promise<{ s: number; session: Session }> {
  global.gc?.();
  const started = performance.now();
  const session = await open(w, upkeep);
  await session.coordinator.start();
  return { s: (performance.now() - started) / 1000, session };
}

/** Derived bars from scratch over the final base bars: the oracle for the incremental ones. */
function checkDerived(session: Session, w: Workload): number {
  let bars = 0;
  for (const symbol of w.symbols) {
    // Every base bar, released days read back from the store (retain_days bounds memory).
    const base = session.history.between(symbol, w.interval);
    for (const interval of w.derived.filter((d) => isDerivableFrom(d, w.interval))) {
      const d = session.upkeep!.derivedOf(symbol, interval)!;
      const want = fromScratch(base, interval);
      if (d.count !== want.length) {
        throw new Error(`${symbol} ${interval}: ${d.count} bars, expected ${want.length}`);
      }
      // What a chart reads: the held bars, and released days' bars made again from the store.
      const read = session.history.between(symbol, interval);
      if (read.length !== want.length) {
        throw new Error(`${symbol} ${interval}: ${read.length} bars read, expected ${want.length}`);
      }
      for (let i = 0; i < want.length; i++) {
        const exp = want[i]!;
        const got: Record<string, number> = { start: read.timestamp[i]! };
        DERIVED_FIELDS.forEach((f, j) => (got[f] = read.values[j]![i]!));
        for (const f of Object.keys(got)) {
          if (!Object.is(got[f], exp[f])) {
            throw new Error(`${symbol} ${interval} bar ${i} ${f}: ${got[f]} != ${exp[f]}`);
          }
        }
      }
      // The held ones, as the upkeep made them, with their bucket ends.
      const held = d.completed.length;
      for (let i = 0; i < held; i++) {
        const got = d.bar(i) as unknown as Record<string, number>;
        const exp = want[want.length - held + i]!;
        for (const f of Object.keys(exp) as (keyof typeof exp)[]) {
          if (!Object.is(got[f], exp[f])) {
            throw new Error(`${symbol} ${interval} held bar ${i} ${f}: ${got[f]} != ${exp[f]}`);
          }
        }
      }
      bars += want.length;
    }
  }
  return bars;
}

function fromScratch(base: BarRows, interval: Interval) {
  const span = intervalMs(interval);
  const out: Array<Record<string, number>> = [];
  const [o, h, l, c, v] = base.values as Float64Array[];
  let i = 0;
  for (const s of xnys.sessionsBetween(base.timestamp[0]!, base.timestamp[base.length - 1]! + 1)) {
    while (i < base.length && base.timestamp[i]! < s.open) i++;
    for (let b = s.open; b < s.close; b += span) {
      const end = Math.min(b + span, s.close);
      let bar: Record<string, number> | null = null;
      for (; i < base.length && base.timestamp[i]! < end; i++) {
        if ((base.flags[i]! & FLAG_SYNTHETIC) !== 0) continue;
        if (!bar) {
          bar = {
            start: b,
            end,
            open: o![i]!,
            high: h![i]!,
            low: l![i]!,
            close: c![i]!,
            volume: v![i]!,
            base_bars: 1,
          };
        } else {
          bar.high = Math.max(bar.high!, h![i]!);
          bar.low = Math.min(bar.low!, l![i]!);
          bar.close = c![i]!;
          bar.volume! += v![i]!;
          bar.base_bars!++;
        }
      }
      if (bar) out.push(bar);
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult & Record<string, unknown>> {
  const cases: Record<string, unknown> = {};
  let onTotal = 0;
  let offTotal = 0;
  let events = 0;
  let worst = 0;
  for (const w of WORKLOADS) {
    ensureFiles(w);
    await timed(w, true); // warm-up
    const on: number[] = [];
    const off: number[] = [];
    let last: Session | null = null;
    for (let r = 0; r < RUNS; r++) {
      off.push((await timed(w, false)).s);
      const run = await timed(w, true);
      on.push(run.s);
      last = run.session;
    }
    const session = last!;
    const items = session.coordinator.emitted;
    const derivedBars = checkDerived(session, w);
    const gaps = w.symbols.reduce((n, s) => n + session.upkeep!.gapsOf(s).length, 0);
    const onS = median(on);
    const offS = median(off);
    const ratio = onS / offS;
    worst = Math.max(worst, ratio);
    onTotal += onS;
    offTotal += offS;
    events += items;
    cases[w.name] = {
      items,
      gaps,
      derived_bars: derivedBars,
      derived_identical: true,
      upkeep_on_s: round(onS),
      upkeep_off_s: round(offS),
      ratio: round(ratio),
      events_per_s_on: Math.round(items / onS),
    };
    console.log(
      `   ${w.name}: ${items.toLocaleString()} bars, ${gaps.toLocaleString()} gaps; ` +
        `upkeep on ${onS.toFixed(3)} s, off ${offS.toFixed(3)} s: ratio ${ratio.toFixed(2)}; ` +
        `${derivedBars.toLocaleString()} derived bars equal a from-scratch aggregation`,
    );
  }
  return {
    name: 'upkeep-sparse',
    ours_s: round(onTotal),
    peer: 'the same sessions with the upkeep off',
    peer_s: round(offTotal),
    ratio: round(worst),
    events_per_s: Math.round(events / onTotal),
    bytes_per_bar: null,
    cases,
  };
}
