/**
 * A file's seal: what Tapedeck's writer vouches for in the footer, so neither opening a session
 * nor streaming it checks every row again (docs/long-sessions.md, "Sealed files"). Three footer
 * entries:
 *   tapedeck.rows_checked   the version of the row rules every row passed when written; absent
 *                           when any row failed them (such a file is checked row by row)
 *   tapedeck.data_crc32     CRC-32 of every byte before the footer (magic, page headers, pages):
 *                           the preflight reads the bytes instead of decoding them
 *   tapedeck.group_crc32    per row group, CRC-32 of its stream columns' chunks in stream
 *                           column order: a cursor checks a group's bytes before decoding it,
 *                           so a changed byte is an error, and unchanged rows need no checks
 * The CRCs are written as placeholders of the final length and filled in once the file's bytes
 * exist, so no length in the footer changes.
 */
import { crc32 } from 'node:zlib';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import type { StreamBatch } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import type { FileBuffer } from './file-buffer';
import { footerValueRange } from './footer-metadata-order';
import { chunkSpan } from './row-group-file';
import { RowValidator } from './row-validator';

export const ROWS_CHECKED_KEY = 'tapedeck.rows_checked';
export const DATA_CRC_KEY = 'tapedeck.data_crc32';
export const GROUP_CRC_KEY = 'tapedeck.group_crc32';
/** Every footer entry of a seal. */
export const SEAL_KEYS: ReadonlySet<string> = new Set([
  ROWS_CHECKED_KEY,
  DATA_CRC_KEY,
  GROUP_CRC_KEY,
]);
/** Bump when RowValidator's rules change: files checked under older rules get checked again. */
export const ROW_RULES_VERSION = '1';
const CRC_PLACEHOLDER = '00000000';
const CRC_PATTERN = /^[0-9a-f]{8}$/;
const CHUNK_BYTES = 2 ** 20;
/** As many as checks run at once (the session host runs a few preflights together). */
const MAX_SPARE_CHUNKS = 8;
const spareChunks: Uint8Array[] = [];

export interface Seal {
  /** Every row passed the current row rules when the file was written. */
  rowsChecked: boolean;
  /** CRC-32 of the bytes before the footer. */
  dataCrc: number;
  /** Per row group, CRC-32 of its stream columns' chunks; null when not recorded. */
  groupCrcs: number[] | null;
}

/**
 * The footer entries for a file about to be written: `batch` holds all its rows, and `groups`
 * is the number of row groups the encoder will cut them into.
 */
export function sealEntries(
  type: StreamType,
  batch: StreamBatch,
  groups: number,
): Record<string, string> {
  const entries: Record<string, string> = {
    [DATA_CRC_KEY]: CRC_PLACEHOLDER,
    [GROUP_CRC_KEY]: Array.from({ length: groups }, () => CRC_PLACEHOLDER).join(','),
  };
  if (rowsPass(type, batch)) entries[ROWS_CHECKED_KEY] = ROW_RULES_VERSION;
  return entries;
}

/**
 * Fills in the CRC placeholders of a whole file's `bytes`, in place; `columns` are the stream's
 * columns in stream order. Were the row groups not as many as announced, the group entry is
 * blanked (dashes): the file is still sealed, and its groups are checked row by row.
 */
export function stampDataCrc(bytes: Uint8Array, columns: readonly string[]): void {
  const range = footerValueRange(bytes, DATA_CRC_KEY);
  if (!range || range.length !== CRC_PLACEHOLDER.length) {
    throw new Error(`the parquet footer lost its ${DATA_CRC_KEY} placeholder`);
  }
  write(bytes, range.at, hex(crc32(bytes.subarray(0, dataEnd(bytes)))));
  const groups = footerValueRange(bytes, GROUP_CRC_KEY);
  if (!groups) return;
  const metadata = parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  const crcs = metadata.row_groups.map((group) => {
    let crc = 0;
    for (const name of columns) {
      const [start, end] = chunkSpan(group, name);
      crc = crc32(bytes.subarray(start, end), crc);
    }
    return hex(crc);
  });
  const text = crcs.join(',');
  write(bytes, groups.at, text.length === groups.length ? text : '-'.repeat(groups.length));
}

/** Whether row group `group`'s chunks, read in stream column order, still have their CRC. */
export function groupCrcHolds(seal: Seal, group: number, chunks: readonly Uint8Array[]): boolean {
  const expected = seal.groupCrcs?.[group];
  if (expected === undefined) return false;
  let crc = 0;
  for (const chunk of chunks) crc = crc32(chunk, crc);
  return crc >>> 0 === expected;
}

/** The seal a footer carries; null for files written elsewhere or before seals. */
export function readSeal(metadata: FileMetaData): Seal | null {
  let rowsChecked = false;
  let dataCrc: number | null = null;
  let groupCrcs: number[] | null = null;
  for (const { key, value } of metadata.key_value_metadata ?? []) {
    if (key === ROWS_CHECKED_KEY) rowsChecked = value === ROW_RULES_VERSION;
    else if (key === DATA_CRC_KEY && value && CRC_PATTERN.test(value)) {
      dataCrc = Number.parseInt(value, 16);
    } else if (key === GROUP_CRC_KEY && value) {
      const parts = value.split(',');
      if (parts.every((part) => CRC_PATTERN.test(part))) {
        groupCrcs = parts.map((part) => Number.parseInt(part, 16));
      }
    }
  }
  if (groupCrcs && groupCrcs.length !== metadata.row_groups.length) groupCrcs = null;
  return dataCrc === null ? null : { rowsChecked, dataCrc, groupCrcs };
}

/**
 * Whether the bytes before the footer of the open `file` still have the sealed CRC; `metadata`
 * is its footer as read (its length says where the data ends).
 */
export async function dataCrcHolds(
  file: FileBuffer,
  seal: Seal,
  metadata: FileMetaData,
): Promise<boolean> {
  const end = file.byteLength - 8 - metadata.metadata_length;
  if (end < 0) return false;
  // Read buffers are reused: a session open checks a thousand files, and a fresh buffer for
  // each would be a thousand files' worth of garbage in the process's peak memory.
  const chunk = spareChunks.pop() ?? new Uint8Array(CHUNK_BYTES);
  try {
    let crc = 0;
    for (let at = 0; at < end;) {
      const bytesRead = await file.readInto(
        chunk.subarray(0, Math.min(chunk.length, end - at)),
        at,
      );
      if (bytesRead === 0) return false;
      crc = crc32(chunk.subarray(0, bytesRead), crc);
      at += bytesRead;
    }
    return crc >>> 0 === seal.dataCrc;
  } finally {
    if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
  }
}

function hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}

function write(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
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
