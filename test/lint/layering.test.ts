/**
 * The import layers are enforced by lint: a planted wrong import fails ESLint with the repo's
 * own config. Virtual files (lintText) keep it fast and leave the tree untouched.
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve('.'), overrideConfigFile: resolve('eslint.config.js') });

/** The no-restricted-imports messages of one import planted in `file`. */
async function restricted(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: resolve(file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering lint', { timeout: 60_000 }, () => {
  it('fails on a storage → engine import', async () => {
    const messages = await restricted(
      'src/main/storage/import/planted.ts',
      '../../engine/stream-coordinator',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/storage depends on shared only \(never the engine\)/);
  });

  it('keeps Electron out of storage too (the rule is not replaced by a later block)', async () => {
    expect(await restricted('src/main/storage/planted.ts', 'electron')).toHaveLength(1);
  });

  it('fails on engine → storage, engine → host, shared → Node, renderer → main', async () => {
    expect(await restricted('src/main/engine/planted.ts', '../storage/demo-data')).toHaveLength(1);
    expect(
      await restricted('src/main/engine/upkeep/planted.ts', '../../host/session-host'),
    ).toHaveLength(1);
    expect(await restricted('src/shared/market/planted.ts', 'node:fs')).toHaveLength(1);
    expect(await restricted('src/renderer/src/planted.ts', '../../main/engine/pacer')).toHaveLength(
      1,
    );
    expect(await restricted('src/main/host/planted.ts', '../cli/import')).toHaveLength(1);
    expect(await restricted('src/main/sweep/planted.ts', '../cli/backtest')).toHaveLength(1);
  });

  it('passes the imports the layers allow', async () => {
    expect(
      await restricted('src/main/storage/planted.ts', '../../shared/market/calendars'),
    ).toEqual([]);
    expect(await restricted('src/main/engine/planted.ts', '../../shared/market/calendars')).toEqual(
      [],
    );
    expect(await restricted('src/main/host/planted.ts', '../storage/catalog/data-catalog')).toEqual(
      [],
    );
    expect(await restricted('src/main/host/planted.ts', '../engine/pacer')).toEqual([]);
    expect(await restricted('src/main/cli/planted.ts', '../host/import-engine')).toEqual([]);
  });
});
