/**
 * The Log tells each settled gap once per outcome, and forgets gaps the upkeep has moved past,
 * so a long sparse session does not keep one entry per gap it ever settled.
 */
import { describe, expect, it } from 'vitest';
import { SettledGapNews } from '../../src/main/service/settled-gap-news';

const gap = (symbol: string, start: number, end: number, outcome: string) => ({
  symbol,
  start,
  end,
  outcome,
});

describe('settled gap news', () => {
  it('tells a gap once per outcome, keyed by symbol and start', () => {
    const news = new SettledGapNews();
    expect(news.isNews(gap('AAA', 10, 20, 'missing'))).toBe(true);
    // The range grew and settled again, or absorbed its neighbour: the same start.
    expect(news.isNews(gap('AAA', 10, 30, 'missing'))).toBe(false);
    expect(news.isNews(gap('AAA', 10, 30, 'filled'))).toBe(true);
    expect(news.isNews(gap('BBB', 10, 30, 'filled'))).toBe(true);
    expect(news.isNews(gap('AAA', 30, 40, 'filled'))).toBe(true);
    expect(news.size).toBe(3);
  });

  it('forgets the gaps ending before what the upkeep holds, and only those', () => {
    const news = new SettledGapNews();
    for (let start = 0; start < 100; start += 10)
      news.isNews(gap('AAA', start, start + 5, 'missing'));
    news.isNews(gap('BBB', 0, 5, 'missing'));
    news.forgetSettled((symbol) => (symbol === 'AAA' ? 45 : 0));
    // AAA's gaps ending at 5..45: those ending before 45 go; the one ending at 45 may still
    // join a neighbour that settles, so it stays, and so do BBB's.
    expect(news.size).toBe(6 + 1);
    expect(news.isNews(gap('AAA', 40, 50, 'missing'))).toBe(false);
    expect(news.isNews(gap('BBB', 0, 5, 'missing'))).toBe(false);
  });

  it('answers as a record per gap would, whatever the order gaps settle in, across forgetting', () => {
    const news = new SettledGapNews();
    // The oracle: every (symbol, start) told and its last outcome, forgotten by the same rule.
    const oracle = new Map<string, { end: number; outcome: string }>();
    let x = 7;
    const next = (): number => (x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
    let frontier = 0;
    for (let i = 0; i < 20_000; i++) {
      // Mostly the next gap in time; now and then one settling again or out of order.
      const r = next();
      const start =
        r < 0.8 ? (frontier += 10) : Math.max(0, frontier - 10 * Math.floor(next() * 50));
      const end = start + 5;
      const outcome = next() < 0.7 ? 'missing' : 'filled';
      const key = String(start);
      const told = oracle.get(key);
      const expected = told?.outcome !== outcome;
      oracle.set(key, { end, outcome });
      expect(news.isNews(gap('AAA', start, end, outcome))).toBe(expected);
      if (i % 500 === 499) {
        // The upkeep holds from a while back: older gaps are forgotten (more than 1,024 at
        // times, so the kept arrays are cut too).
        const heldFrom = frontier - 3000;
        news.forgetSettled(() => heldFrom);
        const starts = [...oracle.keys()].map(Number).sort((a, b) => a - b);
        for (const s of starts) {
          if (oracle.get(String(s))!.end >= heldFrom) break;
          oracle.delete(String(s));
        }
        expect(news.size).toBe(oracle.size);
      }
    }
  });
});
