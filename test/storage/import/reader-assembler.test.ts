import { describe, expect, it } from 'vitest';
import {
  ChunkAssembler,
  type AssemblerSettings,
} from '../../../src/main/storage/import/chunk-assembler';
import { ProblemLog } from '../../../src/main/storage/import/import-problems';
import type { RawBatch } from '../../../src/main/storage/import/tabular-source';

const T = Date.UTC(2024, 2, 4, 14, 30);
const MIN = 60_000;

const SETTINGS: AssemblerSettings = {
  kind: 'bars',
  interval: '1m',
  stamp: 'start',
  sort: false,
  duplicates: 'drop',
  timestampColumn: 'ts',
  fieldColumns: ['o', 'h', 'l', 'c', 'v'],
  symbol: 'SPY',
  chunkRows: 2,
};

/** A batch of valid bars at the given minutes past T (rows numbered from `firstRow`). */
function batch(
  minutes: number[],
  firstRow = 1,
  symbols?: { ids: number[]; names: string[] },
): RawBatch {
  const n = minutes.length;
  const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  return {
    length: n,
    firstRow,
    timestamp: col((i) => T + minutes[i] * MIN),
    values: [col(() => 10), col(() => 11), col(() => 9), col(() => 10.5), col((i) => i)],
    ...(symbols ? { symbolIds: Int32Array.from(symbols.ids), symbolNames: symbols.names } : {}),
    raw: (row, field) => (field < 0 ? String(minutes[row]) : '10'),
    progress: 1,
  };
}

describe('ChunkAssembler', () => {
  it('hands out full chunks only when the next row arrives, counting the duplicates with them', () => {
    const log = new ProblemLog('f.csv');
    const assembler = new ChunkAssembler(SETTINGS, log);
    const first = assembler.push(batch([0, 1, 1, 1, 2, 3]));
    expect(first.map((c) => [c.length, c.duplicatesDropped])).toEqual([[2, 2]]);
    const rest = assembler.finish();
    expect(rest.map((c) => [c.length, c.duplicatesDropped])).toEqual([[2, undefined]]);
    expect(log.counts.duplicates).toBe(2);
    expect(assembler.symbols()[0].rows).toBe(4);
  });

  it('follows order and duplicates per symbol, across batches', () => {
    const log = new ProblemLog('f.csv');
    const settings = { ...SETTINGS, symbol: undefined, symbolColumn: 'sym', chunkRows: 100 };
    const assembler = new ChunkAssembler(settings, log);
    const names = ['AAA', 'bbb'];
    assembler.push(batch([0, 0, 1], 1, { ids: [0, 1, 0], names }));
    assembler.push(batch([1, 2], 4, { ids: [1, 1], names }));
    const chunks = assembler.finish();
    expect(chunks.map((c) => [c.symbol, [...c.timestamp].map((t) => (t - T) / MIN)])).toEqual([
      ['AAA', [0, 1]],
      ['BBB', [0, 1, 2]],
    ]);
    expect(log.counts).toMatchObject({ rows: 5, duplicates: 0, outOfOrder: 0 });
  });

  it('stops handing out chunks at the first refused row, but checks on to the end', () => {
    const log = new ProblemLog('f.csv');
    const assembler = new ChunkAssembler(SETTINGS, log);
    expect(assembler.push(batch([0, 1, 2]))).toHaveLength(1);
    const bad = batch([3, 4, 5, 6, 7], 4);
    bad.values[1][0] = 1; // high below low
    bad.timestamp[3] = T; // out of order
    expect(assembler.push(bad)).toEqual([]);
    expect(assembler.finish()).toEqual([]);
    expect(log.counts).toMatchObject({ rows: 8, invalid: 1, outOfOrder: 1 });
    expect(log.errors().map((p) => p.row)).toEqual([4, 7]);
  });

  it('sorts when asked, keeping the first of equal bars and naming rows after the sort', () => {
    const log = new ProblemLog('f.csv');
    const assembler = new ChunkAssembler({ ...SETTINGS, sort: true, chunkRows: 3 }, log);
    expect(assembler.push(batch([3, 1, 2, 1, 0]))).toEqual([]);
    const chunks = assembler.finish();
    expect(chunks.map((c) => [...c.timestamp].map((t) => (t - T) / MIN))).toEqual([[0, 1, 2], [3]]);
    expect(chunks[0].values[4]).toEqual(Float64Array.from([4, 1, 2]));
    expect(chunks[0].duplicatesDropped).toBe(1);
    expect(log.problems().find((p) => p.message.startsWith('duplicate'))).toMatchObject({ row: 4 });
    expect(log.counts).toMatchObject({ outOfOrder: 4, duplicates: 1 });
  });
});
