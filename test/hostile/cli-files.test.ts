/**
 * Damaged and misleading input files against the real import CLI: each is refused (or read)
 * with a message that names what is wrong and where, the output stays short, and the data
 * directory is left exactly as it was.
 */
import { closeSync, mkdirSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner, type CliResult } from '../cli-runner';
import { makeTempDir, removeTempDir } from '../storage/sqlite-helpers';
import { demoCopy, hashDir, Tally } from './hostile-helpers';

const importCli = cliRunner('import');
const backtest = cliRunner('backtest');
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

/** A small CSV in its own folder (the file name gives the symbol). */
function small(name: string, text: string): string {
  const sub = join(dir, name.replace(/\W/g, '-'));
  mkdirSync(sub, { recursive: true });
  const file = join(sub, name);
  writeFileSync(file, text);
  return file;
}

describe('messages that name the real cause', { timeout: 60_000 }, () => {
  it('a 2 GB sparse file is "all NUL", not "empty"', async () => {
    const file = join(dir, 'SPARSE_1m.csv');
    writeFileSync(file, '');
    truncateSync(file, 2 * 1024 ** 3);
    const result = await refusedImport([file], /SPARSE_1m\.csv.*all NUL \(0x00\)/s);
    expect(result.stderr).not.toMatch(/is empty/);
  });

  it('CR-only line ends are named as such', async () => {
    const file = small('CR_1m.csv', goodRows(5).replaceAll('\n', '\r'));
    await refusedImport([file], /CR_1m\.csv.*bare CR/s);
  });

  it('a NaN in a tiny CSV names its row and text', async () => {
    const rows = goodRows(3).split('\n');
    rows[2] = rows[2]!.replace(/,10,/, ',NaN,');
    const file = small('NAN_1s.csv', rows.join('\n'));
    await refusedImport([file], /open \(data row 2 holds "NaN"\)/);
  });

  it('a boolean timestamp column is not read as times', async () => {
    const text =
      'timestamp,open,high,low,close,volume\ntrue,1,2,0.5,1.5,10\nfalse,1,2,0.5,1.5,10\n';
    await refusedImport([small('BOOL_1m.csv', text)], /row 1: "true"/);
  });

  for (const [what, stamp] of [
    ['year 9999', '9999-03-06T14:30:05Z'],
    ['year 1969', '1969-03-06T14:30:05Z'],
    ['year 0', '0000-03-06T14:30:05Z'],
  ] as const) {
    it(`a ${what} timestamp is refused with its row`, async () => {
      const rows = goodRows(300).trimEnd().split('\n');
      rows.splice(151, 0, `${stamp},10,11,9,10.5,1`);
      const file = small(`Y${what.replace(/\W/g, '')}_1s.csv`, `${rows.join('\n')}\n`);
      const result = await refusedImport([file], /row 151/);
      expect(result.stderr).toMatch(/outside 1970-2100|is not a timestamp/);
      expect(result.stderr).not.toMatch(/Invalid time value/);
    });
  }

  it('start_date 2024-02-30 is not a calendar date', async () => {
    const config = join(dir, 'feb30.json');
    writeFileSync(
      config,
      JSON.stringify({
        session_name: 'feb30',
        data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1s' }],
        backtest_config: { start_date: '2024-02-30', end_date: '2024-03-05' },
      }),
    );
    const result = await backtest(['--config', config, '--data', data]);
    const ok = result.code === 2 && /start_date.*Not a calendar date/.test(result.stderr);
    tally.record({ refused: ok });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/start_date.*Not a calendar date/);
  });
});
