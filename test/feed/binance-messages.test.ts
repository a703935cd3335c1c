/**
 * The Binance message parser: small inline frames that always run, then every line of the
 * real capture, checked against the counts and spans its SOURCE.txt lists and against values
 * read straight from the JSON.
 */
import { describe, expect, it } from 'vitest';
import {
  parseCombinedMessage,
  parseRestKlines,
} from '../../src/main/feed/binance/binance-messages';
import { outsideData } from '../outside-data';
import { capturedTrades, klineMessage, readCapture } from './capture';

const BOOK =
  '{"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}';
const TRADE =
  '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
const BAR = { start: 1723161255000, open: 10, high: 12, low: 9, close: 11, volume: 0.5 };

describe('Binance messages: inline frames', () => {
  it('a bookTicker is a quote stamped with the receive time (it has no exchange time)', () => {
    expect(parseCombinedMessage(BOOK, 1723161254087)).toEqual({
      kind: 'quote',
      stream: 'btcusdt@bookTicker',
      symbol: 'BTCUSDT',
      time: 1723161254087,
      bid: 61837.63,
      ask: 61837.64,
      bidSize: 3.78826,
      askSize: 1.54698,
      updateId: 50093239212,
    });
  });

  it('a trade is a tick stamped with the trade time T', () => {
    expect(parseCombinedMessage(TRADE, 1)).toMatchObject({
      kind: 'tick',
      time: 1723161255342,
      price: 61837.63,
      size: 0.02,
      tradeId: 3735683259,
      eventTime: 1723161255343,
    });
  });

  it('a closed kline is a bar stamped at its start; one still forming is not a bar', () => {
    expect(parseCombinedMessage(klineMessage('BTCUSDT', BAR), 0)).toMatchObject({
      kind: 'bar',
      stream: 'btcusdt@kline_1s',
      interval: '1s',
      ...BAR,
    });
    expect(parseCombinedMessage(klineMessage('BTCUSDT', BAR, false), 0)).toEqual({
      kind: 'open-bar',
      stream: 'btcusdt@kline_1s',
    });
  });

  it('bad frames are results naming the stream and field, never exceptions', () => {
    const broken = BOOK.replace('"61837.63000000"', '"abc"');
    expect(parseCombinedMessage(broken, 0)).toEqual({
      kind: 'bad',
      stream: 'btcusdt@bookTicker',
      reason: 'b: expected a decimal string',
    });
    expect(parseCombinedMessage('{"stream":"btcusdt@trade"', 0)).toMatchObject({
      kind: 'bad',
      stream: '(unknown)',
    });
    expect(parseCombinedMessage('{"lastUpdateId":1,"bids":[],"asks":[]}', 0)).toMatchObject({
      kind: 'bad',
      reason: expect.stringContaining('no combined-stream envelope'),
    });
    expect(parseCombinedMessage(TRADE.replace('"T":1723161255342', '"T":-5'), 0)).toMatchObject({
      kind: 'bad',
      stream: 'btcusdt@trade',
      reason: expect.stringMatching(/^T: /),
    });
    const inverted = klineMessage('BTCUSDT', { ...BAR, high: 8 });
    expect(parseCombinedMessage(inverted, 0)).toMatchObject({
      kind: 'bad',
      reason: 'high 8 is below low 9',
    });
    expect(parseCombinedMessage('null', 0)).toMatchObject({ kind: 'bad' });
  });

  it('streams Tapedeck does not use are "other", not bad', () => {
    expect(
      parseCombinedMessage('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate"}}', 0),
    ).toEqual({ kind: 'other', stream: 'btcusdt@depth@100ms' });
  });

  it('REST kline rows: parsed, and a bad row is refused naming its index and field', () => {
    const row = [1000, '1.0', '2.0', '0.5', '1.5', '3.0', 1999, '0', 1, '0', '0', '0'];
    expect(parseRestKlines([row], 'k')).toEqual([
      { start: 1000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
    ]);
    expect(() => parseRestKlines([row, [2000, 'x']], 'k')).toThrow(/^k: row 1: 1: /);
    expect(() => parseRestKlines({ code: -1121 }, 'k')).toThrow('k: expected an array of klines');
    const lowAboveOpen = [1000, '1.0', '2.0', '1.2', '1.5', '3.0', 1999];
    expect(() => parseRestKlines([lowAboveOpen], 'k')).toThrow(
      'k: row 0: low 1.2 is above open 1 or close 1.5',
    );
  });
});

const DIR = 'real/hftbacktest-binance-btcusdt-spot';
const capture = outsideData(DIR);

describe.skipIf(capture.path === null)(
  `Binance messages: the real capture${capture.reason ? ` (${capture.reason})` : ''}`,
  () => {
    // SOURCE.txt's counts per file: bookTicker, trade, depth, frames without an envelope.
    const expected = {
      'btcusdt_20240808.gz': { quote: 28_040, tick: 9_757, other: 3_451, bad: 1 },
      'btcusdt_20240809.gz': { quote: 45_134, tick: 10_147, other: 3_044, bad: 0 },
    };
    for (const [file, counts] of Object.entries(expected)) {
      it(`${file}: every line parses to the kind and count SOURCE.txt lists`, () => {
        const lines = readCapture(`${capture.path}/${file}`);
        const seen = { quote: 0, tick: 0, other: 0, bad: 0, bar: 0, 'open-bar': 0 };
        const parsedTrades = [];
        let lastQuote = -Infinity;
        for (const line of lines) {
          const m = parseCombinedMessage(line.text, line.receivedMs);
          seen[m.kind]++;
          if (m.kind === 'tick') parsedTrades.push(m);
          if (m.kind === 'quote') {
            expect(m.time).toBe(line.receivedMs);
            expect(m.bid).toBeLessThanOrEqual(m.ask);
            lastQuote = m.time;
          }
        }
        expect(seen).toEqual({ ...counts, bar: 0, 'open-bar': 0 });
        expect(lastQuote).toBeGreaterThan(0);
        // Values against the JSON read directly, trade by trade.
        const raw = capturedTrades(lines);
        expect(parsedTrades.map((t) => [t.time, t.price, t.size, t.tradeId])).toEqual(
          raw.map((t) => [t.T, t.p, t.q, t.t]),
        );
      });
    }

    it('trade times span what SOURCE.txt says, and the collector ran behind Binance', () => {
      const lines = [
        ...readCapture(`${capture.path}/btcusdt_20240808.gz`),
        ...readCapture(`${capture.path}/btcusdt_20240809.gz`),
      ];
      let first = Infinity;
      let last = -Infinity;
      let behind = 0;
      let trades = 0;
      for (const line of lines) {
        const m = parseCombinedMessage(line.text, line.receivedMs);
        if (m.kind !== 'tick') continue;
        trades++;
        first = Math.min(first, m.time);
        last = Math.max(last, m.time);
        if (line.receivedMs < m.time) behind++;
      }
      expect(new Date(first).toISOString()).toBe('2024-08-08T23:54:15.342Z');
      expect(new Date(last).toISOString()).toBe('2024-08-09T00:05:05.800Z');
      // "Negative latency": local receive time is before the exchange's trade time in every row.
      expect(behind).toBe(trades);
    });
  },
);
