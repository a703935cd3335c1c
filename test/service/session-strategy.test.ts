/**
 * Strategies and manual trading through the service: a session config with a strategy from
 * `data/strategies/`, trading updates pushed per frame, manual Buy/Sell/Flatten while paused,
 * and bad strategies refused with the file named, leaving the running session alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../src/shared/ipc-contract';
import type {
  ManualOrderResponse,
  StrategyListing,
} from '../../src/shared/strategy/trading-contract';
import { ApiRequestError } from '../../src/main/service/api-error';
import { demoConfig, demoData, finished, recorder, type Recorder } from './service-helpers';

const open: Recorder[] = [];
function service(): Recorder {
  const r = recorder();
  open.push(r);
  return r;
}
afterEach(async () => {
  for (const r of open.splice(0)) await r.service.close();
});

const oneDay = (extra: Record<string, unknown> = {}) => ({
  ...demoConfig(),
  backtest_config: { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 },
  ...extra,
});

describe('strategies in the service', { timeout: 120_000 }, () => {
  it('lists data/strategies with their params, and a broken file with its error', async () => {
    writeFileSync(
      join(demoData(), 'strategies', 'broken.ts'),
      'export default {\n  onBar( {\n};\n',
    );
    const r = service();
    const list = await r.call<StrategyListing[]>('listStrategies');
    expect(list.map((s) => s.file)).toEqual([
      'broken.ts',
      'ema-crossover.ts',
      'opening-range-breakout.ts',
    ]);
    expect(list[0]!.error).toMatch(/^broken\.ts:3:\d+: /);
    expect(list[1]!.fields.map((f) => f.name)).toEqual([
      'fast',
      'slow',
      'interval',
      'qty',
      'allow_short',
    ]);
  });

  it('runs the configured strategy and pushes its fills, equity and stats', async () => {
    const r = service();
    const snap = await r.call<SessionSnapshot>('startSession', {
      config: oneDay({ strategy: { file: 'ema-crossover.ts', params: { fast: 5, slow: 13 } } }),
    });
    expect(snap.trading?.strategy?.file).toBe('ema-crossover.ts');
    expect(snap.trading?.fills).toEqual([]);
    await r.call('controlSession', { action: 'play' });
    const last = await r.until(finished);
    expect(last.status.state).toBe('done');
    const fills = r.updates.flatMap((u) => u.trading?.fills ?? []);
    expect(fills.length).toBeGreaterThan(4);
    expect(fills.map((f) => f.seq)).toEqual(fills.map((_, i) => i));
    expect(fills.every((f) => f.source === 'strategy')).toBe(true);
    expect(r.updates.some((u) => (u.trading?.equity?.time.length ?? 0) > 0)).toBe(true);
    expect(r.updates.some((u) => (u.trading?.plots?.length ?? 0) > 0)).toBe(true);
    const final = await r.call<SessionSnapshot>('snapshot');
    expect(final.trading?.fills).toEqual(fills);
    expect(final.trading?.stats?.fill_count).toBe(fills.length);
  });

  it('fills manual Buy, Sell and Flatten while paused at the last known price', async () => {
    const r = service();
    await r.call('startSession', { config: oneDay(), startAt: Date.parse('2024-03-04T15:00:00Z') });
    const buy = await r.call<ManualOrderResponse>('manualOrder', {
      symbol: 'AAPL',
      side: 'buy',
      qty: 50,
    });
    expect(buy.fills).toHaveLength(1);
    expect(buy.fills[0]).toMatchObject({ symbol: 'AAPL', side: 'buy', qty: 50, source: 'manual' });
    const quotes = await r.call<{ ask: number[] }>('getQuotes', { symbol: 'AAPL' });
    expect(buy.fills[0]!.price).toBe(quotes.ask.at(-1));
    const flat = await r.call<ManualOrderResponse>('manualOrder', {
      symbol: 'AAPL',
      side: 'flatten',
    });
    expect(flat.fills[0]).toMatchObject({ side: 'sell', qty: 50, source: 'manual' });
    const again = await r.call<ManualOrderResponse>('manualOrder', {
      symbol: 'AAPL',
      side: 'flatten',
    });
    expect(again).toEqual({ orderId: null, fills: [] });
    await expect(r.call('manualOrder', { symbol: 'NOPE', side: 'buy', qty: 1 })).rejects.toThrow(
      'NOPE is not in this session',
    );
    await expect(
      r.call('manualOrder', { symbol: 'AAPL', side: 'buy', qty: -1 }),
    ).rejects.toBeInstanceOf(ApiRequestError);
    const snap = await r.call<SessionSnapshot>('snapshot');
    expect(snap.trading?.fills).toHaveLength(2);
    expect(snap.trading?.positions).toEqual([
      expect.objectContaining({ symbol: 'AAPL', position: 0, avg_price: null }),
    ]);
  });

  it('lists resting orders in the trading state and cancels them by id', async () => {
    writeFileSync(
      join(demoData(), 'strategies', 'resting.ts'),
      [
        'let placed = false;',
        'export default {',
        '  onQuote(q, ctx) {',
        "    if (placed || q.symbol !== 'AAPL') return;",
        '    placed = true;',
        "    ctx.buy('AAPL', 10, { type: 'limit', price: 1 });",
        "    ctx.sell('AAPL', 5, { type: 'stop', stop: 1 });",
        '  },',
        '};',
      ].join('\n'),
    );
    const r = service();
    await r.call('startSession', {
      config: oneDay({ strategy: { file: 'resting.ts' } }),
      startAt: Date.parse('2024-03-04T15:00:00Z'),
    });
    const before = await r.call<SessionSnapshot>('snapshot');
    const orders = before.trading?.orders ?? [];
    expect(orders.map((o) => [o.symbol, o.side, o.type, o.qty, o.price, o.stop, o.status])).toEqual(
      [
        ['AAPL', 'buy', 'limit', 10, 1, null, 'working'],
        ['AAPL', 'sell', 'stop', 5, null, 1, 'working'],
      ],
    );
    const limitId = orders[0]!.id;
    await expect(r.call('cancelOrder', { orderId: limitId })).resolves.toEqual({ cancelled: true });
    await expect(r.call('cancelOrder', { orderId: limitId })).resolves.toEqual({
      cancelled: false,
    });
    await expect(r.call('cancelOrder', { orderId: 'x' })).rejects.toBeInstanceOf(ApiRequestError);
    await expect(r.call('cancelOrder', { orderId: -1 })).rejects.toBeInstanceOf(ApiRequestError);
    const after = await r.call<SessionSnapshot>('snapshot');
    expect(after.trading?.orders?.map((o) => o.type)).toEqual(['stop']);
    expect(after.trading?.fills).toEqual([]);
    await r.call('controlSession', { action: 'stop' });
    await expect(r.call('cancelOrder', { orderId: orders[1]!.id })).rejects.toThrow(
      /needs a replay that is paused or playing/,
    );
  });

  it('refuses a bad strategy or params with the file named, keeping the running session', async () => {
    const r = service();
    await r.call('startSession', { config: oneDay() });
    const bad = r.call('startSession', {
      config: oneDay({ strategy: { file: 'ema-crossover.ts', params: { fast: 'x' } } }),
    });
    await expect(bad).rejects.toMatchObject({
      issues: ['ema-crossover.ts: strategy.params.fast: expected a number, got a string'],
    });
    await expect(
      r.call('startSession', { config: oneDay({ strategy: { file: '../configs/demo.json' } }) }),
    ).rejects.toBeInstanceOf(ApiRequestError);
    const snap = await r.call<SessionSnapshot>('snapshot');
    expect(snap.status.state).toBe('paused');
  });

  it('ends the session with file and line when the strategy throws', async () => {
    writeFileSync(
      join(demoData(), 'strategies', 'thrower.ts'),
      "let n = 0;\nexport default {\n  onBar() {\n    if (++n === 100) throw new Error('boom');\n  },\n};\n",
    );
    const r = service();
    await r.call('startSession', { config: oneDay({ strategy: { file: 'thrower.ts' } }) });
    await r.call('controlSession', { action: 'play' });
    const last = await r.until(finished);
    expect(last.status.state).toBe('error');
    expect(last.status.error).toBe('thrower.ts:4:28: Error: boom (in onBar)');
  });
});
