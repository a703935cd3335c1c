/** Shared pieces of the feed tests: a settable wall clock, bounded waiting, draining cursors. */
import type { StreamBatch, StreamCursor } from '../../src/shared/stream-cursor';
import { systemWallClock, type WallClock } from '../../src/main/engine/wall-clock';

/** Wall time the test sets; sleeps are real but capped short, so backoff never stalls a test. */
export class SetWallClock implements WallClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemWallClock.sleep(Math.min(ms, 20), signal);
  }
}

/** Polls until `condition` holds; fails naming `what` after a bounded number of tries. */
export async function waitFor(what: string, condition: () => boolean, tries = 1000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Everything an ended cursor still holds, as rows of [timestamp, ...values]. */
export async function drain(cursor: StreamCursor): Promise<number[][]> {
  const rows: number[][] = [];
  for (let batch: StreamBatch | null; (batch = await cursor.next(1_000_000));) {
    for (let i = 0; i < batch.length; i++) {
      rows.push([batch.timestamp[i]!, ...batch.values.map((v) => v[i]!)]);
    }
  }
  return rows;
}
