/**
 * A file's seal: what Tapedeck's writer vouches for in the footer, so opening a session need
 * not decode every row a second time to know the replay will not fail halfway
 * (docs/long-sessions.md, "Sealed files"). Two footer entries:
 *   tapedeck.rows_checked  the version of the row rules every row passed when written; absent
 *                          when any row failed them (such a file is checked row by row)
 *   tapedeck.data_crc32    CRC-32 of every byte before the footer (magic, page headers, pages)
 * The CRC covers what the footer describes, so a flipped bit anywhere in the data is caught by
 * reading the bytes, which costs a small fraction of decoding them. It is written as a
 * placeholder of the same length and filled in once the file's bytes exist, so no length in
 * the footer changes.
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { FileMetaData } from 'hyparquet';
import type { StreamBatch } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import { footerValueRange } from './footer-metadata-order';
import { RowValidator } from './row-validator';

export const ROWS_CHECKED_KEY = 'tapedeck.rows_checked';
export const DATA_CRC_KEY = 'tapedeck.data_crc32';
/** Bump when RowValidator's rules change: files checked under older rules get checked again. */
export const ROW_RULES_VERSION = '1';
const CRC_PLACEHOLDER = '00000000';
const CHUNK_BYTES = 4 * 2 ** 20;

export interface Seal {
  /** Every row passed the current row rules when the file was written. */
  rowsChecked: boolean;
  /** CRC-32 of the bytes before the footer. */
  dataCrc: number;
}

/** The footer entries for a file about to be written, `batch` being all its rows. */
export function sealEntries(type: StreamType, batch: StreamBatch): Record<string, string> {
  const entries: Record<string, string> = { [DATA_CRC_KEY]: CRC_PLACEHOLDER };
  if (rowsPass(type, batch)) entries[ROWS_CHECKED_KEY] = ROW_RULES_VERSION;
  return entries;
}

/** Fills in the CRC placeholder of a whole file's `bytes`, in place. */
export function stampDataCrc(bytes: Uint8Array): void {
  const range = footerValueRange(bytes, DATA_CRC_KEY);
  if (!range || range.length !== CRC_PLACEHOLDER.length) {
    throw new Error(`the parquet footer lost its ${DATA_CRC_KEY} placeholder`);
  }
  const hex = (crc32(bytes.subarray(0, dataEnd(bytes))) >>> 0).toString(16).padStart(8, '0');
  for (let i = 0; i < hex.length; i++) bytes[range.at + i] = hex.charCodeAt(i);
}

/** The seal a footer carries; null for files written elsewhere or before seals. */
export function readSeal(metadata: FileMetaData): Seal | null {
  let rowsChecked = false;
  let dataCrc: number | null = null;
  for (const { key, value } of metadata.key_value_metadata ?? []) {
    if (key === ROWS_CHECKED_KEY) rowsChecked = value === ROW_RULES_VERSION;
    else if (key === DATA_CRC_KEY && value && /^[0-9a-f]{8}$/.test(value)) {
      dataCrc = Number.parseInt(value, 16);
    }
  }
  return dataCrc === null ? null : { rowsChecked, dataCrc };
}

/** Whether the bytes before the footer of the file at `path` still have the sealed CRC. */
export async function dataCrcHolds(path: string, seal: Seal): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 12) return false;
    const tail = new Uint8Array(8);
    await handle.read(tail, 0, 8, size - 8);
    const end = size - 8 - new DataView(tail.buffer).getUint32(0, true);
    if (end < 0) return false;
    const chunk = new Uint8Array(Math.min(CHUNK_BYTES, end));
    let crc = 0;
    for (let at = 0; at < end;) {
      const want = Math.min(chunk.length, end - at);
      const { bytesRead } = await handle.read(chunk, 0, want, at);
      if (bytesRead === 0) return false;
      crc = crc32(chunk.subarray(0, bytesRead), crc);
      at += bytesRead;
    }
    return crc >>> 0 === seal.dataCrc;
  } finally {
    await handle.close();
  }
}

/** Where the footer starts in a whole file's bytes. */
function dataEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.length - 8 - view.getUint32(bytes.length - 8, true);
}

function rowsPass(type: StreamType, batch: StreamBatch): boolean {
  try {
    // The validator compacts only when skipping; throwing mode leaves the columns as they are.
    new RowValidator(type).check(batch, '', 0);
    return true;
  } catch {
    return false;
  }
}
