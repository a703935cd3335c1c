/** How a results cell reads: infinities as signs, NaN as a dash, figures without float noise. */
import { describe, expect, it } from 'vitest';
import { formatCell } from '../../src/renderer/src/components/sweep/sweep-format';

describe('formatCell', () => {
  it('shows figures that are not finite, apart from a missing one', () => {
    expect(formatCell(Infinity)).toBe('∞');
    expect(formatCell(-Infinity)).toBe('−∞');
    expect(formatCell(NaN)).toBe('—');
    expect(formatCell(null)).toBe('');
    expect(formatCell(undefined)).toBe('');
  });

  it('rounds finite figures by their size and keeps text as it is', () => {
    expect(formatCell(37.000000001)).toBe('37');
    expect(formatCell(1234.56)).toBe('1234.6');
    expect(formatCell(0.123456)).toBe('0.1235');
    expect(formatCell(-2)).toBe('-2');
    expect(formatCell('2024-03-04')).toBe('2024-03-04');
    expect(formatCell(true)).toBe('true');
  });
});
