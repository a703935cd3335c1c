/**
 * `npm test`: the unit suite, then the end-to-end suite even when the first failed (a failure in
 * one must not hide the other's results), then one plain closing line, alone on its line:
 *
 *   412 passed, 0 failed
 *
 * The exit code is non-zero when any test failed or a runner stopped without a report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Counts {
  passed: number;
  failed: number;
  ok: boolean;
}

const ROOT = new URL('..', import.meta.url).pathname;

function run(name: string, command: string[], report: string): Counts {
  const args = [...command, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const result = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit' });
  let passed = 0;
  let failed = 0;
  let reported = false;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults?: { name: string; startTime: number; endTime: number }[];
    };
    passed = json.numPassedTests;
    failed = json.numFailedTests;
    reported = true;
    printSlowest(name, json.testResults ?? []);
  } catch {
    // A runner that skipped itself (no browser) writes no report; its exit code decides.
  }
  const ok = result.status === 0;
  if (!ok && !reported) console.error(`[test] ${name}: stopped without a report`);
  return { passed, failed, ok };
}

/** CI has a time budget; naming the files that spend it keeps the budget visible in every run. */
function printSlowest(name: string, files: { name: string; startTime: number; endTime: number }[]) {
  const slowest = files
    .map((f) => ({ file: f.name.slice(ROOT.length), s: (f.endTime - f.startTime) / 1000 }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 8);
  if (slowest.length === 0) return;
  const list = slowest.map((f) => `${f.file} ${f.s.toFixed(1)} s`).join(', ');
  console.log(`[test] ${name}: slowest files: ${list}`);
}

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-test-'));
try {
  const unit = run('unit', ['vitest', 'run'], join(dir, 'unit.json'));
  const e2e = run('e2e', ['tsx', 'e2e/run-if-chromium.ts'], join(dir, 'e2e.json'));
  const passed = unit.passed + e2e.passed;
  const failed = unit.failed + e2e.failed;
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exitCode = unit.ok && e2e.ok && failed === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
