/**
 * The engine worker's entry (built as out/main/engine-worker.js; the browser-mode host runs
 * the same file from source). Electron's worker must load the Electron-ABI better-sqlite3,
 * so the native root is set before any store opens.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { setNativeRoot } from '../storage/sqlite/native-binding';
import { runWorkerHost } from '../service/worker-host';
import type { EngineWorkerData } from '../service/worker-protocol';
import { useWorkerEntry } from '../sweep/sweep-worker-entry';

const data = workerData as EngineWorkerData;
if (data.nativeRoot) setNativeRoot(data.nativeRoot);

// The app's sweeps fork worker processes: in the build, its bundled entry, on Electron's own
// binary run as Node (this thread's environment is what they inherit).
const sweepWorker = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
if (data.nativeRoot && existsSync(sweepWorker)) {
  process.env.ELECTRON_RUN_AS_NODE = '1';
  process.env.TAPEDECK_NATIVE_ROOT = data.nativeRoot;
  useWorkerEntry(sweepWorker);
}
runWorkerHost();
