/** Runs one of our CLI entries the way a user does (through tsx), keeping its exit code. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cliRunner('backtest')` runs `src/main/cli/backtest.ts` with the given arguments. */
export function cliRunner(entry: string): (args: string[]) => Promise<CliResult> {
  const cli = resolve(`src/main/cli/${entry}.ts`);
  return async (args) => {
    try {
      const { stdout, stderr } = await run(TSX, [cli, ...args], {
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as CliResult;
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
}
