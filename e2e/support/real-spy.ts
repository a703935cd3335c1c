/**
 * Three days of real SPY 1s bars and quotes (LEAN, AlgoSeek: for tests only, never bundled),
 * imported through the importer's CLI into a data directory with a config for them. Shared by
 * the sparse-data flow and `npm run bench -- ui`. Null where ../shared/data/real is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './build';
import type { DataDir } from './demo-fixture';
import type { PageGlobals } from './page-globals';

const run = promisify(execFile);

export const SPY_SECONDS = join(REPO_ROOT, '..', 'shared', 'data', 'real', 'lean-spy-second');

export function spySecondsPresent(): boolean {
  return existsSync(join(SPY_SECONDS, 'SOURCE.txt'));
}

/** Imports the zips into `data` and writes `configs/spy.json` (10×); returns the config path. */
export async function importSpySeconds(data: DataDir): Promise<string> {
  const zips = readdirSync(SPY_SECONDS)
    .filter((f) => f.endsWith('.zip'))
    .map((f) => join(SPY_SECONDS, f));
  await run(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['src/main/cli/import.ts', ...zips, '--data', data.path, '--symbol', 'SPY'],
    { cwd: REPO_ROOT },
  );
  return data.writeConfig('spy.json', {
    session_name: 'spy-seconds',
    data_streams: [
      { type: 'bars', symbol: 'SPY', interval: '1s' },
      { type: 'quotes', symbol: 'SPY' },
    ],
    backtest_config: { start_date: '2013-10-07', end_date: '2013-10-09', speed_multiplier: 10 },
  });
}

/** Milliseconds from clicking Play or Pause to the state badge showing `state`, timed in the page. */
export async function answerMs(
  page: Page,
  button: 'Play' | 'Pause',
  state: string,
): Promise<number> {
  return page.evaluate(
    ([name, want]) =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        const badge = g.document.querySelector('[aria-label="Session state"]')!;
        const target = Array.from(g.document.body.querySelectorAll('button')).find(
          (b) => b.textContent?.trim() === name,
        )! as unknown as { click(): void };
        const t0 = g.performance.now();
        const check = (): void => {
          if (badge.textContent?.trim() === want) resolve(g.performance.now() - t0);
          else g.requestAnimationFrame(check);
        };
        target.click();
        check();
      }),
    [button, state] as const,
  );
}
