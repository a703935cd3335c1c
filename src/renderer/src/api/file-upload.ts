/**
 * Files for the import: in Electron the dropped file's path goes to main (no bytes copied);
 * in the browser the bytes are uploaded, base64, through the same API.
 */
import type { ImportFile } from '../../../shared/ipc-contract';

/** Base64 of bytes, in chunks so a large file never builds one giant argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export async function toImportFile(
  file: File,
  pathForFile: ((file: File) => string) | null,
): Promise<ImportFile> {
  const path = pathForFile?.(file);
  if (path) return { path };
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { name: file.name, base64: bytesToBase64(bytes) };
}

/** Only the kinds the importer reads; anything else is named in the log, not sent. */
export function isImportable(name: string): boolean {
  return /\.(parquet|csv|csv\.gz|txt|zip|gz)$/i.test(name);
}
