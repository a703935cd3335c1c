/**
 * The worker side: one SessionService, fed by the host's messages. Runs inside a
 * node:worker_threads worker, so the host's thread (Electron's main, the HTTP server) never
 * waits on a replay or a file read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from './api-error';
import type { ImportEngine } from './import-bridge';
import { SessionService } from './session-service';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

export function runWorkerHost(importEngine?: ImportEngine): void {
  const port = parentPort;
  if (!port) throw new Error('runWorkerHost() runs inside a worker thread');
  const data = workerData as EngineWorkerData;
  const post = (message: FromWorker): void => port.postMessage(message);
  const service = new SessionService({
    dataDir: data.dataDir,
    host: data.host,
    name: data.name,
    version: data.version,
    lastSessionFile: data.lastSessionFile,
    defaultConfigFile: data.defaultConfigFile,
    ...(importEngine ? { importEngine } : {}),
    emit: (event, payload) => post({ type: 'event', event, payload }),
  });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void service
        .close()
        .catch(() => undefined)
        .then(() => {
          post({ type: 'closed' });
          port.close();
        });
      return;
    }
    const { id, method, params } = message;
    service.handle(method, params).then(
      (result) => post({ type: 'response', id, result }),
      (error: unknown) => post({ type: 'response', id, error: toApiError(error) }),
    );
  });
}
