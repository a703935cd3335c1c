/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Each prints its
 * figures, then one JSON line (bench/result.ts).
 */
import type { BenchResult } from './result';

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  coordinator: async () => (await import('./coordinator')).run(),
  derived: async () => (await import('./derived')).run(),
  ui: async () => (await import('./ui')).run(),
  'ui-sparse': async () => (await import('./ui-sparse')).run(),
  service: async () => (await import('./service')).run(),
  import: async () => (await import('./import')).run(),
  'upkeep-sparse': async () => (await import('./upkeep-sparse')).run(),
  'gap-overview': async () => (await import('./gap-overview')).run(),
  strategy: async () => (await import('./strategy')).run(),
  'ui-markers': async () => (await import('./ui-markers')).run(),
  seek: async () => (await import('./seek')).run(),
  sweep: async () => (await import('./sweep')).run(),
  'sweep-fixed-cost': async () => (await import('./sweep-fixed-cost')).run(),
  'long-session': async () => (await import('./long-session')).run(),
  'app-long-session': async () => (await import('./app-long-session')).run(),
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
  for (const name of names) {
    const bench = BENCHMARKS[name];
    if (!bench) {
      process.stderr.write(
        `Unknown benchmark "${name}". Available: ${Object.keys(BENCHMARKS).join(', ')}\n`,
      );
      process.exit(2);
    }
    process.stdout.write(`\n== ${name}\n`);
    const result = await bench();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
