/**
 * A throwaway data directory per test file: the deterministic demo data set (3 symbols, 2 days,
 * with its config at configs/demo.json), so tests never touch the repository's `data/`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData } from '../../src/main/storage/demo-data';

export interface DataDir {
  path: string;
  /** Writes `configs/<name>` and returns its path. */
  writeConfig(name: string, config: unknown): string;
  remove(): void;
}

export function tempDataDir(prefix = 'tapedeck-e2e-'): DataDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    writeConfig(name, config) {
      mkdirSync(join(path, 'configs'), { recursive: true });
      const file = join(path, 'configs', name);
      writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export function demoDataDir(): DataDir {
  const dir = tempDataDir();
  generateDemoData(dir.path);
  return dir;
}

/** Demo data whose configs/demo.json is changed by `edit` (the parsed JSON, in place). */
export function demoDataWithConfig(edit: (config: Record<string, unknown>) => void): DataDir {
  const dir = demoDataDir();
  const path = join(dir.path, 'configs', 'demo.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(path, JSON.stringify(config));
  return dir;
}

/** Demo data whose demo.json runs `strategy` (a file under strategies/, with its params). */
export function demoDataWithStrategy(strategy: { file: string; params?: object }): DataDir {
  return demoDataWithConfig((config) => {
    config.strategy = strategy;
  });
}
