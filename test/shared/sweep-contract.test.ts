/**
 * Results cells through JSON, as the browser's WebSocket carries them: Infinity, -Infinity and
 * NaN come back as themselves (plain JSON makes all three null), and nothing else changes.
 */
import { describe, expect, it } from 'vitest';
import { fromWireRows, toWireCell, type SweepCell } from '../../src/shared/sweep-contract';

const throughJson = (rows: SweepCell[][]): unknown[] =>
  JSON.parse(JSON.stringify(rows.map((row) => row.map(toWireCell)))) as unknown[];

describe('sweep result cells on the wire', () => {
  it('carries non-finite figures and leaves every other cell as it was', () => {
    const rows: SweepCell[][] = [
      ['a1', 5, 'Infinity', true, null, Infinity, -Infinity, NaN, 0, -0.5, 1e300],
      ['b2', 'NaN', false, '', 3, 2.25, -7, 1, Number.MAX_VALUE, -Number.MIN_VALUE, 42],
    ];
    const back = fromWireRows(throughJson(rows));
    expect(back).toHaveLength(2);
    back.forEach((row, r) => {
      expect(row).toHaveLength(rows[r]!.length);
      // Object.is tells NaN from null and Infinity from its string.
      row.forEach((cell, c) => expect(Object.is(cell, rows[r]![c])).toBe(true));
    });
    // The oracle of the bug: JSON alone loses them.
    expect(JSON.parse(JSON.stringify([Infinity, -Infinity, NaN]))).toEqual([null, null, null]);
  });

  it('spells each one out', () => {
    expect([Infinity, -Infinity, NaN].map(toWireCell)).toEqual([
      { non_finite: 'Infinity' },
      { non_finite: '-Infinity' },
      { non_finite: 'NaN' },
    ]);
  });

  it('leaves out a row that is not a row of cells, and keeps the rest', () => {
    const back = fromWireRows([
      ['ok', 1],
      'not a row',
      ['bad', { non_finite: 'Huge' }],
      ['bad', { nested: [1] }],
      ['also ok', { non_finite: 'NaN' }],
    ]);
    expect(back.map((row) => row[0])).toEqual(['ok', 'also ok']);
    expect(Number.isNaN(back[1]![1])).toBe(true);
  });
});
