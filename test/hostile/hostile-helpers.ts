/**
 * The hostile suite's tools: the real browser-mode host as a child process (the CLI a user
 * runs), raw WebSocket upgrades and hand-made frames over `net`, a data-directory hash, and a
 * tally of what was tried (written to test-results/hostile/ for the closing figures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { demoData } from '../service/service-helpers';

const TSX = resolve('node_modules/.bin/tsx');
const WEB = resolve('src/main/cli/web.ts');

/** A copy of the demo data set the test may let a host write into. */
export function demoCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tapedeck-hostile-')), 'data');
  cpSync(demoData(), dir, { recursive: true });
  return dir;
}

export interface Host {
  child: ChildProcess;
  port: number;
  token: string;
  origin: string;
  /** What the host wrote to stderr so far. */
  stderr(): string;
  alive(): boolean;
  stop(): Promise<number | null>;
}

/** `npm run web -- --port 0 --data <dir> --no-build`, as a user starts it. */
export async function startHost(dataDir: string, env: Record<string, string> = {}): Promise<Host> {
  const child = spawn(TSX, [WEB, '--port', '0', '--data', dataDir, '--no-build', '--no-demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL in 60 s\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      done(l);
    });
    child.once('exit', (code) => fail(new Error(`web exited ${code}\n${stderr}`)));
  });
  const url = new URL(line);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    origin: `http://${url.host}`,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface RawUpgrade {
  status: number;
  socket: Socket;
  /** Bytes the server sent after its response head. */
  rest: Buffer;
}

/** A hand-written upgrade request; `headers` replace or add to the usual ones. */
export function rawUpgrade(
  host: Host,
  headers: Record<string, string | null> = {},
  path = `/ws?token=${host.token}`,
): Promise<RawUpgrade> {
  const all: Record<string, string | null> = {
    Host: `127.0.0.1:${host.port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    Origin: host.origin,
    ...headers,
  };
  const head = Object.entries(all)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port: host.port });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error('no upgrade answer in 10 s')), 10_000);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(buffer.toString('latin1'))?.[1] ?? -1);
      done({ status, socket, rest: buffer.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\n${head}\r\n\r\n`));
  });
}

export interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  /** Client frames must be masked; false sends one unmasked. */
  mask?: boolean;
  /** The length to claim in the header, when not the payload's. */
  claimLength?: number;
}

/** One WebSocket frame, as bytes. */
export function frame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const length = options.claimLength ?? payload.length;
  const mask = options.mask ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (mask ? 0x80 : 0) | length]);
  } else if (length < 65536) {
    header = Buffer.from([first, (mask ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

/**
 * Sends bytes on an upgraded socket and waits for the server to end it: resolves with the close
 * code of the server's close frame (null when it sent none) once the socket is closed.
 */
export function sendAndAwaitClose(up: RawUpgrade, bytes: Buffer): Promise<number | null> {
  return new Promise((done, fail) => {
    let received = up.rest;
    const timer = setTimeout(() => {
      up.socket.destroy();
      fail(new Error('the server kept the socket open for 10 s'));
    }, 10_000);
    up.socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    up.socket.on('error', () => undefined);
    up.socket.once('close', () => {
      clearTimeout(timer);
      done(closeCode(received));
    });
    up.socket.write(bytes);
  });
}

/** The code of the first close frame among server frames (unmasked), or null. */
function closeCode(bytes: Buffer): number | null {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (opcode === 0x8) return length >= 2 ? bytes.readUInt16BE(at + head) : null;
    at += head + length;
  }
  return null;
}

/** A JSON-over-WebSocket client, as the page connects. */
export interface ApiClient {
  call(method: string, params?: unknown): Promise<{ result?: unknown; error?: ApiErrorLike }>;
  close(): void;
}

export interface ApiErrorLike {
  message: string;
  issues?: string[];
}

export function apiClient(host: Host): Promise<ApiClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
    origin: host.origin,
  });
  const pending = new Map<number, (reply: { result?: unknown; error?: ApiErrorLike }) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      id?: number;
      result?: unknown;
      error?: ApiErrorLike;
    };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return new Promise((done, fail) => {
    socket.once('error', fail);
    socket.once('open', () =>
      done({
        call(method, params) {
          const id = nextId++;
          return new Promise((answer, refuse) => {
            const timer = setTimeout(
              () => refuse(new Error(`${method}: no answer in 60 s`)),
              60_000,
            );
            pending.set(id, (reply) => {
              clearTimeout(timer);
              answer(reply);
            });
            socket.send(JSON.stringify({ id, method, params }));
          });
        },
        close: () => socket.close(),
      }),
    );
  });
}

/** The host still answers a fresh client's request. */
export async function answers(host: Host): Promise<boolean> {
  if (!host.alive()) return false;
  const client = await apiClient(host);
  try {
    const reply = await client.call('appInfo');
    return reply.result !== undefined;
  } finally {
    client.close();
  }
}

/** sha256 over every file's path and bytes under `dir` (sorted): equal hashes, equal trees. */
export function hashDir(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = relative(dir, path);
      if (statSync(path).isDirectory()) {
        hash.update(`d ${rel}\n`);
        walk(path);
      } else {
        hash.update(`f ${rel}\n`);
        hash.update(readFileSync(path));
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Counts for the closing note, per suite file, in test-results/hostile/<suite>.json. */
export class Tally {
  tried = 0;
  refusedCleanly = 0;
  dataChanged = 0;
  crashed = 0;

  constructor(private readonly suite: string) {}

  /** One hostile input: was it refused cleanly, did data change that must not, did a host die. */
  record(outcome: { refused: boolean; dataChanged?: boolean; crashed?: boolean }): void {
    this.tried += 1;
    if (outcome.refused) this.refusedCleanly += 1;
    if (outcome.dataChanged) this.dataChanged += 1;
    if (outcome.crashed) this.crashed += 1;
  }

  write(): void {
    const dir = resolve('test-results', 'hostile');
    mkdirSync(dir, { recursive: true });
    const { tried, refusedCleanly, dataChanged, crashed } = this;
    writeFileSync(
      join(dir, `${this.suite}.json`),
      JSON.stringify({ suite: this.suite, tried, refusedCleanly, dataChanged, crashed }),
    );
  }
}
