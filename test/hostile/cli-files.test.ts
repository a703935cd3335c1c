/**
 * Damaged and misleading input files against the real import CLI: each is refused (or read)
 * with a message that names what is wrong and where, the output stays short, and the data
 * directory is left exactly as it was.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner, type CliResult } from '../cli-runner';
import { makeTempDir, removeTempDir } from '../storage/sqlite-helpers';
import { demoCopy, hashDir, Tally } from './hostile-helpers';

const importCli = cliRunner('import');
const tally = new Tally('cli-files');
const dir = makeTempDir('tapedeck-hostile-files-');
const data = demoCopy();
afterAll(() => {
  tally.write();
  removeTempDir(dir);
});

/** 1s bars of MSFT on 2024-03-06 from 09:30 New York. */
function goodRows(rows: number): string {
  const start = Date.parse('2024-03-06T14:30:00Z');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${new Date(start + i * 1000).toISOString()},10,11,9,10.5,${100 + i}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `text`, then `fill` bytes of `byte`, written without holding them all in memory. */
function fileWith(name: string, text: string, fill: number, byte: number): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  const fd = openSync(file, 'a');
  const block = Buffer.alloc(1 << 20, byte);
  for (let left = fill; left > 0; left -= block.length) {
    writeSync(fd, block, 0, Math.min(block.length, left));
  }
  closeSync(fd);
  return file;
}

/** Runs an import that must be refused: exit 2, `names` in the output, data untouched. */
async function refusedImport(args: string[], names: RegExp): Promise<CliResult> {
  const before = hashDir(data);
  const result = await importCli([...args, '--data', data]);
  const output = result.stdout + result.stderr;
  const unchanged = hashDir(data) === before;
  tally.record({
    refused: result.code === 2 && names.test(output) && output.length < 10_000,
    dataChanged: !unchanged,
  });
  expect(result.code, output.slice(0, 2000)).toBe(2);
  expect(output).toMatch(names);
  expect(output.length).toBeLessThan(10_000);
  expect(unchanged).toBe(true);
  return result;
}

describe('endless lines', () => {
  it(
    'refuses good rows followed by 40 MB of NUL bytes, naming the line',
    { timeout: 60_000 },
    async () => {
      const file = fileWith('nul-tail.csv', goodRows(23_400), 40 * 2 ** 20, 0);
      await refusedImport([file], /nul-tail\.csv.*line 23402 is longer than 65536 characters/s);
    },
  );

  it('refuses a 60 MB file of one line without reading it all', { timeout: 60_000 }, async () => {
    const file = fileWith(
      'one-line.csv',
      'timestamp,open,high,low,close,volume\n',
      60 * 2 ** 20,
      0x31,
    );
    await refusedImport([file], /one-line\.csv.*line 2 is longer than 65536 characters/s);
  });

  it(
    'quotes a long bad value cut to 80 characters, with its length',
    { timeout: 60_000 },
    async () => {
      const long = 'x'.repeat(5000);
      const text = `${goodRows(300)}2024-03-06T14:40:00Z,${long},11,9,10.5,1\n`;
      mkdirSync(join(dir, 'long'), { recursive: true });
      const file = join(dir, 'long', 'long-value.csv');
      writeFileSync(file, text);
      const result = await refusedImport(
        [file],
        /open "x{80}… \(5000 characters\)" is not a number/,
      );
      expect(result.stderr).not.toContain('x'.repeat(81));
    },
  );
});
