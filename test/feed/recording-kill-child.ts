/**
 * A recording killed outright: `tsx recording-kill-child.ts <dataDir>` spools 100 bars,
 * flushes them, buffers 50 more without a flush, prints "flushed" and waits for the SIGKILL.
 */
import { LiveRecording } from '../../src/main/storage/recording/live-recording';

const [dataDir] = process.argv.slice(2) as [string];
const key = { symbol: 'BTCUSDT', type: 'bars', interval: '1s' } as const;
const start = Date.UTC(2024, 7, 9);

void LiveRecording.open(dataDir, [key]).then(({ recording }) => {
  const spool = recording.spoolOf(key)!;
  for (let i = 0; i < 100; i++) spool.append(start + i * 1000, 1, 2, 0.5, 1.5, i);
  recording.flush();
  for (let i = 100; i < 150; i++) spool.append(start + i * 1000, 1, 2, 0.5, 1.5, i);
  process.stdout.write('flushed\n');
  // Block the thread so nothing (no exit handler, no flush) runs before the kill; give up
  // after 30 s as a kill would, should the test have died.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 30; i++) Atomics.wait(cell, 0, 0, 1000);
  process.kill(process.pid, 'SIGKILL');
});
