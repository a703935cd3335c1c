/**
 * Parquet decoding off the merge's thread: one worker thread decodes and checks every stream's
 * slabs ahead of the merge (docs/long-sessions.md, "Reading off the merge path") and runs the
 * preflights. The worker lives while anything uses it — an open cursor or a pending preflight —
 * and is terminated shortly after the last one is done, so a stopped session leaves no thread
 * behind. The short grace keeps one thread from a session's preflights to its cursors: started
 * again between them, the thread would load its modules and grow its decoder's memory twice
 * while the merge waits for its first slabs.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../../runtime/compiled-entry';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { DateRange, StreamKey } from '../../../shared/stream-cursor';
import { rowCounts, type StreamFileToRead } from './parquet-file-reader';
import type { PreflightOptions, PreflightReport } from './preflight';
import {
  deserializeError,
  deserializeReport,
  type FromReader,
  type ToReader,
} from './reader-protocol';
import { WorkerStreamCursor } from './worker-stream-cursor';

/** How to start the worker: a file, or (with `eval`) code. */
export interface ReaderWorkerEntry {
  entry: string | URL;
  options?: WorkerOptions;
}

export interface ParquetReaderOptions {
  /** Slabs a stream may have decoded ahead of the merge (default 1). */
  prefetch?: number;
  /** Defaults to readerWorkerEntry(). */
  worker?: ReaderWorkerEntry;
  /** How long an unused thread is kept for the next user, in ms (default 500). */
  graceMs?: number;
}

export interface ReaderStreamOptions {
  skipInvalid?: boolean;
  slabRows?: number;
}

export class ParquetReader {
  private worker: Worker | null = null;
  private readonly streams = new Map<number, WorkerStreamCursor>();
  private readonly requests = new Map<
    number,
    { resolve: (r: PreflightReport) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private readonly prefetch: number;
  private readonly entry: ReaderWorkerEntry;
  /** Threads started so far (a test counts them). */
  started = 0;
  /** Slab buffers handed back to the worker so far (a test counts them). */
  recycled = 0;
  private exiting: Promise<unknown> = Promise.resolve();
  private readonly graceMs: number;
  /** Set while an unused thread waits out its grace; settles when it ends or is taken back. */
  private grace: { timer: NodeJS.Timeout; settled: Promise<void>; settle: () => void } | null =
    null;

  constructor(options: ParquetReaderOptions & { worker: ReaderWorkerEntry }) {
    this.prefetch = Math.max(1, options.prefetch ?? 1);
    this.entry = options.worker;
    this.graceMs = Math.max(0, options.graceMs ?? 500);
  }

  /** Preflights sent to the worker and not answered yet. */
  get pendingPreflights(): number {
    return this.requests.size;
  }

  /** Resolves once the last thread started has exited (after the last user let go of it). */
  async whenStopped(): Promise<void> {
    // A thread taken back during its grace lives on until its users let go again.
    while (this.grace) await this.grace.settled;
    await this.exiting;
  }

  /** True while the worker thread exists. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** A cursor over `files` (already opened and checked, in date order). */
  open(key: StreamKey, files: readonly StreamFileToRead[], options: ReaderStreamOptions = {}) {
    const id = this.nextId++;
    const { totalRows, largestDayRows } = rowCounts(files);
    const cursor = new WorkerStreamCursor(key, totalRows, largestDayRows, id, this);
    this.streams.set(id, cursor);
    this.send({
      type: 'open',
      stream: id,
      streamType: key.type,
      files,
      skipInvalid: options.skipInvalid ?? false,
      ...(options.slabRows !== undefined ? { slabRows: options.slabRows } : {}),
      prefetch: this.prefetch,
    });
    return cursor;
  }

  /** preflightStream, run in the worker. */
  preflight(
    dataDir: string,
    key: StreamKey,
    range: DateRange,
    options: PreflightOptions,
  ): Promise<PreflightReport> {
    const request = this.nextId++;
    return new Promise<PreflightReport>((resolve, reject) => {
      this.requests.set(request, { resolve, reject });
      this.send({ type: 'preflight', request, dataDir, key, range, options });
    });
  }

  credit(stream: number): void {
    if (this.streams.has(stream)) this.send({ type: 'credit', stream });
  }

  recycle(buffers: ArrayBuffer[]): void {
    // Detached here, the memory is the worker's again; with no worker, the collector's.
    if (!this.worker) return;
    this.worker.postMessage({ type: 'recycle', buffers } satisfies ToReader, buffers);
    this.recycled += buffers.length;
  }

  release(stream: number): void {
    if (!this.streams.delete(stream)) return;
    this.worker?.postMessage({ type: 'close', stream } satisfies ToReader);
    this.stopIfIdle();
  }

  /** Ends the worker now; open cursors fail, pending preflights reject. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.endGrace();
    this.lost(new Error('the parquet reader was closed'));
    if (worker) this.exiting = worker.terminate();
    await this.exiting;
  }

  private send(message: ToReader): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    this.endGrace();
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry.entry, {
      ...this.entry.options,
      // It holds no more than a slab per stream at a time; the process's young-generation
      // setting (sized for the merge's survivors) would only hold garbage longer here.
      resourceLimits: { maxYoungGenerationSizeMb: 8, ...this.entry.options?.resourceLimits },
    });
    // The sessions using it keep the process alive, not the thread itself.
    worker.unref();
    worker.on('message', (message: FromReader) => this.receive(message));
    worker.on('error', (error) => {
      if (this.worker === worker)
        this.lost(new Error(`parquet reader worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker)
        this.lost(new Error(`parquet reader worker exited (code ${code})`));
    });
    this.worker = worker;
    this.started++;
    return worker;
  }

  private receive(message: FromReader): void {
    switch (message.type) {
      case 'slab':
        this.streams
          .get(message.stream)
          ?.deliver(message.length, message.timestamp, message.values, message.fingerprint);
        return;
      case 'end':
        this.streams.get(message.stream)?.end();
        return;
      case 'error':
        this.streams.get(message.stream)?.fail(deserializeError(message.error));
        return;
      case 'preflight':
      case 'preflightFailed': {
        const pending = this.requests.get(message.request);
        this.requests.delete(message.request);
        if (message.type === 'preflight') pending?.resolve(deserializeReport(message.report));
        else pending?.reject(deserializeError(message.error));
        this.stopIfIdle();
        return;
      }
    }
  }

  private stopIfIdle(): void {
    if (this.streams.size > 0 || this.requests.size > 0 || !this.worker || this.grace) return;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const timer = setTimeout(() => {
      this.endGrace();
      const worker = this.worker;
      if (!worker || this.streams.size > 0 || this.requests.size > 0) return;
      this.worker = null;
      this.exiting = worker.terminate();
    }, this.graceMs);
    // A waiting thread keeps nothing alive: a process with no other work exits.
    timer.unref();
    this.grace = { timer, settled, settle };
  }

  private endGrace(): void {
    const grace = this.grace;
    if (!grace) return;
    this.grace = null;
    clearTimeout(grace.timer);
    grace.settle();
  }

  /** The thread is gone: everything waiting on it fails with `why`. */
  private lost(why: Error): void {
    this.endGrace();
    this.worker = null;
    const streams = [...this.streams.values()];
    const requests = [...this.requests.values()];
    this.streams.clear();
    this.requests.clear();
    for (const cursor of streams) cursor.fail(why);
    for (const request of requests) request.reject(why);
  }
}

/**
 * The worker's entry: the built file beside this module's bundle, or, running from source
 * (tsx, vitest), the TypeScript entry bundled once with esbuild into node_modules/.cache (its
 * packages stay imports, resolved from there). A plain-JS worker is some 80 MB lighter than one
 * that loads tsx, which runs its own module-hooks thread. Null when neither works; the caller
 * then decodes on its own thread.
 */
export function readerWorkerEntry(): ReaderWorkerEntry | null {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (!here.endsWith('.ts')) {
    for (const candidate of [
      join(dir, 'parquet-reader-worker.js'),
      join(dir, '..', 'parquet-reader-worker.js'),
    ]) {
      if (existsSync(candidate)) return { entry: candidate };
    }
    return null;
  }
  sourceEntry ??= bundleFromSource(join(dir, 'parquet-reader-worker.ts'));
  return sourceEntry ? { entry: sourceEntry } : null;
}

let sourceEntry: string | null | undefined;

function bundleFromSource(entry: string): string | null {
  try {
    return compiledEntry(entry, { name: 'tapedeck-reader-worker', packagesExternal: true });
  } catch {
    return null;
  }
}
