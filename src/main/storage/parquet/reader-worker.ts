/**
 * The reader worker's side: decodes and checks each stream's slabs ahead of the merge, at most
 * `prefetch` slabs a stream beyond what the merge has taken, and runs preflights. Work is done
 * in the order it was asked for (open, then each credit), which is the order the merge drains
 * its streams in, so the slab needed next is decoded first.
 */
import type { MessagePort } from 'node:worker_threads';
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

export function runReaderWorker(port: MessagePort): void {
  const streams = new Map<number, ReaderStream>();
  const jobs: Job[] = [];
  let working = false;
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
          stream.slabs = readSlabs(opened, stream.slabRows);
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
        handOver(id, kept, batch);
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
   * The slab's columns cross as they are: each lies in a buffer decoded for this slab alone (the
   * decoder's IPC copy, or a converted column), so moving those buffers costs no copy and no
   * second allocation of the slab.
   */
  function handOver(id: number, length: number, batch: StreamBatch): void {
    const timestamp = batch.timestamp.subarray(0, length);
    const values = batch.values.map((column) => column.subarray(0, length));
    const buffers = new Set<ArrayBuffer>();
    for (const column of [timestamp, ...values]) buffers.add(column.buffer as ArrayBuffer);
    post({ type: 'slab', stream: id, length, timestamp, values }, [...buffers]);
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
