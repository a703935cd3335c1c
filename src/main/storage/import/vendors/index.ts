/**
 * Named importers for widely used vendor formats the generic parquet/CSV mapping cannot read.
 * `openImportReader` asks each, in order, whether it recognises a file.
 */
import type { ImportReader } from '../import-types';

export interface VendorImporter {
  /** Shown as the preview's format, e.g. 'lean-zip'. */
  readonly name: string;
  /** Whether this importer reads the file; `head` is its first bytes (up to 64 KiB). */
  detect(file: string, head: Uint8Array): boolean;
  open(file: string): Promise<ImportReader>;
}

export const VENDOR_IMPORTERS: VendorImporter[] = [];
