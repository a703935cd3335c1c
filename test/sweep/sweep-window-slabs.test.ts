/**
 * The window a sweep's parent decodes for its workers: every file of every stream in the window,
 * each as the store's own reader decodes it, and a worker handed it reports exactly what a
 * worker decoding for itself reports. A window over the budget is left to the workers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSessionConfig } from '../../src/shared/session-config';
import { prepareWorkerEntry } from '../../src/main/sweep/sweep-worker-entry';
import { requestOf, runOn, spawnWorker } from '../../src/main/sweep/sweep-runner';
import { setupSweep } from '../../src/main/sweep/sweep-setup';
import {
  decodeWindows,
  firstWindows,
  removeOrphans,
  windowSlabFile,
} from '../../src/main/sweep/sweep-window-slabs';
import { openStreamFile, readSlabs } from '../../src/main/storage/parquet/parquet-file-reader';
import { readSlabFile } from '../../src/main/storage/parquet/slab-file';
import { sweepFixture } from './sweep-fixture';

const fixture = sweepFixture('sweep-window-slabs');
const WINDOW = { start_date: '2024-03-04', end_date: '2024-03-04' };

function config() {
  const raw = JSON.parse(readFileSync(join(fixture.data, 'configs', 'one-day.json'), 'utf8'));
  const parsed = parseSessionConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

describe('a sweep window decoded by the parent', { timeout: 300_000 }, () => {
  it('holds every file of the window as the store reads it', async () => {
    const files = await decodeWindows(config(), fixture.data, [WINDOW]);
    // The demo day: AAPL 1s bars and quotes, RIVN 1m bars and quotes, TSLA 1s bars.
    expect(files).toHaveLength(5);
    for (const file of files) {
      expect(file.path).toContain('date=2024-03-04');
      const opened = await openStreamFile(
        { path: file.path, date: '2024-03-04' },
        typeOf(file.path),
      );
      const rows: number[] = [];
      for await (const slab of readSlabs(opened)) rows.push(...slab.batch.timestamp);
      expect(file.slabs.flatMap((s) => [...s.batch.timestamp])).toEqual(rows);
      expect(file.slabs.reduce((n, s) => n + s.batch.length, 0)).toBe(opened.rows);
    }
  });

  it('decodes nothing for a window over the budget', async () => {
    expect(await decodeWindows(config(), fixture.data, [WINDOW], 1024)).toEqual([]);
  });

  it('gives a worker the same report as decoding for itself', async () => {
    const setup = await setupSweep(fixture.spec('slabs'), fixture.data);
    if (!setup.ok) throw new Error(setup.problems.join('; '));
    const { plan } = setup;
    const slabs = await windowSlabFile(plan.config, plan.dataDir, firstWindows(plan.runs, 1));
    expect(slabs).not.toBeNull();
    expect(readSlabFile(slabs!.path)).toHaveLength(5);
    await prepareWorkerEntry();
    const given = spawnWorker();
    const own = spawnWorker();
    // With the collector exposed, a worker collects after each run (sweep-process.ts).
    expect(given.spawnargs).toContain('--expose-gc');
    try {
      for (const run of plan.runs.slice(0, 2)) {
        const handed = { ...requestOf(plan, run), slabsFile: slabs!.path };
        const [a, b] = await Promise.all([runOn(given, handed), runOn(own, requestOf(plan, run))]);
        expect(a).toHaveProperty('report');
        expect(a).toEqual(b);
      }
    } finally {
      given.kill();
      own.kill();
      slabs!.remove();
    }
    expect(existsSync(slabs!.path)).toBe(false);
  });

  it('deletes the slab files of sweep processes that died, and keeps live ones and others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-orphans-'));
    // A process id that has run and exited: its file is an orphan.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const dead = Number(gone.stdout.toString());
    const names = [
      `tapedeck-sweep-${dead}-1.slabs`,
      `tapedeck-sweep-${process.pid}-7.slabs`,
      'tapedeck-sweep-notes.txt',
      'other.slabs',
    ];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    removeOrphans(dir);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
  });
});

function typeOf(path: string): 'bars' | 'quotes' {
  return path.includes('/quotes/') ? 'quotes' : 'bars';
}
