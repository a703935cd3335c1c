/**
 * Once per `vitest run -c e2e/vitest.config.ts`: decide whether anything can run, and build the
 * app when `out/` is stale, so test files never race to build it.
 */
import { ensureBuilt } from './build';
import { electronDisplayProblem, findElectron } from './electron-binary';
import { CHROMIUM, IN_CI } from './requirements';

export default function setup(): void {
  if (!CHROMIUM.found && IN_CI) {
    throw new Error(`[e2e] Chromium is mandatory in CI, but ${CHROMIUM.reason}`);
  }
  const electron = findElectron();
  const electronRuns = electron.found && electronDisplayProblem() === null;
  if (CHROMIUM.found) console.log(`[e2e] Chromium: ${CHROMIUM.path} (${CHROMIUM.source})`);
  else console.warn(`[e2e] browser flows will skip: ${CHROMIUM.reason}`);
  if (CHROMIUM.found || electronRuns) ensureBuilt();
}
