import { describe, expect, it } from 'vitest';
import {
  detectHeaderless,
  detectMapping,
  misTypedColumns,
  type SourceColumn,
} from '../../../src/main/storage/import/detect-columns';

const num = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, type: 'number' }));
const text = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, type: 'text' }));

describe('detectMapping', () => {
  it.each([
    [
      ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
      'timestamp',
      ['open', 'high', 'low', 'close', 'volume'],
    ],
    [['t', 'o', 'h', 'l', 'c', 'v'], 't', ['o', 'h', 'l', 'c', 'v']],
    [
      ['Time', 'Open', 'High', 'Low', 'Close', 'Vol'],
      'Time',
      ['Open', 'High', 'Low', 'Close', 'Vol'],
    ],
    [
      ['ts_event', 'OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME'],
      'ts_event',
      ['OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME'],
    ],
    [
      ['window_start', 'open', 'high', 'low', 'close', 'volume'],
      'window_start',
      ['open', 'high', 'low', 'close', 'volume'],
    ],
  ])('maps bar columns %j', (names, timestamp, fields) => {
    const { mapping, missing } = detectMapping(num(...names));
    expect(missing).toEqual([]);
    expect(mapping).toEqual({
      timestamp,
      kind: 'bars',
      fields: {
        open: fields[0],
        high: fields[1],
        low: fields[2],
        close: fields[3],
        volume: fields[4],
      },
    });
  });

  it.each([
    [['ts_recv', 'bid_px_00', 'ask_px_00', 'bid_sz_00', 'ask_sz_00']],
    [['datetime', 'bidPrice', 'askPrice', 'bidSize', 'askSize']],
    [['timestamp', 'bid_price', 'ask_price', 'bid_size', 'ask_size']],
  ])('maps quote columns %j', (names) => {
    const { mapping } = detectMapping(num(...names));
    expect(mapping?.kind).toBe('quotes');
    expect(mapping?.timestamp).toBe(names[0]);
    expect(mapping?.fields).toEqual({
      bid: names[1],
      ask: names[2],
      bid_size: names[3],
      ask_size: names[4],
    });
  });

  it('maps quotes without sizes (the sizes are optional)', () => {
    const { mapping, missing } = detectMapping(num('timestamp', 'bid', 'ask'));
    expect(missing).toEqual([]);
    expect(mapping).toEqual({
      timestamp: 'timestamp',
      kind: 'quotes',
      fields: { bid: 'bid', ask: 'ask' },
    });
  });

  it.each([
    [['time', 'price', 'size'], { price: 'price', size: 'size' }],
    [['timestamp', 'trade_id', 'price', 'quantity'], { price: 'price', size: 'quantity' }],
    [['ts', 'last', 'qty'], { price: 'last', size: 'qty' }],
  ])('maps tick columns %j', (names, fields) => {
    const { mapping } = detectMapping(num(...names));
    expect(mapping?.kind).toBe('ticks');
    expect(mapping?.fields).toEqual(fields);
  });

  it('prefers bars over quotes over ticks when a file has several sets', () => {
    expect(
      detectMapping(num('ts', 'open', 'high', 'low', 'close', 'volume', 'bid', 'ask')).mapping
        ?.kind,
    ).toBe('bars');
    expect(detectMapping(num('ts', 'bid', 'ask', 'price', 'size')).mapping?.kind).toBe('quotes');
  });

  it('joins a Date and a Time column', () => {
    const columns = [...text('Date', 'Time'), ...num('Open', 'High', 'Low', 'Close', 'Volume')];
    expect(detectMapping(columns).mapping?.timestamp).toEqual({ date: 'Date', time: 'Time' });
  });

  it('takes a text symbol column, never a numeric one', () => {
    const columns = [...num('ts', 'price', 'size'), ...text('ticker')];
    expect(detectMapping(columns).mapping?.symbol).toBe('ticker');
    const numericId = num('ts', 'instrument_id', 'price', 'size');
    expect(detectMapping(numericId).mapping?.symbol).toBeUndefined();
    expect(detectMapping([...num('ts', 'price'), ...text('instrument_id')]).mapping?.symbol).toBe(
      'instrument_id',
    );
  });

  it('says what is missing', () => {
    const { mapping, missing } = detectMapping(num('when', 'open', 'high', 'low', 'close'));
    expect(mapping).toBeUndefined();
    expect(missing.join('; ')).toMatch(/a timestamp column \(timestamp, ts, time/);
    // Volume is optional (FX and index bars often have none).
    const noVolume = detectMapping(num('ts', 'open', 'high', 'low', 'close'));
    expect(noVolume.missing).toEqual([]);
    expect(noVolume.mapping?.fields).toEqual({
      open: 'open',
      high: 'high',
      low: 'low',
      close: 'close',
    });
    expect(detectMapping(num('ts', 'bid')).missing.join()).toMatch(/price columns/);
    expect(detectMapping(num('ts', 'foo')).missing.join()).toMatch(/price columns/);
  });

  it('ignores text columns for numeric fields', () => {
    const columns = [...num('ts', 'price'), ...text('size')];
    expect(detectMapping(columns).mapping?.fields).toEqual({ price: 'price' });
  });
});

describe('headerless files', () => {
  const named = (types: SourceColumn['type'][]) =>
    types.map((type, i) => ({ name: `column${i + 1}`, type }));

  it('guesses the kline layout: timestamp, open, high, low, close, volume', () => {
    const guess = detectHeaderless(
      named(['number', 'number', 'number', 'number', 'number', 'number', 'number']),
    );
    expect(guess.mapping).toEqual({
      timestamp: 'column1',
      kind: 'bars',
      fields: {
        open: 'column2',
        high: 'column3',
        low: 'column4',
        close: 'column5',
        volume: 'column6',
      },
    });
    expect(
      detectHeaderless(named(['text', 'number', 'number', 'number', 'number', 'number'])).mapping
        ?.timestamp,
    ).toBe('column1');
  });

  it('guesses nothing for other layouts', () => {
    expect(detectHeaderless(named(['number', 'number', 'number'])).mapping).toBeUndefined();
    expect(
      detectHeaderless(named(['number', 'text', 'number', 'number', 'number', 'number'])).missing,
    ).toEqual(['a header row naming the columns (or a mapping: column1, column2, ...)']);
  });

  it('names columns that fit a field but are no numbers', () => {
    const columns: SourceColumn[] = [
      { name: 'open', type: 'other' },
      { name: 'close', type: 'other' },
      { name: 'ts_event', type: 'number' },
      { name: 'note', type: 'text' },
    ];
    expect(misTypedColumns(columns)).toEqual(['open', 'close']);
  });
});
