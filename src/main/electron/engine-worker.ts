/**
 * The engine worker's entry (built as out/main/engine-worker.js; the browser-mode host runs
 * the same file from source). Electron's worker must load the Electron-ABI better-sqlite3,
 * so the native root is set before any store opens.
 */
import { workerData } from 'node:worker_threads';
import { setNativeRoot } from '../storage/sqlite/native-binding';
import { runWorkerHost } from '../service/worker-host';
import type { EngineWorkerData } from '../service/worker-protocol';

const data = workerData as EngineWorkerData;
if (data.nativeRoot) setNativeRoot(data.nativeRoot);
runWorkerHost();
