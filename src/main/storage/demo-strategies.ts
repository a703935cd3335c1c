/**
 * The example strategies shipped with the demo data: the repository's `strategies/` files,
 * copied into `<data>/strategies/` (where the app and the CLI pick strategies from). A file
 * the user has edited there is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_STRATEGIES = ['ema-crossover.ts', 'opening-range-breakout.ts'] as const;

/** The repository's `strategies/` folder, found upward from this module. */
function examplesDir(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'strategies', DEMO_STRATEGIES[0]);
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    dir = path.dirname(dir);
  }
  return null;
}

export interface StrategyCopy {
  file: string;
  status: 'written' | 'unchanged' | 'kept';
}

export function writeDemoStrategies(dataDir: string, overwrite: boolean): StrategyCopy[] {
  const from = examplesDir();
  if (!from) return [];
  const to = path.join(dataDir, 'strategies');
  fs.mkdirSync(to, { recursive: true });
  return DEMO_STRATEGIES.map((name) => {
    const source = fs.readFileSync(path.join(from, name), 'utf8');
    const target = path.join(to, name);
    const existing = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (existing === source) return { file: target, status: 'unchanged' };
    if (existing !== null && !overwrite) return { file: target, status: 'kept' };
    fs.writeFileSync(target, source);
    return { file: target, status: 'written' };
  });
}
