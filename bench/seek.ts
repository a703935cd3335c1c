/**
 * Going back in a replay (issue 11): how long the session service takes to restore the exact
 * state at an earlier time, on real SPY 1s bars and quotes. One 1s day (2013-10-08) is
 * replayed to 15:59 New York, then sent back to points within the last hour and one bar back;
 * the same for the third day of a three-day session. Times are the service's answer to the
 * seek (the renderer's resync is `npm run bench -- ui`'s), each case twice: replaying from the
 * session start (checkpoints off) and from checkpoints (a spare replay at the last 5-minute
 * mark), after the spare is ready (a paused user looks before pressing ←) and with ← held
 * (each press as soon as the last answered). Targets: ≤ 200 ms within the last hour of a 1s
 * day; a step back's p95 ≤ 100 ms. Skipped, saying why, without the shared real data.
 */
import { readFileSync } from 'node:fs';
import type { SessionStatus } from '../src/shared/ipc-contract';
import { SessionService } from '../src/main/service/session-service';
import { tempDataDir } from '../e2e/support/demo-fixture';
import { importSpySeconds, SPY_SECONDS, spySecondsPresent } from '../e2e/support/real-spy';
import { emptyResult, round, type BenchResult } from './result';

const RUNS = 5;
const HELD_PRESSES = 20;

interface Case {
  label: string;
  start_date: string;
  end_date: string;
  /** UTC ms of 15:59 New York on the last day. */
  end: number;
}

const CASES: Case[] = [
  {
    label: 'one 1s day (2013-10-08)',
    start_date: '2013-10-08',
    end_date: '2013-10-08',
    end: Date.parse('2013-10-08T19:59:00Z'),
  },
  {
    label: 'third day of three (2013-10-07..09)',
    start_date: '2013-10-07',
    end_date: '2013-10-09',
    end: Date.parse('2013-10-09T19:59:00Z'),
  },
];

/** Back from the end by these many ms: one 1s bar, a minute, half an hour, an hour. */
const BACK = [1_000, 60_000, 30 * 60_000, 60 * 60_000];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(0.95 * s.length) - 1]!;
}

async function measure(
  dataDir: string,
  config: unknown,
  end: number,
  checkpoints: boolean,
): Promise<{ times: number[][]; held: number[]; fromCheckpoint: number }> {
  const service = new SessionService({
    dataDir,
    host: 'browser',
    emit: () => undefined,
    checkpoints,
  });
  const seek = async (at: number): Promise<number> => {
    const t0 = performance.now();
    const status = (await service.handle('controlSession', {
      action: 'seek',
      at,
    })) as SessionStatus;
    const ms = performance.now() - t0;
    if (status.clock === null || status.clock > at) {
      throw new Error(`seek landed at ${status.clock}, after ${at}`);
    }
    return ms;
  };
  try {
    await service.handle('startSession', { config });
    const times: number[][] = BACK.map(() => []);
    for (let run = 0; run < RUNS; run++) {
      for (let b = 0; b < BACK.length; b++) {
        await seek(end);
        // A paused user looks before pressing ←: the spare at the checkpoint is ready by then.
        await service.checkpoints.settled();
        times[b]!.push(await seek(end - BACK[b]!));
      }
    }
    // ← held: one second back per press, each as soon as the last one answered.
    await seek(end);
    await service.checkpoints.settled();
    const held: number[] = [];
    for (let press = 1; press <= HELD_PRESSES; press++) held.push(await seek(end - press * 1_000));
    return { times, held, fromCheckpoint: service.checkpoints.taken };
  } finally {
    await service.close();
  }
}

export async function run(): Promise<BenchResult & Record<string, unknown>> {
  const result: BenchResult & Record<string, unknown> = {
    ...emptyResult('seek'),
    last_hour_restore_ms: null,
    step_back_p95_ms: null,
  };
  if (!spySecondsPresent()) {
    console.log(`   skipped: ${SPY_SECONDS} is absent`);
    return result;
  }
  const data = tempDataDir('tapedeck-bench-seek-');
  try {
    const configPath = await importSpySeconds(data);
    const base = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    for (const c of CASES) {
      const config = {
        ...base,
        backtest_config: { start_date: c.start_date, end_date: c.end_date, speed_multiplier: 10 },
      };
      for (const checkpoints of [false, true]) {
        const { times, held, fromCheckpoint } = await measure(
          data.path,
          config,
          c.end,
          checkpoints,
        );
        const how = checkpoints ? 'from checkpoints' : 'replaying from the start';
        console.log(`   ${c.label}, SPY 1s bars and quotes, back from 15:59 New York, ${how}:`);
        BACK.forEach((ms, b) => {
          const label = ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`;
          console.log(
            `     ${label.padStart(6)} back: ${times[b]!.map((t) => t.toFixed(0)).join(', ')} ms; median ${median(times[b]!).toFixed(0)} ms`,
          );
        });
        console.log(
          `     ← held (${HELD_PRESSES} × 1 s back): ${held.map((t) => t.toFixed(0)).join(', ')} ms; ` +
            `median ${median(held).toFixed(0)} ms`,
        );
        const steps = [...times[0]!, ...held];
        const stepP95 = p95(steps);
        console.log(
          `     step back (1 s, all ${steps.length} presses): p95 ${stepP95.toFixed(0)} ms; ` +
            `restores served from a checkpoint: ${fromCheckpoint}`,
        );
        if (c === CASES[0] && checkpoints) {
          const worst = Math.max(...times.map(median));
          result.last_hour_restore_ms = round(worst, 1);
          result.step_back_p95_ms = round(stepP95, 1);
          result.ours_s = round(worst / 1000, 4);
          console.log(
            `     worst median within the last hour: ${worst.toFixed(0)} ms (target ≤ 200 ms)`,
          );
        }
      }
    }
  } finally {
    data.remove();
  }
  return result;
}
