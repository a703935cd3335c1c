import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  BarColumns,
  QuoteColumns,
  SessionSnapshot,
  SessionStatus,
  SessionUpdate,
} from '../../src/shared/ipc-contract';
import type { Interval } from '../../src/shared/interval';
import { ApiRequestError } from '../../src/main/service/api-error';
import { demoConfig, finished, recorder, type Recorder } from './service-helpers';

const OPEN_4TH = Date.parse('2024-03-04T14:30:00Z'); // 09:30 New York
const SECOND = 1000;

let open: Recorder[] = [];
function service(options: Parameters<typeof recorder>[0] = {}): Recorder {
  const r = recorder(options);
  open.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(open.map((r) => r.service.close()));
  open = [];
});

function barCount(update: SessionUpdate, symbol: string, interval: Interval): number {
  return update.bars[symbol]?.[interval]?.time.length ?? 0;
}

function concat(parts: BarColumns[]): BarColumns {
  const out: BarColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const part of parts) {
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume', 'baseBars'] as const) {
      const column = part[key];
      if (column) (out[key] ??= []).push(...column);
    }
  }
  return out;
}

describe('SessionService replay', () => {
  it('starts paused, plays flat out at speed 0, and batches updates per frame', async () => {
    const r = service();
    const snapshot = await r.call<SessionSnapshot>('startSession', { config: demoConfig() });
    expect(snapshot.status.state).toBe('paused');
    expect(snapshot.info?.symbols.map((s) => [s.symbol, s.baseInterval])).toEqual([
      ['AAPL', '1s'],
      ['RIVN', '1m'],
      ['TSLA', '1s'],
    ]);
    expect(snapshot.info?.symbols[1]?.derivedIntervals).toEqual(['5m', '15m']);
    expect(snapshot.info!.rangeStart).toBe(OPEN_4TH);
    expect(snapshot.info!.rangeEnd).toBe(Date.parse('2024-03-05T21:00:00Z'));
    expect(snapshot.status.run).toMatchObject({ daysDone: 0, daysTotal: 2 });
    // The app's charts fetch a series before they are pushed its bars.
    for (const s of snapshot.info!.symbols) {
      for (const interval of [s.baseInterval, ...s.derivedIntervals]) {
        await r.call('getBars', { symbol: s.symbol, interval });
      }
    }

    await r.call('setSpeed', { speed: 0 });
    await r.call('controlSession', { action: 'play' });
    const last = await r.until(finished);
    expect(last.status.state).toBe('done');
    expect(last.status.progress).toBe(1);
    expect(last.status.run).toMatchObject({ daysDone: 2, daysTotal: 2 });

    const events = last.status.events;
    // Coalesced per frame: far fewer updates than items, never one per item. (At most one a
    // frame, so even a run slowed to a minute by a loaded machine stays under this bound.)
    expect(r.updates.length).toBeGreaterThan(0);
    expect(r.updates.length).toBeLessThan(events / 100);
    const final = await r.call<SessionSnapshot>('snapshot');
    for (const stat of final.stats) {
      const base = stat.baseInterval!;
      const sent = r.updates.reduce((n, u) => n + barCount(u, stat.symbol, base), 0);
      expect(sent, stat.symbol).toBe(stat.bars);
      for (const [interval, count] of Object.entries(stat.derivedCounts)) {
        const derived = r.updates.reduce(
          (n, u) => n + barCount(u, stat.symbol, interval as Interval),
          0,
        );
        expect(derived, `${stat.symbol} ${interval}`).toBe(count);
      }
    }
    // Stats ride along only now and then, and always with the last update.
    expect(last.stats).toBeDefined();
    expect(last.stats?.find((s) => s.symbol === 'AAPL')?.gaps.length).toBeGreaterThan(0);
    expect(final.queueText[0]).toMatch(/^AAPL \| 1s: \d+ items/);
  });

  it('steps exactly one base interval per step, quotes or not', async () => {
    const r = service();
    await r.call('startSession', { config: demoConfig() });
    const clocks: number[] = [];
    for (let i = 0; i < 6; i++) {
      const status = await r.call<SessionStatus>('controlSession', { action: 'step' });
      expect(status.state).toBe('paused');
      clocks.push(status.clock!);
    }
    // The first step lands on the first bar close; each later one a second on.
    expect(clocks[0]).toBe(OPEN_4TH + SECOND);
    expect(clocks.slice(1).map((c, i) => c - clocks[i]!)).toEqual(
      [1, 1, 1, 1, 1].map(() => SECOND),
    );
    // Every symbol's bar of that second is in: AAPL and TSLA both have six 1s bars.
    const aapl = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '1s' });
    const tsla = await r.call<BarColumns>('getBars', { symbol: 'TSLA', interval: '1s' });
    expect(aapl.time).toHaveLength(6);
    expect(tsla.time).toHaveLength(6);
    // The quotes of those seconds came along too.
    const quotes = await r.call<QuoteColumns>('getQuotes', { symbol: 'AAPL' });
    expect(quotes.time.length).toBeGreaterThan(0);
    expect(Math.max(...quotes.time)).toBeLessThanOrEqual(clocks[5]!);
  });

  it('steps one bar of the symbol asked for', async () => {
    const r = service();
    await r.call('startSession', { config: demoConfig(), startAt: OPEN_4TH + 10 * 60_000 });
    const a = await r.call<SessionStatus>('controlSession', { action: 'step', symbol: 'RIVN' });
    const b = await r.call<SessionStatus>('controlSession', { action: 'step', symbol: 'RIVN' });
    expect([a.clock, b.clock]).toEqual([OPEN_4TH + 11 * 60_000, OPEN_4TH + 12 * 60_000]);
    const c = await r.call<SessionStatus>('controlSession', { action: 'step' });
    expect(c.clock).toBe(b.clock! + SECOND);
    await expect(r.call('controlSession', { action: 'step', symbol: 'NOPE' })).rejects.toThrow(
      /NOPE has no bar stream/,
    );
  });

  it('steps one minute when the finest bar stream is 1m', async () => {
    const r = service();
    const config = {
      ...demoConfig(),
      data_streams: [
        { type: 'bars', symbol: 'RIVN', interval: '1m' },
        { type: 'quotes', symbol: 'RIVN' },
      ],
    };
    await r.call('startSession', { config, startAt: OPEN_4TH + 10 * 60_000 });
    const a = await r.call<SessionStatus>('controlSession', { action: 'step' });
    const b = await r.call<SessionStatus>('controlSession', { action: 'step' });
    expect(b.clock! - a.clock!).toBe(60_000);
  });

  it('pause holds the clock, play goes on from it, stop ends the session', async () => {
    const r = service();
    await r.call('startSession', { config: demoConfig() });
    await r.call('setSpeed', { speed: 3600 });
    await r.call('controlSession', { action: 'play' });
    await r.until((u) => u.status.events > 0);
    const paused = await r.call<SessionStatus>('controlSession', { action: 'pause' });
    expect(paused.state).toBe('paused');
    // Let the event loop run a while: nothing may move.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const still = (await r.call<SessionSnapshot>('snapshot')).status;
    expect([still.state, still.clock, still.events]).toEqual([
      'paused',
      paused.clock,
      paused.events,
    ]);
    const playing = await r.call<SessionStatus>('controlSession', { action: 'play' });
    expect(playing.state).toBe('running');
    expect(playing.clock).toBeGreaterThanOrEqual(paused.clock!);
    const stopped = await r.call<SessionStatus>('controlSession', { action: 'stop' });
    expect(stopped.state).toBe('stopped');
    const after = await r.call<SessionStatus>('controlSession', { action: 'play' });
    expect(after.state).toBe('stopped');
    // What was replayed stays readable.
    const bars = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '1s' });
    expect(bars.time.length).toBeGreaterThan(0);
  });

  it('startAt loads the history first and pushes none of it', async () => {
    const r = service();
    const startAt = OPEN_4TH + 60 * 60_000; // 10:30
    const snapshot = await r.call<SessionSnapshot>('startSession', {
      config: demoConfig(),
      startAt,
    });
    expect(snapshot.status.state).toBe('paused');
    expect(snapshot.status.clock).toBe(startAt);
    const bars = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '1s' });
    // An hour of 1s bars, less the demo's deliberate 10:15–10:17 gap.
    expect(bars.time).toHaveLength(3600 - 120);
    expect(bars.time.at(-1)! + SECOND).toBe(startAt);
    const fiveMinutes = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '5m' });
    // The bucket ending at startAt itself still forms until time moves past it (an item of
    // that instant may yet come), so it is in the snapshot's forming bars.
    expect(fiveMinutes.time).toHaveLength(11);
    expect(snapshot.forming?.AAPL?.['5m']).toMatchObject({
      time: startAt - 300_000,
      baseBars: 300,
    });
    await r.call('controlSession', { action: 'step' });
    const next = r.updates.at(-1)!;
    expect(next.bars.AAPL?.['1s']?.time).toEqual([startAt]);
    expect(
      r.updates.every((u) => (u.bars.AAPL?.['1s']?.time ?? []).every((t) => t >= startAt)),
    ).toBe(true);
  });

  it('a snapshot and getBars after N updates equal the history plus those updates', async () => {
    const r = service({ frame: { maxQuotesPerFrame: Infinity } });
    const startAt = OPEN_4TH + 30 * 60_000;
    const snapshot = await r.call<SessionSnapshot>('startSession', {
      config: demoConfig(),
      startAt,
    });
    const series = snapshot.info!.symbols.flatMap((s) =>
      [s.baseInterval!, ...s.derivedIntervals].map((interval) => ({ symbol: s.symbol, interval })),
    );
    const history = new Map<string, BarColumns>();
    for (const { symbol, interval } of series) {
      history.set(
        `${symbol} ${interval}`,
        await r.call<BarColumns>('getBars', { symbol, interval }),
      );
    }
    const quotes0 = await r.call<QuoteColumns>('getQuotes', { symbol: 'AAPL' });
    await r.call('setSpeed', { speed: 0 });
    await r.call('controlSession', { action: 'play' });
    await r.until((u) => u.status.events > snapshot.status.events + 20_000 || finished(u));
    await r.call('controlSession', { action: 'pause' });
    const updates = r.updates;
    expect(updates.length).toBeGreaterThan(1);
    for (const { symbol, interval } of series) {
      const sent = updates.map((u) => u.bars[symbol]?.[interval]).filter((b) => b !== undefined);
      const expected = concat([history.get(`${symbol} ${interval}`)!, ...sent]);
      const now = await r.call<BarColumns>('getBars', { symbol, interval });
      expect(now, `${symbol} ${interval}`).toEqual(expected);
    }
    const quotes = await r.call<QuoteColumns>('getQuotes', { symbol: 'AAPL' });
    const sentQuotes = updates.flatMap((u) => u.quotes.AAPL?.time ?? []);
    expect(quotes.time).toEqual([...quotes0.time, ...sentQuotes]);
    // The forming bars: the last one each update said is the one the snapshot has.
    const resync = await r.call<SessionSnapshot>('snapshot');
    for (const { symbol, interval } of series) {
      const said = updates.map((u) => u.forming[symbol]).filter((f) => f && interval in f);
      const latest =
        said.length > 0 ? said.at(-1)![interval] : snapshot.forming?.[symbol]?.[interval];
      if (latest !== undefined)
        expect(resync.forming?.[symbol]?.[interval] ?? null).toEqual(latest);
    }
    expect(resync.status.clock).toBe(updates.at(-1)!.status.clock);
  });

  it('derives bars as time buckets of the base bars', async () => {
    const r = service();
    await r.call('startSession', { config: demoConfig(), startAt: OPEN_4TH + 90 * 60_000 });
    const base = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '1s' });
    const derived = await r.call<BarColumns>('getBars', { symbol: 'AAPL', interval: '5m' });
    expect(derived.time).toHaveLength(17);
    derived.time.forEach((start, i) => {
      const rows = base.time.flatMap((t, j) => (t >= start && t < start + 300_000 ? [j] : []));
      expect(derived.baseBars![i]).toBe(rows.length);
      expect(derived.open[i]).toBe(base.open[rows[0]!]);
      expect(derived.close[i]).toBe(base.close[rows.at(-1)!]);
      expect(derived.high[i]).toBe(Math.max(...rows.map((j) => base.high[j]!)));
      expect(derived.low[i]).toBe(Math.min(...rows.map((j) => base.low[j]!)));
    });
    // The bucket holding the 10:15–10:17 gap is partial, and says so.
    expect(derived.baseBars![9]).toBe(300 - 120);
    await expect(r.call('getBars', { symbol: 'RIVN', interval: '1m' })).resolves.toMatchObject({
      time: expect.any(Array),
    });
    await expect(r.call('getBars', { symbol: 'AAPL', interval: '1h' })).rejects.toThrow(
      /AAPL has no 1h bars/,
    );
    await expect(r.call('getBars', { symbol: 'MSFT', interval: '1m' })).rejects.toThrow(
      /MSFT is not in this session/,
    );
  });

  it('draws the quality strip by minute, with the gaps missing', async () => {
    const r = service();
    await r.call('startSession', { config: demoConfig(), startAt: OPEN_4TH + 60 * 60_000 });
    const strip = await r.call<{ minutes: number[]; states: number[] }>('qualityStrip', {
      symbol: 'AAPL',
    });
    expect(strip.minutes).toHaveLength(60);
    const missing = strip.minutes.filter((_, i) => strip.states[i] === 0);
    expect(missing).toEqual([OPEN_4TH + 45 * 60_000, OPEN_4TH + 46 * 60_000]);
    expect(strip.states.filter((s) => s === 1)).toHaveLength(58);
  });
});

describe('SessionService requests', () => {
  it('refuses invalid payloads with the schema issues', async () => {
    const r = service();
    const refused = async (method: string, payload: unknown): Promise<ApiRequestError> => {
      const error = await r.call(method, payload).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `${method} ${JSON.stringify(payload)}`).toBeInstanceOf(ApiRequestError);
      return error as ApiRequestError;
    };
    expect((await refused('setSpeed', { speed: -1 })).issues?.[0]).toMatch(/^speed: /);
    expect((await refused('controlSession', { action: 'rewind' })).issues?.[0]).toMatch(
      /^action: /,
    );
    expect((await refused('getBars', { symbol: 'AAPL', interval: '7m' })).issues?.[0]).toMatch(
      /^interval: /,
    );
    expect((await refused('startSession', { config: {}, extra: 1 })).issues?.join()).toMatch(
      /extra/,
    );
    expect((await refused('appInfo', { please: true })).message).toBe('Invalid appInfo request');
    expect((await refused('rm -rf', {})).message).toMatch(/Unknown request/);
    expect((await refused('toString', undefined)).message).toMatch(/Unknown request/);
    expect((await refused('controlSession', { action: 'play' })).message).toMatch(/No session/);
  });

  it('refuses a config with problems, naming each, and a session whose data is missing', async () => {
    const r = service();
    const config = demoConfig();
    await r.call('startSession', { config });
    const bad = {
      ...config,
      data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '5m' }],
    };
    const check = await r.call<{ ok: boolean; problems: Array<{ message: string }> }>(
      'validateConfig',
      { config: bad },
    );
    expect(check.ok).toBe(false);
    expect(check.problems[0]!.message).toMatch(/Invalid bar interval: 5m/);
    const error = (await r
      .call('startSession', { config: bad })
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(error.issues?.join('\n')).toMatch(/Invalid bar interval: 5m/);

    const missing = { ...config, data_streams: [{ type: 'bars', symbol: 'NOPE', interval: '1m' }] };
    const refused = (await r
      .call('startSession', { config: missing })
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(refused.message).toBe('The session cannot start');
    expect(refused.issues?.join('\n')).toMatch(/NOPE/);
    expect(r.logs.some((l) => l.level === 'error' && /NOPE/.test(l.message))).toBe(true);
    // The session that was running is still there: a refused start replaces nothing.
    const after = await r.call<SessionSnapshot>('snapshot');
    expect([after.info?.sessionName, after.status.state]).toEqual(['demo', 'paused']);
  });

  it('lists, saves and loads configs by file name, and refuses paths', async () => {
    const r = service();
    expect(await r.call('listConfigs')).toEqual(['demo.json']);
    const saved = await r.call<{ path: string }>('saveConfig', {
      name: 'copy 1.json',
      config: demoConfig(),
    });
    expect(saved.path.endsWith('/configs/copy 1.json')).toBe(true);
    expect(await r.call('listConfigs')).toEqual(['copy 1.json', 'demo.json']);
    expect(await r.call('loadConfig', { name: 'copy 1.json' })).toEqual(demoConfig());
    for (const name of [
      '../evil.json',
      '/etc/passwd.json',
      '..\\evil.json',
      'a/b.json',
      '.json',
      'x.txt',
    ]) {
      const error = (await r
        .call('saveConfig', { name, config: demoConfig() })
        .catch((e: unknown) => e)) as ApiRequestError;
      expect(error, name).toBeInstanceOf(ApiRequestError);
      expect(error.issues?.[0], name).toMatch(/^name: /);
      const load = (await r
        .call('loadConfig', { name })
        .catch((e: unknown) => e)) as ApiRequestError;
      expect(load, name).toBeInstanceOf(ApiRequestError);
    }
    const invalid = (await r
      .call('saveConfig', { name: 'bad.json', config: { session_name: 1 } })
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(invalid.message).toMatch(/not saved/);
    expect(await r.call('listConfigs')).not.toContain('bad.json');
    await expect(r.call('loadConfig', { name: 'absent.json' })).rejects.toThrow(/cannot read/);
  });

  it('answers appInfo with the demo config by default', async () => {
    const r = service();
    const info = await r.call<{ host: string; defaultConfigName: string; defaultConfig: unknown }>(
      'appInfo',
    );
    expect(info.host).toBe('browser');
    expect(info.defaultConfigName).toBe('demo.json');
    expect(info.defaultConfig).toEqual(demoConfig());
  });
});

describe('SessionService memory of the last session', () => {
  it('offers the last started config next time, before the demo one', async () => {
    const lastSessionFile = join(
      mkdtempSync(join(tmpdir(), 'tapedeck-user-')),
      'last-session.json',
    );
    const first = service({ lastSessionFile, host: 'electron' });
    const mine = { ...demoConfig(), session_name: 'mine' };
    await first.call('startSession', { config: mine });
    await first.service.close();
    const next = service({ lastSessionFile, host: 'electron' });
    const info = await next.call<{ defaultConfig: unknown; defaultConfigName: string | null }>(
      'appInfo',
    );
    expect(info.defaultConfig).toEqual(mine);
    expect(info.defaultConfigName).toBeNull();
  });
});
