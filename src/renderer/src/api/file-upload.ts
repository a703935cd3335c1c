/**
 * Files for the import: in Electron the dropped file's path goes to main (no bytes copied);
 * in the browser the bytes are uploaded through the same API in chunks (uploadBegin declares
 * the size, so the host can refuse before a byte is sent), read from the File a slice at a
 * time: neither the page nor the host ever holds a whole file.
 */
import {
  MAX_UPLOAD_BYTES,
  UPLOAD_CHUNK_BYTES,
  type ImportFile,
  type TapedeckApi,
} from '../../../shared/ipc-contract';

export type UploadApi = Pick<TapedeckApi, 'uploadBegin' | 'uploadChunk' | 'uploadEnd'>;

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
  api: UploadApi,
): Promise<ImportFile> {
  const path = pathForFile?.(file);
  if (path) return { path };
  const { uploadId } = await api.uploadBegin({ name: file.name, size: file.size });
  for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    const slice = file.slice(offset, Math.min(file.size, offset + UPLOAD_CHUNK_BYTES));
    const bytes = new Uint8Array(await slice.arrayBuffer());
    await api.uploadChunk({ uploadId, offset, base64: bytesToBase64(bytes) });
  }
  await api.uploadEnd({ uploadId });
  return { upload: uploadId };
}

/** Why these files cannot be uploaded together, before anything is sent; null when they can. */
export function uploadProblem(files: readonly File[], limit = MAX_UPLOAD_BYTES): string | null {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total <= limit) return null;
  const names = files.map((f) => f.name).join(', ');
  return (
    `${names}: ${mib(total)} MB in all, over the ${mib(limit)} MB the browser may upload at ` +
    'once; import fewer files at a time, or from the desktop app or the command line'
  );
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** Only the kinds the importer reads; anything else is named in the log, not sent. */
export function isImportable(name: string): boolean {
  return /\.(parquet|csv|csv\.gz|txt|zip|gz)$/i.test(name);
}
