/**
 * The browser host's import API under hostile requests: host paths outside the data directory
 * (read nothing, reveal nothing), chunked uploads that lie about their size or order, and a
 * config whose data_source points at a host file. The real host, over its WebSocket.
 */
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSessionConfig } from '../../src/main/storage/demo-data';
import {
  apiClient,
  answers,
  demoCopy,
  hashDir,
  startHost,
  Tally,
  type ApiClient,
  type Host,
} from './hostile-helpers';

const tally = new Tally('web-imports');
let host: Host;
let client: ApiClient;
let data: string;
let temp: string;
let secret: string;

beforeAll(async () => {
  data = demoCopy();
  temp = mkdtempSync(join(tmpdir(), 'tapedeck-hostile-tmp-'));
  secret = join(mkdtempSync(join(tmpdir(), 'tapedeck-secret-')), 'secret.txt');
  writeFileSync(secret, 'password,token\nhunter2,abc123\n');
  host = await startHost(data, { TMPDIR: temp });
  client = await apiClient(host);
}, 90_000);

afterAll(async () => {
  tally.write();
  client?.close();
  await host?.stop();
});

const uploadsLeft = (): string[] =>
  readdirSync(temp).filter((n) => n.startsWith('tapedeck-upload'));

/** 1m bars of MSFT on 2024-03-06 from 09:30 New York, `rows` of them. */
function csv(rows: number): Buffer {
  const start = Date.parse('2024-03-06T14:30:00Z');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) {
    const t = new Date(start + i * 60_000).toISOString();
    lines.push(
      `${t},${100 + (i % 7)},${101 + (i % 7)},${99 + (i % 7)},${100.5 + (i % 7)},${1000 + i}`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A refusal that names what it should and leaves the data and temp folders alone. */
async function refused(
  method: string,
  params: unknown,
  names: RegExp,
  { mustNotSay }: { mustNotSay?: RegExp } = {},
): Promise<string> {
  const before = hashDir(data);
  const reply = await client.call(method, params);
  const text = reply.error ? [reply.error.message, ...(reply.error.issues ?? [])].join('\n') : '';
  const unchanged = hashDir(data) === before;
  const ok = reply.error !== undefined && names.test(text) && !(mustNotSay?.test(text) ?? false);
  tally.record({ refused: ok, dataChanged: !unchanged, crashed: !host.alive() });
  expect(reply.error, JSON.stringify(reply.result)).toBeDefined();
  expect(text).toMatch(names);
  if (mustNotSay) expect(text).not.toMatch(mustNotSay);
  expect(unchanged).toBe(true);
  return text;
}

describe('host paths in the browser', { timeout: 60_000 }, () => {
  it('refuses a file outside the data directory without reading it or saying it exists', async () => {
    const outside = /uploaded files, or files inside its data directory/;
    const there = await refused('importPreview', { files: [{ path: secret }] }, outside, {
      mustNotSay: /hunter2|password/,
    });
    const absent = await refused(
      'importPreview',
      { files: [{ path: `${secret}.missing` }] },
      outside,
    );
    // The same words whether the file is there or not.
    expect(there.replace(secret, 'X')).toBe(absent.replace(`${secret}.missing`, 'X'));
    for (const path of ['/etc/passwd', '../../../../etc/passwd', `${data}/../../secret.txt`]) {
      await refused('importPreview', { files: [{ path }] }, outside, { mustNotSay: /root:/ });
    }
  });

  it('refuses a link inside the data directory that points out of it', async () => {
    const link = join(data, 'innocent.csv');
    symlinkSync(secret, link);
    await refused('importPreview', { files: [{ path: 'innocent.csv' }] }, /data directory/, {
      mustNotSay: /hunter2/,
    });
  });

  it('refuses a session whose data_source names a host file or folder', async () => {
    for (const data_source of [
      { type: 'sqlite', path: secret },
      { type: 'parquet', path: '/' },
      { type: 'sqlite', path: '../../../etc/passwd' },
    ]) {
      await refused(
        'startSession',
        { config: { ...demoSessionConfig(), data_source } },
        /data_source\.path .* is outside the data directory/,
      );
    }
  });
});

describe('chunked uploads', { timeout: 120_000 }, () => {
  it('refuses an upload over the cap by its declared size, before a byte is sent', async () => {
    await refused(
      'uploadBegin',
      { name: 'huge.csv', size: 5 * 1024 ** 3 },
      /huge\.csv: larger than the 4096 MB/,
    );
    expect(uploadsLeft()).toEqual([]);
  });

  it('refuses names with a NUL without echoing a host path', async () => {
    const text = await refused(
      'uploadBegin',
      { name: 'a\u0000b.csv', size: 10 },
      /control characters/,
    );
    expect(text).not.toContain(temp);
    const inline = await refused(
      'importPreview',
      { files: [{ name: 'x\u0000.csv', base64: 'AA==' }] },
      /control characters/,
    );
    expect(inline).not.toContain(temp);
    await refused('uploadBegin', { name: '..', size: 10 }, /Not a file name/);
  });

  it('refuses chunks out of order, past the declared size, and an early end', async () => {
    const begin = await client.call('uploadBegin', { name: 'short.csv', size: 4 });
    const { uploadId } = begin.result as { uploadId: string };
    await refused(
      'uploadChunk',
      { uploadId, offset: 2, base64: 'AAA=' },
      /chunk at byte 2, expected byte 0/,
    );
    await refused('uploadChunk', { uploadId, offset: 0, base64: 'not base64!' }, /base64/);
    await refused(
      'uploadChunk',
      { uploadId, offset: 0, base64: 'AAAAAAAA' },
      /more bytes than the 4 declared/,
    );
    // Dropped: its folder is gone and it cannot go on.
    expect(uploadsLeft()).toEqual([]);
    await refused('uploadChunk', { uploadId, offset: 0, base64: 'AA==' }, /No upload/);
    const second = (await client.call('uploadBegin', { name: 'early.csv', size: 10 })).result as {
      uploadId: string;
    };
    await refused(
      'importPreview',
      { files: [{ upload: second.uploadId }] },
      /early\.csv: the upload is not finished/,
    );
    await refused('uploadEnd', { uploadId: second.uploadId }, /0 of the 10 bytes declared arrived/);
    await refused('importPreview', { files: [{ upload: 'made-up' }] }, /No upload made-up/);
    expect(uploadsLeft()).toEqual([]);
  });

  it('takes a 3 MB file in 1 MB chunks, imports it, and leaves no temp folder', async () => {
    const bytes = csv(45_000);
    expect(bytes.length).toBeGreaterThan(2 * 2 ** 20);
    const { uploadId } = (
      await client.call('uploadBegin', { name: 'MSFT_1m.csv', size: bytes.length })
    ).result as { uploadId: string };
    for (let offset = 0; offset < bytes.length; offset += 2 ** 20) {
      const chunk = bytes.subarray(offset, offset + 2 ** 20).toString('base64');
      const reply = await client.call('uploadChunk', { uploadId, offset, base64: chunk });
      expect(reply.error).toBeUndefined();
    }
    expect((await client.call('uploadEnd', { uploadId })).result).toEqual({
      name: 'MSFT_1m.csv',
      size: bytes.length,
    });
    const preview = await client.call('importPreview', { files: [{ upload: uploadId }] });
    const { importId, previews } = preview.result as {
      importId: string;
      previews: Array<{ file: string }>;
    };
    expect(previews[0]!.file).toBe('MSFT_1m.csv');
    const commit = await client.call('importCommit', { importId });
    expect((commit.result as { ok: boolean }).ok).toBe(true);
    const catalog = (await client.call('catalog')).result as Array<{ symbol: string }>;
    expect(catalog.some((e) => e.symbol === 'MSFT')).toBe(true);
    expect(uploadsLeft()).toEqual([]);
    expect(await answers(host)).toBe(true);
  });

  it('a file under the data directory may still be named', async () => {
    mkdirSync(join(data, 'incoming'), { recursive: true });
    writeFileSync(join(data, 'incoming', 'IBM_1m.csv'), csv(20));
    const preview = await client.call('importPreview', {
      files: [{ path: 'incoming/IBM_1m.csv' }],
    });
    expect(preview.error).toBeUndefined();
    await client.call('importCancel', {
      importId: (preview.result as { importId: string }).importId,
    });
  });
});
