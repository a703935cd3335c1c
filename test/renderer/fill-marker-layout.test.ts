import { describe, expect, it } from 'vitest';
import {
  FillMarkerLayout,
  MARKER_GAP,
  MAX_STACK,
  markerSize,
  type MarkedBars,
  type MarkerView,
} from '../../src/renderer/src/components/charts/fill-marker-layout';
import type { Fill } from '../../src/shared/strategy/types';

const T0 = Date.UTC(2024, 2, 4, 14, 30);
const S = 1000;

/** Bars starting at `times` (UTC ms), with high = 100 + i + 0.5 and low = 100 + i - 0.5. */
function barsAt(times: readonly number[]): MarkedBars {
  return {
    length: times.length,
    timeAt: (i) => times[i]!,
    highAt: (i) => 100 + i + 0.5,
    lowAt: (i) => 100 + i - 0.5,
  };
}

/** `count` 1s bars from T0. */
function bars(count: number): MarkedBars {
  return barsAt(Array.from({ length: count }, (_, i) => T0 + i * S));
}

/** Lays out `count` 1s bars from T0, all in view, `spacing` px apart. */
function layoutAll(
  l: FillMarkerLayout,
  fills: readonly Fill[],
  count: number,
  spacing: number,
  calls?: number[],
): void {
  l.layout(
    {
      fills,
      bars: bars(count),
      forming: null,
      firstShown: T0,
      lastShown: T0 + (count - 1) * S,
      barSpacing: spacing,
    },
    view(spacing, calls),
  );
}

let seq = 0;
function fill(
  time: number,
  side: 'buy' | 'sell',
  qty = 1,
  source: Fill['source'] = 'strategy',
): Fill {
  return {
    seq: seq++,
    time,
    order_id: seq,
    symbol: 'UIA',
    side,
    qty,
    price: 100,
    fee: 0,
    source,
  };
}

/** x: `spacing` px per second from T0; y: 10 px per price unit, higher prices up. */
function view(spacing: number, xCalls: number[] = []): MarkerView {
  return {
    x: (start) => {
      xCalls.push(start);
      return ((start - T0) / S) * spacing;
    },
    y: (price) => 2000 - price * 10,
    labelWidth: (text) => text.length * 7,
  };
}

function markers(l: FillMarkerLayout) {
  return Array.from({ length: l.count }, (_, m) => ({
    x: l.x[m],
    y: l.y[m],
    buy: l.buy[m] === 1,
    fills: l.represents[m],
    labelled: l.labelWidth[m]! > 0,
  }));
}

describe('FillMarkerLayout', () => {
  it('puts a buy under the low and a sell over the high of the bar holding the fill', () => {
    const l = new FillMarkerLayout();
    const fills = [fill(T0 + 2 * S + 400, 'buy'), fill(T0 + 5 * S, 'sell')];
    layoutAll(l, fills, 10, 20);
    const size = markerSize(20);
    expect(markers(l)).toEqual([
      { x: 40, y: 2000 - 101.5 * 10 + MARKER_GAP + size / 2, buy: true, fills: 1, labelled: true },
      {
        x: 100,
        y: 2000 - 105.5 * 10 - MARKER_GAP - size / 2,
        buy: false,
        fills: 1,
        labelled: true,
      },
    ]);
  });

  it('marks the fills of the bars in view and of one bar more each side', () => {
    const l = new FillMarkerLayout();
    const fills = [
      fill(T0 + 3 * S + 999, 'buy'),
      fill(T0 + 4 * S + 500, 'buy'),
      fill(T0 + 6 * S, 'sell'),
      fill(T0 + 7 * S, 'sell'),
    ];
    const calls: number[] = [];
    // Bars 5 and 6 in view: bar 4 and bar 7 are the ones half in view.
    const first = T0 + 5 * S;
    l.layout(
      {
        fills,
        bars: bars(20),
        forming: null,
        firstShown: first,
        lastShown: T0 + 6 * S,
        barSpacing: 20,
      },
      view(20, calls),
    );
    expect(markers(l).map((m) => m.x)).toEqual([80, 120, 140]);
    expect(calls).toEqual([T0 + 4 * S, T0 + 6 * S, T0 + 7 * S]);
  });

  it('marks a fill long after the last bar in view on that bar (sparse bars)', () => {
    const l = new FillMarkerLayout();
    // Nobody traded between 10:00:00 and 10:01:00: a quote-driven fill at 10:00:10 sits on
    // the 10:00:00 bar, the last one in view.
    const b = barsAt([T0 - 60 * S, T0, T0 + 60 * S]);
    const fills = [fill(T0 + 10 * S, 'buy')];
    l.layout(
      { fills, bars: b, forming: null, firstShown: T0 - 60 * S, lastShown: T0, barSpacing: 20 },
      view(1),
    );
    expect(markers(l).map((m) => m.x)).toEqual([0]);
    // The same at the live edge, with no bar after it yet.
    l.layout(
      {
        fills,
        bars: barsAt([T0 - 60 * S, T0]),
        forming: null,
        firstShown: T0 - 60 * S,
        lastShown: T0,
        barSpacing: 20,
      },
      view(1),
    );
    expect(markers(l).map((m) => m.x)).toEqual([0]);
  });

  it('skips fills before the first bar held and puts those in the forming bar on it', () => {
    const l = new FillMarkerLayout();
    const forming = { time: T0 + 5 * S, high: 200, low: 190 };
    const fills = [fill(T0 - 500, 'buy'), fill(T0 + S, 'buy'), fill(T0 + 5 * S + 10, 'buy')];
    l.layout(
      { fills, bars: bars(5), forming, firstShown: T0, lastShown: T0 + 5 * S, barSpacing: 20 },
      view(20),
    );
    const m = markers(l);
    expect(m.map((x) => x.x)).toEqual([20, 100]);
    expect(m[1]!.y).toBe(2000 - 190 * 10 + MARKER_GAP + markerSize(20) / 2);
    expect([l.buyFills, l.sellFills]).toEqual([2, 0]);
  });

  it('stacks fills of one side on a bar, up to MAX_STACK markers', () => {
    const l = new FillMarkerLayout();
    const t = T0 + 3 * S;
    const fills = [
      ...Array.from({ length: 5 }, (_, i) => fill(t + i, 'buy')),
      fill(t + 10, 'sell'),
      fill(t + 20, 'sell'),
    ];
    layoutAll(l, fills, 10, 12);
    const m = markers(l);
    const size = markerSize(12);
    const buys = m.filter((x) => x.buy);
    expect(buys).toHaveLength(MAX_STACK);
    expect(buys.map((x) => x.y - buys[0]!.y)).toEqual([
      0,
      size + MARKER_GAP,
      2 * (size + MARKER_GAP),
    ]);
    expect(buys.map((x) => x.fills)).toEqual([1, 1, 3]);
    expect(m.filter((x) => !x.buy).map((x) => x.fills)).toEqual([1, 1]);
    expect([l.buyFills, l.sellFills]).toEqual([5, 2]);
    // Nothing stacked carries a label: labels of a stack would overlap its arrows.
    expect(m.some((x) => x.labelled)).toBe(false);
  });

  it('draws one marker per pixel column and side when bars are thinner than a pixel', () => {
    const l = new FillMarkerLayout();
    const fills = Array.from({ length: 400 }, (_, i) =>
      fill(T0 + i * S, i % 2 === 0 ? 'buy' : 'sell'),
    );
    layoutAll(l, fills, 400, 0.25);
    const m = markers(l);
    // 400 bars over 100 px: a buy and a sell marker per pixel column, standing for all fills.
    expect(m.filter((x) => x.buy)).toHaveLength(100);
    expect(m.filter((x) => !x.buy)).toHaveLength(100);
    expect(m.reduce((a, x) => a + x.fills, 0)).toBe(400);
    expect([l.buyFills, l.sellFills]).toEqual([200, 200]);
    expect(new Set(m.filter((x) => x.buy).map((x) => Math.floor(x.x))).size).toBe(100);
  });

  it('labels a marker only where its label clears its neighbours on the same side', () => {
    const l = new FillMarkerLayout();
    // "B 1" is 21 px wide here, so two labels need 21 + 4 px between centres: buys 5 bars
    // (30 px) apart both get one, 2 bars (12 px) apart neither does.
    const fills = [
      fill(T0 + 0 * S, 'buy'),
      fill(T0 + 5 * S, 'buy'),
      fill(T0 + 10 * S, 'buy'),
      fill(T0 + 12 * S, 'buy'),
      fill(T0 + 20 * S, 'buy'),
      // 18 px apart: each label alone would clear the other's centre, but not its label.
      fill(T0 + 25 * S, 'buy'),
      fill(T0 + 28 * S, 'buy'),
      fill(T0 + 11 * S, 'sell'),
    ];
    fills.sort((a, b) => a.time - b.time);
    layoutAll(l, fills, 30, 6);
    const labelled = markers(l)
      .filter((x) => x.labelled)
      .map((x) => `${x.buy ? 'B' : 'S'}${x.x / 6}`);
    // Markers come side by side: the buys in time order, then the sells.
    expect(labelled).toEqual(['B0', 'B5', 'B20', 'S11']);
  });

  it('zoomed far out, works per pixel column, not per fill, and misses neither side', () => {
    const l = new FillMarkerLayout();
    // 20,000 1s bars over 200 px with 5 buys in every bar, and one sell every 1,000 bars.
    const n = 20_000;
    const fills: Fill[] = [];
    for (let b = 0; b < n; b++) {
      for (let j = 0; j < 5; j++) fills.push(fill(T0 + b * S + j * 100, 'buy'));
      if (b % 1000 === 500) fills.push(fill(T0 + b * S + 600, 'sell'));
    }
    const calls: number[] = [];
    layoutAll(l, fills, n, 0.01, calls);
    const m = markers(l);
    // Every pixel column has its buys, at most a stack of them (those of its first bar).
    const perColumn = new Map<number, number>();
    for (const x of m.filter((b) => b.buy))
      perColumn.set(Math.floor(x.x), (perColumn.get(Math.floor(x.x)) ?? 0) + 1);
    expect(perColumn.size).toBe(200);
    expect(Math.max(...perColumn.values())).toBeLessThanOrEqual(MAX_STACK);
    expect(m.filter((x) => !x.buy).map((x) => x.x)).toEqual(
      Array.from({ length: 20 }, (_, i) => (i * 1000 + 500) * 0.01),
    );
    expect([l.buyFills, l.sellFills]).toEqual([5 * n, 20]);
    // A few bar lookups per column and side, where walking the fills would look at 100,020.
    expect(calls.length).toBeLessThan(200 * 2 * 40);
  });

  it('matches a brute-force placement on random fills', () => {
    let state = 42;
    const random = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      const barCount = 50 + Math.floor(random() * 200);
      const b = bars(barCount);
      const fills: Fill[] = [];
      let t = T0 - 3 * S;
      // Some rounds dense (many fills a bar), some sparse.
      const step = random() < 0.5 ? 2500 : 150;
      while (t < T0 + (barCount + 2) * S) {
        t += Math.floor(random() * step);
        fills.push(fill(t, random() < 0.5 ? 'buy' : 'sell'));
      }
      const firstBar = Math.floor(random() * 20);
      const lastBar = Math.min(barCount - 1, firstBar + Math.floor(random() * barCount));
      const laidOut = (spacing: number): FillMarkerLayout => {
        const l = new FillMarkerLayout();
        const shown = { firstShown: T0 + firstBar * S, lastShown: T0 + lastBar * S };
        l.layout({ fills, bars: b, forming: null, ...shown, barSpacing: spacing }, view(spacing));
        return l;
      };
      const spacing = 8;
      const l = laidOut(spacing);
      // Oracle: each fill's bar is the last starting at or before it; the bars in view and one
      // more each side are marked. Group by (bar, side): min(count, MAX_STACK) markers, the
      // last standing for the rest.
      const groups = new Map<string, number>();
      const order: string[] = [];
      const times: number[] = [];
      for (const f of fills) {
        if (f.time < T0) continue;
        const bar = Math.min(Math.floor((f.time - T0) / S), barCount - 1);
        if (bar < firstBar - 1 || bar > lastBar + 1) continue;
        const key = `${bar}:${f.side}`;
        times.push(f.time);
        if (!groups.has(key)) order.push(key);
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
      const expected = order.flatMap((key) => {
        const [bar, side] = key.split(':');
        const count = groups.get(key)!;
        const shown = Math.min(count, MAX_STACK);
        return Array.from({ length: shown }, (_, i) => ({
          x: Number(bar) * spacing,
          buy: side === 'buy',
          fills: i === shown - 1 ? count - shown + 1 : 1,
        }));
      });
      const got = markers(l).map(({ x, buy, fills: n }) => ({ x, buy, fills: n }));
      const byPlace = (a: { x: number; buy: boolean }, c: { x: number; buy: boolean }) =>
        a.x - c.x || Number(a.buy) - Number(c.buy);
      expect([...got].sort(byPlace)).toEqual([...expected].sort(byPlace));
      // Zoomed far out, the markers, jumps included, stand for exactly the same fills.
      const dense = laidOut(0.05);
      const side = (s: 'buy' | 'sell') =>
        [...groups].filter(([k]) => k.endsWith(s)).reduce((a, [, c]) => a + c, 0);
      expect([dense.buyFills, dense.sellFills]).toEqual([side('buy'), side('sell')]);
      for (const laid of [l, dense]) {
        expect([laid.firstTime, laid.lastTime]).toEqual(
          times.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...times), Math.max(...times)],
        );
      }
    }
  });
});
