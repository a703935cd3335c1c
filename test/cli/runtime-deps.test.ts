/**
 * What the CLIs and the web host need at run time is installed by `npm ci --omit=dev`: the
 * runner every user-facing script starts with, and the loader the web host's engine worker
 * registers, are production dependencies; the install scripts the native store needs are
 * allowed (npm 11 blocks a dependency's install scripts unless package.json's allowScripts
 * names it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

/** The scripts a user runs to use the app (not to develop it). */
const USER_SCRIPTS = ['backtest', 'import', 'catalog', 'validate', 'web', 'demo-data'];

describe('run-time dependencies', () => {
  it('every user-facing script starts with a program from the production dependencies', () => {
    for (const name of USER_SCRIPTS) {
      const program = pkg.scripts[name]!.split(/\s+/)[0]!;
      expect(pkg.dependencies[program], `${name}: ${program}`).toBeDefined();
    }
  });

  it("the web host's engine worker loader (tsx/esm/api) is a production dependency", () => {
    const engineClient = readFileSync('src/main/service/engine-client.ts', 'utf8');
    expect(engineClient).toContain("import('tsx/esm/api')");
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.devDependencies.tsx).toBeUndefined();
  });

  it('allows the install scripts the native store and the runner need', () => {
    expect(pkg.allowScripts).toMatchObject({ 'better-sqlite3': true, esbuild: true });
  });
});
