import { describe, expect, it } from 'vitest';
import { LoserTree } from '../../src/main/engine/loser-tree';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { at, setup } from './helpers';

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Item {
  reg: number;
  idx: number;
  available: number;
  rank: number;
}

describe('merge order against a sort-based oracle', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`random streams with ties and tiny queues (seed ${seed})`, async () => {
      const random = prng(seed);
      const streamCount = 2 + Math.floor(random() * 12);
      const { coordinator, events } = setup({
        maxQueueSize: 16 + Math.floor(random() * 40),
        batchSize: 1 + Math.floor(random() * 50),
      });
      const expected: Item[] = [];
      for (let reg = 0; reg < streamCount; reg++) {
        const kind = random();
        const symbol = `S${reg}`;
        const n = Math.floor(random() * 300);
        const ts: number[] = [];
        if (kind < 0.4) {
          const interval = random() < 0.5 ? '1s' : '1m';
          const step = interval === '1s' ? 1000 : 60_000;
          let t = at(9, 30) + Math.floor(random() * 5) * step;
          for (let i = 0; i < n; i++) {
            ts.push(t);
            t += step * (1 + Math.floor(random() * 3)); // gaps, never duplicates
          }
          coordinator.register(
            new MemoryStreamCursor({
              symbol,
              type: 'bars',
              interval,
              timestamp: ts,
              values: {
                open: ts.map(() => 1),
                high: ts.map(() => 1),
                low: ts.map(() => 1),
                close: ts.map(() => 1),
                volume: ts.map((_, i) => i),
              },
            }),
          );
          ts.forEach((t0, idx) => expected.push({ reg, idx, available: t0 + step, rank: 0 }));
        } else {
          let t = at(9, 30) + Math.floor(random() * 3000);
          for (let i = 0; i < n; i++) {
            ts.push(t);
            // Often the same millisecond as the last one, or on a whole second (ties with bars).
            const r = random();
            t =
              r < 0.3
                ? t
                : r < 0.6
                  ? Math.ceil((t + 1) / 1000) * 1000
                  : t + Math.floor(random() * 700);
          }
          const type = kind < 0.7 ? 'quotes' : 'ticks';
          coordinator.register(
            new MemoryStreamCursor(
              type === 'quotes'
                ? {
                    symbol,
                    type,
                    timestamp: ts,
                    values: {
                      bid: ts.map(() => 1),
                      ask: ts.map(() => 2),
                      bid_size: ts.map((_, i) => i),
                      ask_size: ts.map(() => 1),
                    },
                  }
                : {
                    symbol,
                    type,
                    timestamp: ts,
                    values: { price: ts.map(() => 1), size: ts.map((_, i) => i) },
                  },
            ),
          );
          ts.forEach((t0, idx) => expected.push({ reg, idx, available: t0, rank: 1 }));
        }
      }
      expected.sort(
        (a, b) => a.available - b.available || a.rank - b.rank || a.reg - b.reg || a.idx - b.idx,
      );
      await coordinator.start();
      expect(events.map((e) => `${e.symbol}@${e.available}`)).toEqual(
        expected.map((e) => `S${e.reg}@${e.available}`),
      );
      expect(coordinator.staleSkipped).toBe(0);
    });
  }
});

describe('loser tree', () => {
  it('always names the smallest key, across replays, retirements and re-entries', () => {
    const random = prng(42);
    const tree = new LoserTree();
    const k = 37;
    tree.ensureSlots(k);
    const times = new Map<number, number>();
    for (let s = 0; s < k; s++) {
      tree.setTieBreak(s, (s % 2) as 0 | 1, s);
      const t = Math.floor(random() * 100);
      tree.enter(s, t);
      times.set(s, t);
    }
    const best = (): number => {
      let winner = -1;
      for (const [s, t] of times) {
        if (winner < 0) winner = s;
        const wt = times.get(winner)!;
        if (t < wt || (t === wt && (s % 2 < winner % 2 || (s % 2 === winner % 2 && s < winner))))
          winner = s;
      }
      return winner;
    };
    for (let i = 0; i < 5000; i++) {
      const w = tree.winner();
      expect(w).toBe(best());
      const r = random();
      if (r < 0.1) {
        tree.retireWinner();
        times.delete(w);
      } else {
        const t = times.get(w)! + Math.floor(random() * 10);
        tree.replayWinner(t);
        times.set(w, t);
      }
      if (times.size < k && random() < 0.1) {
        const back = [...Array(k).keys()].find((s) => !times.has(s))!;
        const t = Math.floor(random() * 100) + Math.floor(i / 10);
        tree.enter(back, t);
        times.set(back, t);
      }
    }
  });
});
