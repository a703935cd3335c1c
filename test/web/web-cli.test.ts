import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoSessionConfig } from '../../src/main/storage/demo-data';
import { demoData } from '../service/service-helpers';

const TSX = resolve('node_modules/.bin/tsx');
const CLI = resolve('src/main/cli/web.ts');
const children: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

describe('npm run web', { timeout: 120_000 }, () => {
  it('prints the tokened URL first, on a free port, and serves the API behind it', async () => {
    // A config from anywhere to open with: appInfo offers it instead of the demo's.
    const config = join(mkdtempSync(join(tmpdir(), 'tapedeck-web-cli-')), 'mine.json');
    writeFileSync(config, JSON.stringify({ ...demoSessionConfig(), session_name: 'mine' }));
    const args = [CLI, '--port', '0', '--data', demoData(), '--config', config, '--no-build'];
    const child = spawn(TSX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const first = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout! }).once('line', done);
      child.once('exit', (code) => fail(new Error(`exited ${code}`)));
    });
    const url = new URL(first);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[\w-]{32}$/);
    expect((await fetch(`http://${url.host}/`)).status).toBe(401);

    const socket = new WebSocket(`ws://${url.host}/ws?token=${token}`, {
      origin: `http://${url.host}`,
    });
    type Info = { host: string; defaultConfig: { session_name: string } };
    const reply = await new Promise<{ id: number; result: Info }>((done, fail) => {
      socket.once('error', fail);
      socket.once('open', () => socket.send(JSON.stringify({ id: 7, method: 'appInfo' })));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.id === 7) done(message);
      });
    });
    socket.close();
    expect(reply.result.host).toBe('browser');
    expect(reply.result.defaultConfig.session_name).toBe('mine');

    const exit = new Promise<number | null>((done) => child.once('exit', done));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('stops by itself when whatever launched it is killed outright', async () => {
    const child = spawn(TSX, [CLI, '--port', '0', '--data', demoData(), '--no-build'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const url = new URL(
      await new Promise<string>((done) =>
        createInterface({ input: child.stdout! }).once('line', done),
      ),
    );
    // SIGKILL: tsx cannot pass it on, so the server itself is orphaned.
    child.kill('SIGKILL');
    let answered = true;
    for (let i = 0; i < 200 && answered; i++) {
      answered = await fetch(`http://${url.host}/`).then(
        () => true,
        () => false,
      );
      if (answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(false);
  });
});
