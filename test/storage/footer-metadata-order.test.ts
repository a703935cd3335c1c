/**
 * The writer's footer metadata comes out in key order, so the same columns make the same bytes
 * however the encoder ordered the pairs; the file still reads back whole.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { writeStreamParquet } from '../../src/main/storage/parquet/parquet-writer';
import { sortFooterMetadata } from '../../src/main/storage/parquet/footer-metadata-order';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapedeck-footer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const n = 500;
const timestamp = Float64Array.from({ length: n }, (_, i) => 1_709_562_600_000 + i * 1000);
const values = [2, 1, 3].map((v) => new Float64Array(n).fill(v));
const metadata = Object.fromEntries(
  ['zeta', 'alpha', 'mid', 'beta', 'omega', 'gamma'].map((k) => [`tapedeck.${k}`, `${k}!`]),
);

function write(name: string): Buffer {
  const file = path.join(dir, name);
  writeStreamParquet(file, 'ticks', { timestamp, values: values.slice(0, 2) }, { metadata });
  return fs.readFileSync(file);
}

describe('footer metadata order', () => {
  it('writes the pairs sorted by key, byte-identical from one write to the next', () => {
    const files = Array.from({ length: 6 }, (_, i) => write(`f${i}.parquet`));
    for (const f of files) expect(f.equals(files[0]!)).toBe(true);
    const md = parquetMetadata(new Uint8Array(files[0]!).buffer);
    const keys = md.key_value_metadata!.map((kv) => kv.key);
    expect(keys).toEqual([...keys].sort());
    const ours = md.key_value_metadata!.filter((kv) => kv.key.startsWith('tapedeck.'));
    // The given pairs, and the writer's seal beside them.
    expect(Object.fromEntries(ours.map((kv) => [kv.key, kv.value]))).toEqual({
      ...metadata,
      'tapedeck.data_crc32': expect.stringMatching(/^[0-9a-f]{8}$/),
      'tapedeck.group_crc32': expect.stringMatching(/^[0-9a-f]{8}$/),
      'tapedeck.rows_checked': '1',
    });
    expect(Number(md.num_rows)).toBe(n);
  });

  it('refuses a footer it cannot read instead of writing garbage', () => {
    const bytes = new Uint8Array(write('g.parquet'));
    const end = bytes.length - 8;
    bytes.fill(0x0d, end - 40, end); // unknown Thrift type 13 where the pairs were
    expect(() => sortFooterMetadata(bytes)).toThrow(/parquet footer/);
  });
});
