/**
 * Opens a foreign file for import: a named vendor importer when one recognises it, else the
 * generic parquet reader (by its PAR1 magic) or CSV reader (.csv, .txt, .tsv, optionally gzip).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openCsvSource } from './csv-source';
import { readHead, isGzip, isParquet, readRawHead } from './file-head';
import { GenericReader } from './generic-reader';
import type { PlanContext } from './import-plan';
import { ImportError, type ImportReader } from './import-types';
import { openParquetSource } from './parquet-source';
import { VENDOR_IMPORTERS } from './vendors';

/**
 * What a host adds to reading: `isRegularHours` (the exchange calendar; storage does not import
 * the engine) makes the preview count rows outside regular trading hours.
 */
export type ReaderContext = PlanContext;

const TEXT_EXTENSIONS = /\.(?:csv|txt|tsv)(?:\.gz|\.gzip)?$/i;

export async function openImportReader(
  file: string,
  context: ReaderContext = {},
): Promise<ImportReader> {
  const refuse = (message: string): never => {
    throw new ImportError([{ file, message }]);
  };
  try {
    const info = await stat(file);
    if (!info.isFile()) refuse('not a file');
  } catch (err) {
    if (err instanceof ImportError) throw err;
    refuse(`cannot open (${(err as Error).message})`);
  }
  let head: Uint8Array;
  let raw: Uint8Array;
  try {
    raw = await readRawHead(file, 8);
    head = await readHead(file);
  } catch (err) {
    return refuse(`cannot read (${(err as Error).message})`);
  }
  for (const vendor of VENDOR_IMPORTERS) {
    try {
      if (vendor.detect(file, head)) return await vendor.open(file, context);
    } catch (err) {
      if (err instanceof ImportError) throw err;
      return refuse(`${vendor.name}: ${(err as Error).message}`);
    }
  }
  try {
    if (isParquet(raw)) return new GenericReader(await openParquetSource(file), context);
    if (TEXT_EXTENSIONS.test(file) || isGzip(raw)) {
      return new GenericReader(await openCsvSource(file), context);
    }
  } catch (err) {
    return refuse((err as Error).message);
  }
  return refuse(
    `unknown format (${path.extname(file) || 'no extension'}): expected parquet, CSV (.csv, .txt, optionally gzip) or a vendor format`,
  );
}
