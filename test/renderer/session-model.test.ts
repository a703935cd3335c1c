import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../src/shared/ipc-contract';
import { IDLE_STATUS, SessionModel, type Slice } from '../../src/renderer/src/state/session-model';

function snapshot(partial: Partial<SessionSnapshot>): SessionSnapshot {
  return {
    info: null,
    status: IDLE_STATUS,
    stats: [],
    queues: [],
    queueText: [],
    logs: [],
    ...partial,
  };
}

describe('SessionModel', () => {
  it('keeps local log entries across a snapshot, merged in time order without duplicates', () => {
    const m = new SessionModel();
    m.logError('lost the connection', 'warn', 150);
    m.log({ time: 100, level: 'info', message: 'opened' });
    m.applySnapshot(
      snapshot({
        logs: [
          { time: 100, level: 'info', message: 'opened' },
          { time: 200, level: 'error', message: 'bad row' },
        ],
      }),
    );
    expect(m.logs.map((e) => e.message)).toEqual(['opened', 'lost the connection', 'bad row']);
  });

  it('tells subscribers which slice changed', () => {
    const m = new SessionModel();
    const seen: Slice[] = [];
    m.subscribe((s) => seen.push(s));
    m.applyUpdate({
      status: { ...IDLE_STATUS, state: 'running' },
      bars: {},
      forming: {},
      quotes: {},
    });
    m.applyUpdate({
      status: IDLE_STATUS,
      bars: {},
      forming: {},
      quotes: {},
      queueText: ['AAPL | 1s: 1 items'],
    });
    expect(seen).toEqual(['status', 'status', 'stats']);
    expect(m.version('stats')).toBe(1);
    expect(m.queueText).toEqual(['AAPL | 1s: 1 items']);
  });

  it('clears the strips of the previous session on a new snapshot', () => {
    const m = new SessionModel();
    m.setStrips([{ symbol: 'AAPL', offset: 0, final: 1, minutes: [0], states: [1] }]);
    m.applySnapshot(snapshot({}));
    expect(m.strips).toEqual([]);
  });
});
