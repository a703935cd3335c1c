/**
 * `npm run web -- [--port N] [--data <dir>] [--config <file>]`
 *
 * The browser-mode host: serves the built renderer (building it first when missing or stale)
 * and the API over a WebSocket on 127.0.0.1, with the engine in a worker thread. The first
 * line on stdout is the URL to open, token included; everything else goes to stderr.
 */
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../data-dir';
import { inProcessBackend, workerBackend, type ApiBackend } from '../service/api-backend';
import { EngineClient, sourceWorker } from '../service/engine-client';
import { demoDataPresent, generateDemoData } from '../storage/demo-data';
import { buildRenderer, rendererStaleness } from '../web/renderer-build';
import { defaultRendererDir, startWebServer } from '../web/web-server';

interface Options {
  port: number;
  data?: string;
  config?: string;
  build: boolean;
  worker: boolean;
  demo: boolean;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('port must be an integer 0..65535 (0 picks a free one)');
  }
  return n;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(argv: string[]): Promise<void> {
  const options = new Command()
    .name('web')
    .description('Serve the Tapedeck UI to a browser on 127.0.0.1, behind a per-run token.')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parsePort, 5199)
    .option('--data <dir>', 'data directory (default: TAPEDECK_DATA or data/)')
    .option('--config <file>', 'session config to open with')
    .option('--no-build', 'serve out/renderer as it is, without building it when stale')
    .option('--no-worker', 'run the engine on the server thread (debugging)')
    .option('--no-demo', 'do not write the demo data when the data directory lacks it')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv)
    .opts<Options>();

  const dataDir = options.data ? resolve(options.data) : defaultDataDir();
  const configFile = options.config ? resolve(options.config) : null;
  if (options.demo && !demoDataPresent(dataDir)) {
    log(`writing the demo data into ${dataDir}`);
    generateDemoData(dataDir);
  }
  const stale = rendererStaleness(ROOT);
  if (stale && options.build) {
    log(`building the renderer: ${stale}`);
    buildRenderer(ROOT);
  } else if (stale) {
    log(`warning: ${stale}; serving it anyway (--no-build)`);
  }

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const engine = {
    dataDir,
    host: 'browser' as const,
    name: 'Tapedeck',
    version: pkg.version,
    lastSessionFile: null,
    defaultConfigFile: configFile,
  };
  const backend: ApiBackend = options.worker
    ? workerBackend(
        new EngineClient({
          ...sourceWorker(join(ROOT, 'src', 'main', 'electron', 'engine-worker.ts')),
          workerData: { ...engine, nativeRoot: null },
        }),
      )
    : inProcessBackend(engine);

  const server = await startWebServer({
    port: options.port,
    rendererDir: defaultRendererDir(ROOT),
    backend,
    onProblem: log,
  });
  process.stdout.write(`${server.url}\n`);
  log(`Tapedeck in browser mode: data ${dataDir}; Ctrl-C stops it.`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => backend.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A host whose launcher died (a test runner killed without its children) must not linger
  // holding a port and a worker: once re-parented, it stops.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}

main(process.argv).catch((error: unknown) => {
  log(`web failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
