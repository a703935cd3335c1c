/**
 * The end-to-end half of `npm test`: runs the e2e suite where a Chromium is found, and says in one
 * line why it did not where none is. Under CI a missing Chromium is a failure, never a skip.
 *
 *   tsx e2e/run-if-chromium.ts [extra vitest args]
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './support/build';
import { electronDisplayProblem, findElectron } from './support/electron-binary';
import { CHROMIUM, IN_CI } from './support/requirements';

function main(): number {
  const vitest = ['vitest', 'run', '-c', 'e2e/vitest.config.ts', ...process.argv.slice(2)];
  if (CHROMIUM.found) {
    console.log(`[e2e] running the end-to-end suite in ${CHROMIUM.path} (${CHROMIUM.source})`);
  } else if (IN_CI) {
    console.error(`[e2e] FAILED: the end-to-end suite is mandatory in CI, but ${CHROMIUM.reason}`);
    return 1;
  } else {
    const electron = findElectron();
    if (!electron.found || electronDisplayProblem() !== null) {
      console.log(`[e2e] end-to-end suite skipped: ${CHROMIUM.reason}`);
      return 0;
    }
    console.log(`[e2e] browser flows skipped (${CHROMIUM.reason}); running the Electron test`);
    vitest.push('e2e/electron.e2e.test.ts');
  }
  const result = spawnSync('npx', vitest, { cwd: REPO_ROOT, stdio: 'inherit' });
  return result.status ?? 1;
}

process.exitCode = main();
