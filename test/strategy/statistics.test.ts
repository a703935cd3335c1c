import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/shared/strategy/stats/backtest-report';
import { dailyReturns, sharpe } from '../../src/shared/strategy/stats/daily-returns';
import { DrawdownTracker, drawdownSeries } from '../../src/shared/strategy/stats/drawdown';
import { FifoPosition, roundTrips } from '../../src/shared/strategy/stats/round-trips';
import { tradeStats } from '../../src/shared/strategy/stats/trade-stats';
import { DEFAULT_EXECUTION } from '../../src/shared/strategy/execution-config';
import type { Fill } from '../../src/shared/strategy/types';

const fill = (
  seq: number,
  side: 'buy' | 'sell',
  qty: number,
  price: number,
  fee = 0,
  symbol = 'A',
): Fill => ({
  seq,
  time: seq * 1000,
  order_id: seq + 1,
  symbol,
  side,
  qty,
  price,
  fee,
  source: 'strategy',
});

describe('FIFO round trips', () => {
  it('matches closing fills against the oldest lots, splitting fees pro rata', () => {
    const trips = roundTrips([
      fill(0, 'buy', 100, 10, 1),
      fill(1, 'buy', 100, 12, 1),
      fill(2, 'sell', 150, 11, 3),
      fill(3, 'sell', 100, 9, 2), // closes 50 @12 and opens a 50 short @9
      fill(4, 'buy', 50, 8, 0),
    ]);
    expect(
      trips.map((t) => [t.direction, t.qty, t.entry_price, t.exit_price, t.gross_pnl]),
    ).toEqual([
      ['long', 100, 10, 11, 100],
      ['long', 50, 12, 11, -50],
      ['long', 50, 12, 9, -150],
      ['short', 50, 9, 8, 50],
    ]);
    expect(trips[0]!.fees).toBeCloseTo(1 + 2, 12); // all of fill 0, 100/150 of fill 2
    expect(trips[3]!.fees).toBeCloseTo(1, 12); // half of fill 3's fee, none of fill 4's
  });

  it('keeps the open position and its average price from the remaining lots', () => {
    const p = new FifoPosition('A');
    p.apply('buy', 100, 10, 0, 0);
    p.apply('buy', 100, 20, 0, 1);
    p.apply('sell', 50, 30, 0, 2);
    expect(p.position).toBe(150);
    expect(p.avgPrice).toBeCloseTo((50 * 10 + 100 * 20) / 150, 12);
    expect(p.realized).toBe(1000);
    expect(p.unrealized(25)).toBeCloseTo(150 * 25 - 50 * 10 - 100 * 20, 9);
    p.apply('sell', 150, 25, 0, 3);
    expect(p.position).toBe(0);
    expect(p.avgPrice).toBeNaN();
  });
});

describe('statistics', () => {
  it('computes win rate, profit factor and averages on net P&L', () => {
    const trips = roundTrips([
      fill(0, 'buy', 1, 10),
      fill(1, 'sell', 1, 13),
      fill(2, 'buy', 1, 10),
      fill(3, 'sell', 1, 9),
      fill(4, 'buy', 1, 10),
      fill(5, 'sell', 1, 11),
    ]);
    expect(tradeStats(trips)).toEqual({
      trades: 3,
      wins: 2,
      losses: 1,
      win_rate: 2 / 3,
      profit_factor: 4,
      avg_win: 2,
      avg_loss: -1,
    });
    expect(tradeStats([])).toMatchObject({ win_rate: null, profit_factor: null, avg_win: null });
  });

  it('gives no Sharpe under 5 days, and mean/stdev×√252 from 5', () => {
    expect(sharpe([0.01, 0.02, -0.01, 0.0])).toBeNull();
    const r = [0.01, 0.02, -0.01, 0.0, 0.005];
    const mean = r.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    expect(sharpe(r)).toBeCloseTo((mean / sd) * Math.sqrt(252), 12);
    expect(sharpe([0.01, 0.01, 0.01, 0.01, 0.01])).toBeNull();
    expect(
      dailyReturns(100, [
        { date: 'd1', equity: 110 },
        { date: 'd2', equity: 99 },
      ]).map((d) => d.return),
    ).toEqual([0.10000000000000009, -0.09999999999999998]);
  });

  it('measures drawdown from the running peak', () => {
    expect(Array.from(drawdownSeries([100, 120, 90, 130, 65]))).toEqual([0, 0, 25, 0, 50]);
  });

  it('keeps the same deepest drawdown, bit for bit, when a running curve skips values that cannot deepen it', () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 50; run++) {
      const noted = new DrawdownTracker();
      let brute = 0;
      let peak = Number.NEGATIVE_INFINITY;
      let equity = 100_000;
      for (let i = 0; i < 2000; i++) {
        equity += (rand() - 0.52) * 300 * (run % 5);
        // A few repeats and exact returns to the peak, the cases the skip is about.
        const value = rand() < 0.1 ? peak : equity;
        noted.note(value);
        if (value > peak) peak = value;
        const dd = peak > 0 ? ((peak - value) / peak) * 100 : 0;
        if (dd > brute) brute = dd;
      }
      expect(noted.max_pct).toBe(brute);
    }
  });

  it('reports net P&L = realized + unrealized - fees', () => {
    const fills = [fill(0, 'buy', 10, 100, 1), fill(1, 'sell', 4, 110, 1)];
    const trips = roundTrips(fills);
    const p = new FifoPosition('A');
    for (const f of fills) p.apply(f.side, f.qty, f.price, f.fee, f.time);
    const cash = 1000 - 10 * 100 - 1 + 4 * 110 - 1;
    const report = buildReport({
      initial_cash: 1000,
      ending_equity: cash + 6 * 105,
      fills,
      trips,
      symbols: [
        {
          symbol: 'A',
          position: p.position,
          avg_price: p.avgPrice,
          mark: 105,
          realized: p.realized,
          fees: p.fees,
        },
      ],
      max_drawdown_pct: 1,
      exposure_pct: 50,
      days: [{ date: '2024-01-02', equity: cash + 6 * 105 }],
      strategy: null,
      execution: DEFAULT_EXECUTION,
    });
    expect(report.realized_pnl).toBe(40);
    expect(report.unrealized_pnl).toBe(30);
    expect(report.fees).toBe(2);
    expect(report.net_pnl).toBe(68);
    expect(report.return_pct).toBeCloseTo(6.8, 12);
    expect(report.per_symbol.A).toMatchObject({
      position: 6,
      avg_price: 100,
      net_pnl: 68,
      trades: 1,
    });
    expect(report.sharpe).toBeNull();
  });
});
