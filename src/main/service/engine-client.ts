/**
 * The host side of the engine worker: requests as promises, events as a listener. A worker
 * that dies (a crash, an out-of-memory) fails the requests in flight with a plain error, is
 * reported as a log entry, and is started again on the next request.
 */
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { LogEntry } from '../../shared/ipc-contract';
import type { EventName } from '../../shared/ws-protocol';
import { ApiRequestError } from './api-error';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

/**
 * A worker running a TypeScript entry from source (the browser host under tsx): a worker does
 * not inherit tsx's loader, so a small bootstrap registers it before importing the entry.
 */
export function sourceWorker(file: string): Pick<EngineClientOptions, 'entry' | 'worker'> {
  const entry = JSON.stringify(pathToFileURL(file).href);
  return {
    entry: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`,
    worker: { eval: true },
  };
}

/**
 * A session keeps what its upkeep finds (a gap record per no-trade run: tens of thousands on a
 * day of sparse 1s bars), and V8's young generation starts at 1 MB and grows only under
 * pressure, so scavenges copy those survivors again and again. A young generation sized for
 * them up front promotes them once; docs/upkeep.md has the measure.
 */
export const ENGINE_HEAP = { maxYoungGenerationSizeMb: 96 } as const;

export type EngineEventListener = (event: EventName, payload: unknown) => void;

export interface EngineClientOptions {
  /** The worker's entry file (or, with `worker.eval`, its code). */
  entry: string | URL;
  workerData: EngineWorkerData;
  /** Extra Worker options (execArgv to load TypeScript from source, say). */
  worker?: Omit<WorkerOptions, 'workerData'>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * A Stop the worker has not answered by then means its thread is stuck (a strategy in an
 * endless loop cannot be interrupted from inside): the worker is terminated and replaced.
 */
export const STOP_DEADLINE_MS = 2000;

function isStop(method: string, params: unknown): boolean {
  return (
    method === 'controlSession' &&
    typeof params === 'object' &&
    params !== null &&
    (params as { action?: unknown }).action === 'stop'
  );
}

export class EngineClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EngineEventListener>();
  private closing: Promise<void> | null = null;

  constructor(private readonly options: EngineClientOptions) {}

  onEvent(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request(method: string, params: unknown): Promise<unknown> {
    if (this.closing) return Promise.reject(new ApiRequestError('The engine is shutting down'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    if (isStop(method, params)) {
      const timer = setTimeout(() => this.replaceStuck(worker, id), STOP_DEADLINE_MS);
      const done = (): void => clearTimeout(timer);
      return new Promise((resolve, reject) => {
        this.pending.set(id, {
          resolve: (v) => (done(), resolve(v)),
          reject: (e) => (done(), reject(e)),
        });
        worker.postMessage({ type: 'request', id, method, params } satisfies ToWorker);
      });
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message: ToWorker = { type: 'request', id, method, params };
      try {
        worker.postMessage(message);
      } catch (error) {
        // Not cloneable (a function, say): refuse it like any invalid payload.
        this.pending.delete(id);
        reject(new ApiRequestError(`Invalid ${method} request: ${(error as Error).message}`));
      }
    });
  }

  /** Stops the session cleanly, then the worker. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 5000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.entry, {
      ...this.options.worker,
      resourceLimits: { ...ENGINE_HEAP, ...this.options.worker?.resourceLimits },
      workerData: this.options.workerData,
    });
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.lost(worker, error.message));
    worker.on('exit', (code) => this.lost(worker, `exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event, message.payload);
      return;
    }
    if (message.type !== 'response') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ('error' in message) {
      pending.reject(new ApiRequestError(message.error.message, message.error.issues));
    } else {
      pending.resolve(message.result);
    }
  }

  /** Ends a worker that did not answer a Stop; the Stop itself is answered as done. */
  private replaceStuck(worker: Worker, stopId: number): void {
    if (this.worker !== worker) return;
    const why =
      `the session did not stop within ${STOP_DEADLINE_MS / 1000} s (a strategy stuck in a ` +
      'loop?), so the engine was replaced';
    const stop = this.pending.get(stopId);
    this.pending.delete(stopId);
    stop?.resolve({ state: 'stopped', clock: null, speed: 0, progress: 0, events: 0, error: why });
    this.lost(worker, why);
    void worker.terminate();
  }

  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const failed = [...this.pending.values()];
    this.pending.clear();
    if (this.closing) return;
    for (const p of failed) p.reject(new ApiRequestError(`The engine stopped (${why})`));
    const entry: LogEntry = {
      time: Date.now(),
      level: 'error',
      message: `The engine stopped (${why}); it starts again with the next request.`,
    };
    for (const listener of this.listeners) listener('log', entry);
  }
}
