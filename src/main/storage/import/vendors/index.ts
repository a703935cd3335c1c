/**
 * Named importers for widely used vendor formats the generic parquet/CSV mapping cannot read.
 * `openImportReader` asks each, in order, whether it recognises a file; each recognises only
 * files it is sure of, so the order matters only for speed.
 *
 *   lean-zip   QuantConnect LEAN equity and crypto zips: second/minute trade and quote bars,
 *              trade and quote ticks (lean-importer.ts)
 */
import { leanImporter } from './lean-importer';
import type { VendorImporter } from './vendor-importer';

export type { VendorContext, VendorImporter } from './vendor-importer';

export const VENDOR_IMPORTERS: VendorImporter[] = [leanImporter];
