import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openImportReader, type ImportReader } from '../../../src/main/storage/import';
import { VENDOR_IMPORTERS, type VendorImporter } from '../../../src/main/storage/import/vendors';
import { makeTempDir, removeTempDir, writeCsv } from './reader-fixtures';

describe('openImportReader: which reader a file gets', () => {
  let dir: string;
  const added: VendorImporter[] = [];
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    for (const vendor of added.splice(0))
      VENDOR_IMPORTERS.splice(VENDOR_IMPORTERS.indexOf(vendor), 1);
    await removeTempDir(dir);
  });

  /** A vendor importer that claims files whose content starts with `magic`. */
  function fakeVendor(magic: string, seen: { head?: string; context?: unknown }): VendorImporter {
    const vendor: VendorImporter = {
      name: 'fake',
      detect(_file, head) {
        seen.head = new TextDecoder().decode(head);
        return seen.head.startsWith(magic);
      },
      open(file, context) {
        seen.context = context;
        return Promise.resolve({ file, format: 'fake' } as ImportReader);
      },
    };
    VENDOR_IMPORTERS.unshift(vendor);
    added.push(vendor);
    return vendor;
  }

  it('asks vendor importers first, with the gunzipped head and the host context', async () => {
    const seen: { head?: string; context?: unknown } = {};
    fakeVendor('#FAKE', seen);
    const file = join(dir, 'x.csv.gz');
    await writeFile(file, gzipSync(Buffer.from('#FAKE v1\n1,2,3\n')));
    const context = { isRegularHours: () => true };
    const reader = await openImportReader(file, context);
    expect(reader.format).toBe('fake');
    expect(seen.head).toBe('#FAKE v1\n1,2,3\n');
    expect(seen.context).toBe(context);
  });

  it('falls back to the generic readers when no vendor claims the file', async () => {
    fakeVendor('#FAKE', {});
    const csv = await writeCsv(dir, 'SPY.txt', ['timestamp,price', '2024-03-04T14:30:00Z,1']);
    expect((await openImportReader(csv)).format).toBe('csv');
    // Parquet by its magic, whatever the name.
    const parquet = join(dir, 'data.bin');
    await writeFile(parquet, Buffer.from('PAR1 not really parquet PAR1'));
    await expect(openImportReader(parquet)).rejects.toThrow(
      /data\.bin: not a readable parquet file/,
    );
  });

  it('names the file when a vendor importer fails to open it', async () => {
    const vendor = fakeVendor('#FAKE', {});
    vendor.open = () => Promise.reject(new Error('bad header'));
    const file = await writeCsv(dir, 'x.csv', ['#FAKE', '1']);
    await expect(openImportReader(file)).rejects.toThrow(`${file}: fake: bad header`);
  });

  it('refuses a directory, naming it', async () => {
    await expect(openImportReader(dir)).rejects.toThrow(`${dir}: not a file`);
  });
});
