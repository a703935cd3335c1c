/**
 * The real Binance capture (hftbacktest's collector): gzip text, one
 * `<receive ns> <raw JSON>` per line. Also 1-second klines built from its trades by brute
 * force, as the test server's history and the oracle for what a session must end up with.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { RestKline } from '../../src/main/feed/binance/binance-messages';

export interface CapturedLine {
  /** Local receive time, UTC epoch ms (the capture stores ns). */
  receivedMs: number;
  text: string;
}

export function readCapture(path: string): CapturedLine[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const out: CapturedLine[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    out.push({
      receivedMs: Number(BigInt(line.slice(0, space)) / 1_000_000n),
      text: line.slice(space + 1),
    });
  }
  return out;
}

export type TestBar = RestKline;

/** 1-second bars of the given trades (price, qty, time in ms), one per second with a trade. */
export function barsFromTrades(
  trades: ReadonlyArray<{ p: number; q: number; T: number }>,
): TestBar[] {
  const bySecond = new Map<number, TestBar>();
  for (const t of trades) {
    const start = Math.floor(t.T / 1000) * 1000;
    const bar = bySecond.get(start);
    if (!bar) {
      bySecond.set(start, { start, open: t.p, high: t.p, low: t.p, close: t.p, volume: t.q });
    } else {
      bar.high = Math.max(bar.high, t.p);
      bar.low = Math.min(bar.low, t.p);
      bar.close = t.p;
      bar.volume += t.q;
    }
  }
  // Binance quotes volumes to 8 decimals; a float sum of quantities carries noise past that.
  const bars = [...bySecond.values()].sort((a, b) => a.start - b.start);
  for (const bar of bars) bar.volume = Number(bar.volume.toFixed(8));
  return bars;
}

/** The trades of a capture, read straight from the JSON (independent of the adapter's parser). */
export function capturedTrades(
  lines: readonly CapturedLine[],
): Array<{ p: number; q: number; T: number; t: number }> {
  const trades = [];
  for (const line of lines) {
    if (!line.text.includes('@trade"')) continue;
    const d = (JSON.parse(line.text) as { data: { p: string; q: string; T: number; t: number } })
      .data;
    trades.push({ p: Number(d.p), q: Number(d.q), T: d.T, t: d.t });
  }
  return trades;
}

/** A closed kline_1s message in the combined-stream envelope, as Binance sends it. */
export function klineMessage(symbol: string, bar: TestBar, closed = true): string {
  const s = symbol.toLowerCase();
  return JSON.stringify({
    stream: `${s}@kline_1s`,
    data: {
      e: 'kline',
      E: bar.start + 1000,
      s: symbol.toUpperCase(),
      k: {
        t: bar.start,
        T: bar.start + 999,
        s: symbol.toUpperCase(),
        i: '1s',
        f: 1,
        L: 2,
        o: bar.open.toFixed(8),
        c: bar.close.toFixed(8),
        h: bar.high.toFixed(8),
        l: bar.low.toFixed(8),
        v: bar.volume.toFixed(8),
        n: 2,
        x: closed,
        q: '0',
        V: '0',
        Q: '0',
        B: '0',
      },
    },
  });
}

/** A REST kline row as /api/v3/klines answers it. */
export function restRow(bar: TestBar): unknown[] {
  return [
    bar.start,
    bar.open.toFixed(8),
    bar.high.toFixed(8),
    bar.low.toFixed(8),
    bar.close.toFixed(8),
    bar.volume.toFixed(8),
    bar.start + 999,
    '0',
    2,
    '0',
    '0',
    '0',
  ];
}
