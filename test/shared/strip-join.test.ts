import { describe, expect, it } from 'vitest';
import { joinStrip } from '../../src/shared/strip-join';

describe('joining quality strip replies', () => {
  it('joins a strip reply to the final cells held', () => {
    const held = { symbol: 'X', offset: 0, final: 2, minutes: [0, 1, 2], states: [1, 0, 0] };
    // The reply starts after the two final cells: the third, open one is replaced.
    expect(
      joinStrip(held, { symbol: 'X', offset: 2, final: 3, minutes: [2, 3], states: [2, 1] }),
    ).toEqual({ symbol: 'X', offset: 0, final: 3, minutes: [0, 1, 2, 3], states: [1, 0, 2, 1] });
    // A whole strip replaces what is held.
    const whole = { symbol: 'X', offset: 0, final: 1, minutes: [5], states: [3] };
    expect(joinStrip(held, whole)).toBe(whole);
    // A reply past the final cells held cannot be joined: nothing held is called final then,
    // so the next request asks for the whole strip.
    const past = { symbol: 'X', offset: 3, final: 4, minutes: [3], states: [1] };
    expect(joinStrip(held, past)).toEqual({ ...held, final: 0 });
    expect(joinStrip(undefined, past)).toEqual({
      symbol: 'X',
      offset: 0,
      final: 0,
      minutes: [],
      states: [],
    });
  });
});
