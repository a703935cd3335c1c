/**
 * The text lines of the one file inside a zip, streamed: the zip is read in blocks, inflated
 * as it arrives (fflate, ZIP64 included) and split into lines, so memory stays bounded by a
 * block whatever the day's size. CRLF and a missing final newline are both accepted.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Unzip, UnzipInflate } from 'fflate';

const LOCAL_HEADER = 0x04034b50;
const READ_BLOCK = 256 * 1024;

/** The name of a zip's first entry, from its local header; null if `head` is not a zip. */
export function firstZipEntryName(head: Uint8Array): string | null {
  if (head.length < 30) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint32(0, true) !== LOCAL_HEADER) return null;
  const nameLength = view.getUint16(26, true);
  if (30 + nameLength > head.length) return null;
  return new TextDecoder().decode(head.subarray(30, 30 + nameLength));
}

export interface LineBlock {
  /** Complete lines, without their line ends. */
  lines: string[];
  /** Compressed bytes read so far, against `totalBytes`: the basis of progress. */
  bytesRead: number;
  totalBytes: number;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** Yields the lines of the zip's single entry; a second entry or a corrupt stream throws. */
export async function* zipLines(file: string): AsyncGenerator<LineBlock> {
  const totalBytes = (await stat(file)).size;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let entries = 0;
  let ended = false;
  let failure: Error | null = null;
  let partial = '';
  let pending: string[] = [];
  unzip.onfile = (entry) => {
    entries++;
    if (entries > 1) {
      failure ??= new ZipFormatError(
        `holds more than one file (the second is ${entry.name}); LEAN zips hold exactly one CSV`,
      );
      return;
    }
    entry.ondata = (error, data, final) => {
      if (error) {
        failure ??= new ZipFormatError(`is corrupt: ${error.message}`);
        return;
      }
      let text: string;
      try {
        text = partial + decoder.decode(data, { stream: !final });
      } catch {
        failure ??= new ZipFormatError('holds a CSV that is not valid UTF-8 text');
        return;
      }
      const lines = text.split('\n');
      // Not final: the last piece is an unfinished line. Final: it is the last line, or the
      // empty string after a trailing newline, which is no line at all.
      partial = final ? '' : lines.pop()!;
      if (final && lines.at(-1) === '') lines.pop();
      for (const line of lines) pending.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (final) ended = true;
    };
    entry.start();
  };
  let bytesRead = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: READ_BLOCK })) {
    const bytes = chunk as Buffer;
    bytesRead += bytes.length;
    push(unzip, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), false, (e) => {
      failure ??= e;
    });
    if (failure) throw failure;
    if (pending.length > 0) {
      yield { lines: pending, bytesRead, totalBytes };
      pending = [];
    }
  }
  push(unzip, new Uint8Array(0), true, (e) => {
    failure ??= e;
  });
  if (failure) throw failure;
  if (entries === 0) throw new ZipFormatError('holds no file');
  if (!ended) throw new ZipFormatError('ends before its CSV does (truncated)');
  if (pending.length > 0) yield { lines: pending, bytesRead, totalBytes };
}

function push(unzip: Unzip, data: Uint8Array, final: boolean, fail: (e: Error) => void): void {
  try {
    unzip.push(data, final);
  } catch (error) {
    fail(new ZipFormatError(`is corrupt: ${error instanceof Error ? error.message : error}`));
  }
}
