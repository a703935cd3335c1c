/**
 * A private redis-server for a test: on 127.0.0.1, a free port, nothing saved to disk. Absent
 * redis-server → null and a one-line reason (in CI, where .ci/run installs it, a failure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { checkRedis } from '../../src/main/sweep/sweep-queue';

const BINARY = '/usr/bin/redis-server';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export function redisAvailable(): { ok: boolean; reason: string } {
  if (existsSync(BINARY)) return { ok: true, reason: '' };
  if (IN_CI) throw new Error(`CI must have ${BINARY} (.ci/run installs redis-server)`);
  return { ok: false, reason: `skipped: ${BINARY} is absent (apt-get install redis-server)` };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  /** Resolves once the server has exited (and been reaped). */
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if ((await checkRedis(url)) === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      return {
        url,
        stop: () => {
          child.kill();
          return exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`redis-server did not start on ${url}`);
}
