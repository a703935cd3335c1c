import { describe, expect, it } from 'vitest';
import { LiveStatusSchema, liveStateText, type LiveStatus } from '../../src/shared/live-status';

const base: LiveStatus = {
  state: 'connected',
  attempt: 0,
  late: 0,
  items: 0,
  reconnects: 0,
  recording: false,
};

describe('the live status shape and its words', () => {
  it('says the state, and for a reconnect the attempt and the wait rounded up to seconds', () => {
    expect(liveStateText(base)).toBe('connected');
    expect(liveStateText({ ...base, state: 'backfilling' })).toBe('backfilling');
    expect(liveStateText({ ...base, state: 'reconnecting', attempt: 3, nextInMs: 2100 })).toBe(
      'reconnecting (attempt 3, next in 3 s)',
    );
    expect(liveStateText({ ...base, state: 'reconnecting', attempt: 2 })).toBe(
      'reconnecting (attempt 2)',
    );
  });

  it('refuses an unknown state and a negative late count, naming the field', () => {
    const bad = LiveStatusSchema.safeParse({ ...base, state: 'dozing', late: -1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['late', 'state']);
  });
});
