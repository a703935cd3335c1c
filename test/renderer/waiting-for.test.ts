import { describe, expect, it } from 'vitest';
import { waitText } from '../../src/renderer/src/components/toolbar/WaitingFor';

const T = Date.parse('2016-10-07T23:00:01Z');

describe('what a paced session waits for', () => {
  it('names the first item when nothing has come yet', () => {
    expect(waitText(null, T, 1, 'UTC')).toBe(
      'waiting for the first item, at 2016-10-07 23:00:01 UTC',
    );
  });
  it('says how long a long wait is at the current speed', () => {
    expect(waitText(T - 3_600_000, T, 10, 'UTC')).toBe(
      'waiting for the next item, at 2016-10-07 23:00:01 UTC (6 min at 10×)',
    );
  });
  it('says nothing about the normal rhythm of pacing, unpaced runs, or no wait', () => {
    expect(waitText(T - 1000, T, 1, 'UTC')).toBeNull();
    expect(waitText(T - 3_600_000, T, 0, 'UTC')).toBeNull();
    expect(waitText(T - 3_600_000, null, 1, 'UTC')).toBeNull();
  });
});
