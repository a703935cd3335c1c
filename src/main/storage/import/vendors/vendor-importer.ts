/** What a named importer for a vendor's own format offers `openImportReader`. */
import type { PlanContext } from '../import-plan';
import type { ImportReader } from '../import-types';

export interface VendorImporter {
  /** Shown as the preview's format, e.g. 'lean-zip'. */
  readonly name: string;
  /** Whether this importer reads the file; `head` is its first bytes (up to 64 KiB). */
  detect(file: string, head: Uint8Array): boolean;
  /** Opens the file; `context` is what the host adds (the exchange calendar's hours). */
  open(file: string, context?: VendorContext): Promise<ImportReader>;
}

/** The generic reader's context, so a host passes one object to both. */
export type VendorContext = PlanContext;
