/**
 * A cancel kills a lane's worker while the lane still prepares its request; the run handed to
 * that dead worker must come back as died, not wait for an exit that has already happened.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runOn } from '../../src/main/sweep/sweep-runner';
import type { WorkerRequest } from '../../src/main/sweep/sweep-process';

describe('runOn', () => {
  it('answers at once for a worker that has already exited', async () => {
    const worker = fork('-e', [], { execPath: process.execPath, execArgv: ['-e', ''] });
    await once(worker, 'exit');
    const outcome = await Promise.race([
      runOn(worker, {} as WorkerRequest),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
    ]);
    expect(outcome).toMatchObject({ died: expect.stringContaining('had exited') });
  });
});
