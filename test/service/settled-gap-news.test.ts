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
});
