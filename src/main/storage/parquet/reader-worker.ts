/**
 * The reader worker's side: decodes and checks each stream's slabs ahead of the merge, at most
 * `prefetch` slabs a stream beyond what the merge has taken, and runs preflights. Work is done
 * in the order it was asked for (open, then each credit), which is the order the merge drains
 * its streams in, so the slab needed next is decoded first.
 */
import type { MessagePort } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { fingerprintRows } from '../../../shared/rows-print';
import type { StreamBatch } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import {
  forReading,
  openStreamFile,
  readSlabs,
  type DecodedSlab,
  type StreamFileToRead,
} from './parquet-file-reader';
import { preflightStream } from './preflight';
import { serializeError, serializeReport, type FromReader, type ToReader } from './reader-protocol';
import { RowValidator } from './row-validator';

interface ReaderStream {
  type: StreamType;
  files: readonly StreamFileToRead[];
  fileIndex: number;
  slabs?: AsyncGenerator<DecodedSlab, void, undefined>;
  validator: RowValidator;
  slabRows?: number;
  done: boolean;
}

type Job =
  | { type: 'slab'; stream: number }
  | Extract<ToReader, { type: 'preflight' }>
  | { type: 'close'; stream: number };

/**
 * Bytes of spare slab buffers kept at most. Buffers in the pool are on their way round (most of
 * the circulating memory is in the merge's hands), so this bounds only what streams leave
 * behind when they end.
 */
const MAX_SPARE_BYTES = 128 * 2 ** 20;

export function runReaderWorker(port: MessagePort): void {
  const streams = new Map<number, ReaderStream>();
  const spare: ArrayBuffer[] = [];
  let spareBytes = 0;
  const jobs: Job[] = [];
  let working = false;
  /** A streamed row's flags are zero: the bytes its fingerprint folds in for them. */
  let zeroFlags = new Uint8Array(0);
  const post = (message: FromReader, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);

  port.on('message', (message: ToReader) => {
    switch (message.type) {
      case 'open':
        streams.set(message.stream, {
          type: message.streamType,
          files: message.files,
          fileIndex: 0,
          validator: new RowValidator(message.streamType, { skipInvalid: message.skipInvalid }),
          ...(message.slabRows !== undefined ? { slabRows: message.slabRows } : {}),
          done: false,
        });
        for (let i = 0; i < message.prefetch; i++)
          jobs.push({ type: 'slab', stream: message.stream });
        break;
      case 'credit':
        jobs.push({ type: 'slab', stream: message.stream });
        break;
      case 'close':
        // Ahead of queued slabs: they are no longer wanted.
        jobs.unshift({ type: 'close', stream: message.stream });
        break;
      case 'preflight':
        jobs.push(message);
        break;
      case 'recycle':
        for (const buffer of message.buffers) {
          if (spareBytes + buffer.byteLength > MAX_SPARE_BYTES) continue;
          spare.push(buffer);
          spareBytes += buffer.byteLength;
        }
        // Not work: nothing waits for it.
        return;
    }
    if (!working) void drain();
  });

  async function drain(): Promise<void> {
    working = true;
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      if (job.type === 'slab') await decodeNext(job.stream);
      else if (job.type === 'close') await close(job.stream);
      else await preflight(job);
    }
    working = false;
  }

  async function decodeNext(id: number): Promise<void> {
    const stream = streams.get(id);
    if (!stream || stream.done) return;
    try {
      for (;;) {
        if (!stream.slabs) {
          const file = stream.files[stream.fileIndex];
          if (!file) {
            stream.done = true;
            post({ type: 'end', stream: id });
            return;
          }
          const opened = file.metadata ? file : forReading(await openStreamFile(file, stream.type));
          stream.slabs = readSlabs(opened, stream.slabRows, slabMemory);
        }
        const step = await stream.slabs.next();
        if (step.done) {
          stream.slabs = undefined;
          stream.fileIndex++;
          continue;
        }
        const { batch, firstRow, vouched } = step.value;
        const path = stream.files[stream.fileIndex]!.path;
        const kept = stream.validator.checkSlab(batch, path, firstRow, vouched);
        // Every row dropped: nothing to hand over, and the credit is still unspent.
        if (kept === 0) continue;
        // Only base bars are released from memory with a fingerprint (released-bars.ts).
        handOver(id, kept, batch, stream.type === 'bars');
        return;
      }
    } catch (error) {
      stream.done = true;
      await stream.slabs?.return().catch(() => undefined);
      stream.slabs = undefined;
      post({ type: 'error', stream: id, error: serializeError(error) });
    }
  }

  /**
   * The slab's columns cross as they are, in one buffer decoded for this slab alone (or, for
   * the rare file decoded through Arrow IPC, the decoder's copy and converted columns): moving
   * it costs no copy, and the merge hands it back once it has finished with every row.
   */
  function handOver(id: number, length: number, batch: StreamBatch, print: boolean): void {
    const timestamp = batch.timestamp.subarray(0, length);
    const values = batch.values.map((column) => column.subarray(0, length));
    let fingerprint: number | undefined;
    if (print) {
      if (zeroFlags.length < length) zeroFlags = new Uint8Array(length);
      fingerprint = fingerprintRows(crc32, timestamp, values, zeroFlags, 0, length);
    }
    const buffers = new Set<ArrayBuffer>();
    for (const column of [timestamp, ...values]) buffers.add(column.buffer as ArrayBuffer);
    post({ type: 'slab', stream: id, length, timestamp, values, fingerprint }, [...buffers]);
  }

  /**
   * Memory for a slab: the smallest spare buffer that holds it, and none much larger, so a
   * short slab does not hold a day's worth; otherwise a new one with a little headroom, so days
   * of slightly different lengths share buffers.
   */
  function slabMemory(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < spare.length; i++) {
      const size = spare[i]!.byteLength;
      const fits = size >= bytes && size <= 4 * bytes + 65_536;
      if (fits && (best < 0 || size < spare[best]!.byteLength)) best = i;
    }
    if (best < 0) return new ArrayBuffer(Math.ceil((bytes * 1.125) / 8) * 8);
    const [buffer] = spare.splice(best, 1);
    spareBytes -= buffer!.byteLength;
    return buffer!;
  }

  async function close(id: number): Promise<void> {
    const stream = streams.get(id);
    streams.delete(id);
    await stream?.slabs?.return().catch(() => undefined);
  }

  async function preflight(job: Extract<ToReader, { type: 'preflight' }>): Promise<void> {
    try {
      const report = await preflightStream(job.dataDir, job.key, job.range, job.options);
      post({ type: 'preflight', request: job.request, report: serializeReport(report) });
    } catch (error) {
      post({ type: 'preflightFailed', request: job.request, error: serializeError(error) });
    }
  }
}
