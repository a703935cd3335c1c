/**
 * A sweep worker's strategy: compiled once, a fresh module per run, compiled again when its
 * own files change, and a compiled copy handed in is used as it is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrategyError } from '../../src/main/engine/strategy/strategy-error';
import { bundleStrategy } from '../../src/main/engine/strategy/strategy-loader';
import { runStrategy } from '../../src/main/sweep/sweep-strategy-cache';

/** A strategy whose instances count the instances made by their module. */
const counting = (param: string, helper = './helper'): string =>
  `import { start } from '${helper}';
  let made = start;
  export default Object.assign(
    (p: Record<string, number>) => ({ made: ++made, p, onBar() {} }),
    { params: { ${param}: 1 } },
  );\n`;

function strategyDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-strategy-cache-'));
  writeFileSync(join(dir, 'helper.ts'), 'export const start = 0;\n');
  const file = join(dir, 'counting.ts');
  writeFileSync(file, counting('a'));
  return { dir, file };
}

function made(strategy: unknown): number {
  return (strategy as { made: number }).made;
}

describe('sweep strategy cache', () => {
  it('gives each run a module of its own', async () => {
    const { file } = strategyDir();
    const first = await runStrategy(file, { a: 2 });
    const second = await runStrategy(file, { a: 3 });
    // A shared module would count on: 1, then 2.
    expect(made(first.loaded.create(first.params))).toBe(1);
    expect(made(second.loaded.create(second.params))).toBe(1);
    expect(second.params).toEqual({ a: 3 });
  });

  it('compiles again when the file or a helper it imports changes', async () => {
    const { dir, file } = strategyDir();
    expect((await runStrategy(file, {})).loaded.fields.map((f) => f.name)).toEqual(['a']);
    writeFileSync(file, counting('bb'));
    expect((await runStrategy(file, {})).loaded.fields.map((f) => f.name)).toEqual(['bb']);
    writeFileSync(join(dir, 'helper.ts'), 'export const start = 100;\n');
    const changed = await runStrategy(file, {});
    expect(made(changed.loaded.create(changed.params))).toBe(101);
  });

  it('uses a compiled copy handed in, and checks the params against it', async () => {
    const { file } = strategyDir();
    const bundle = await bundleStrategy(file);
    writeFileSync(file, 'this no longer compiles(');
    const run = await runStrategy(file, { a: 5 }, bundle);
    expect(run.params).toEqual({ a: 5 });
    const wrong = runStrategy(file, { a: 'five' }, bundle);
    await expect(wrong).rejects.toBeInstanceOf(StrategyError);
    await expect(wrong).rejects.toThrow(/strategy\.params\.a/);
    // Without it, the broken file is compiled and named.
    await expect(runStrategy(file, {})).rejects.toThrow(/counting\.ts:1:6/);
  });
});
