/**
 * Row-group files carry a footer we write ourselves (parquet-footer.ts): read back with
 * hyparquet (an independent reader) it says what the source's footer said, and the file decodes
 * to the same rows as the source's row group, ns timestamps and decimals included.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { readFooterMetadata } from '../../src/main/storage/parquet/file-buffer';
import { extractRowGroup } from '../../src/main/storage/parquet/row-group-file';

function buffer(bytes: Uint8Array) {
  const ab = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  return { byteLength: ab.byteLength, slice: async (s: number, e?: number) => ab.slice(s, e) };
}

async function sourceFile(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-footer-')), 'src.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(
    `COPY (SELECT TIMESTAMP_NS '2024-03-04 14:30:00' + INTERVAL (i) SECOND AS ts,
                  (100 + i / 100)::DECIMAL(12, 4) AS price, i::BIGINT AS size,
                  'AAPL' AS symbol, (i % 7)::DOUBLE AS x
           FROM range(5000) t(i))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION zstd)`,
  );
  return file;
}

describe('row-group files', () => {
  it('have a footer hyparquet reads as the source said, and decode to the same rows', async () => {
    const bytes = new Uint8Array(readFileSync(await sourceFile()));
    const source = buffer(bytes);
    const metadata = parquetMetadata(await source.slice(0));
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    const names = ['ts', 'price', 'size', 'symbol'];
    const elements = metadata.schema.filter((e) => names.includes(e.name));
    for (let group = 0; group < metadata.row_groups.length; group++) {
      const cut = await extractRowGroup(source, metadata, group, names, elements);
      const back = parquetMetadata(
        cut.buffer.slice(cut.byteOffset, cut.byteOffset + cut.byteLength) as ArrayBuffer,
      );
      expect(back.num_rows).toBe(metadata.row_groups[group]!.num_rows);
      expect(back.schema.slice(1)).toEqual(elements);
      expect(back.row_groups[0]!.columns.map((c) => c.meta_data!.path_in_schema)).toEqual(
        names.map((n) => [n]),
      );
      const rows = await parquetReadObjects({ file: buffer(cut), compressors });
      const first = Number(
        metadata.row_groups.slice(0, group).reduce((n, rg) => n + rg.num_rows, 0n),
      );
      const want = await parquetReadObjects({
        file: source,
        compressors,
        columns: names,
        rowStart: first,
        rowEnd: first + rows.length,
      });
      expect(rows).toEqual(want);
    }
  });

  it('are the same built in given space from a file read in place', async () => {
    const bytes = new Uint8Array(readFileSync(await sourceFile()));
    const source = buffer(bytes);
    const inPlace = {
      ...source,
      readInto: (target: Uint8Array, position: number) => {
        const part = bytes.subarray(position, position + target.length);
        target.set(part);
        return part.length;
      },
    };
    const metadata = parquetMetadata(await source.slice(0));
    const names = ['ts', 'price', 'size', 'symbol'];
    const elements = metadata.schema.filter((e) => names.includes(e.name));
    // Stale bytes in the space must not show through.
    const space = new Uint8Array(bytes.length).fill(0xab);
    let asked = 0;
    for (let group = 0; group < metadata.row_groups.length; group++) {
      const fresh = await extractRowGroup(source, metadata, group, names, elements);
      const reused = await extractRowGroup(
        inPlace,
        metadata,
        group,
        names,
        elements,
        undefined,
        (n) => {
          asked = n;
          return space;
        },
      );
      expect(reused.buffer).toBe(space.buffer);
      expect(reused.length).toBe(asked);
      expect(reused).toEqual(fresh);
    }
  });

  it('footers are read at their own size: the length, then exactly the footer', async () => {
    const bytes = new Uint8Array(readFileSync(await sourceFile()));
    const source = buffer(bytes);
    const reads: number[] = [];
    const counted = {
      byteLength: source.byteLength,
      slice: (s: number, e?: number) => {
        reads.push((e ?? source.byteLength) - s);
        return source.slice(s, e);
      },
    };
    const metadata = await readFooterMetadata(counted);
    expect(metadata).toEqual(parquetMetadata(await source.slice(0)));
    const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(
      bytes.length - 8,
      true,
    );
    expect(reads).toEqual([8, footerLength + 8]);
    // What is not a parquet file gets hyparquet's own message.
    const junk = buffer(new Uint8Array(64).fill(7));
    await expect(readFooterMetadata(junk)).rejects.toThrow('parquet file invalid (footer != PAR1)');
  });

  it('no source imports a library file outside its public entry points', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const deep = walk('src')
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) => /from '(hyparquet|hyparquet-writer)\/src\//.test(readFileSync(f, 'utf8')));
    expect(deep).toEqual([]);
  });
});
