/**
 * Messages between a host (Electron main, the browser-mode server) and the engine worker that
 * runs the SessionService. Structured clone carries them, so bars stay plain number columns.
 */
import type { ApiReply } from '../../shared/ipc-contract';
import type { EventName } from '../../shared/ws-protocol';

/** What the worker is started with (`workerData`). */
export interface EngineWorkerData {
  dataDir: string;
  host: 'electron' | 'browser';
  name: string;
  version: string;
  lastSessionFile: string | null;
  /** The config to open with, when the host was given one. */
  defaultConfigFile: string | null;
  /** Where `.native/` (the Electron-ABI better-sqlite3) is looked for; Electron only. */
  nativeRoot: string | null;
}

export type ToWorker =
  { type: 'request'; id: number; method: string; params: unknown } | { type: 'close' };

export type FromWorker =
  | ({ type: 'response'; id: number } & ApiReply)
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'closed' };
