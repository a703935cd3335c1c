/**
 * Malformed WebSocket frames and upgrades against the real browser-mode host: each is refused
 * on its own socket with the right close code (or HTTP status), and the host keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  demoCopy,
  frame,
  hashDir,
  rawUpgrade,
  sendAndAwaitClose,
  startHost,
  Tally,
  type Host,
} from './hostile-helpers';

const tally = new Tally('ws-frames');
let host: Host;
let data: string;
let before: string;

beforeAll(async () => {
  data = demoCopy();
  before = hashDir(data);
  host = await startHost(data);
}, 90_000);

afterAll(async () => {
  tally.write();
  await host?.stop();
});

const TEXT = 0x1;
const CLOSE = 0x8;
const PING = 0x9;

/** A valid 2-byte close code followed by text. */
const closePayload = (code: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
};

const FRAMES: Array<{ what: string; bytes: () => Buffer; code: number }> = [
  {
    what: 'an unmasked client frame',
    bytes: () => frame(TEXT, Buffer.from('{}'), { mask: false }),
    code: 1002,
  },
  {
    what: 'RSV1 set without an extension',
    bytes: () => frame(TEXT, Buffer.from('{}'), { rsv: 4 }),
    code: 1002,
  },
  {
    what: 'RSV2 and RSV3 set',
    bytes: () => frame(TEXT, Buffer.from('{}'), { rsv: 3 }),
    code: 1002,
  },
  {
    what: 'invalid UTF-8 in a text frame',
    bytes: () => frame(TEXT, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
    code: 1007,
  },
  {
    what: 'a header claiming a 600 MB payload',
    bytes: () => frame(TEXT, Buffer.from('{"id":1'), { claimLength: 600 * 2 ** 20 }),
    code: 1009,
  },
  {
    what: 'a header claiming 2^63-1 bytes',
    bytes: () => frame(TEXT, Buffer.alloc(0), { claimLength: Number.MAX_SAFE_INTEGER }),
    code: 1009,
  },
  {
    what: 'a message just over the 1.4 MB cap',
    bytes: () => frame(TEXT, Buffer.alloc(0), { claimLength: 8 * 2 ** 20 }),
    code: 1009,
  },
  { what: 'an unknown opcode', bytes: () => frame(0x3, Buffer.from('x')), code: 1002 },
  {
    what: 'a fragmented ping',
    bytes: () => frame(PING, Buffer.from('x'), { fin: false }),
    code: 1002,
  },
  {
    what: 'a continuation with no message begun',
    bytes: () => frame(0x0, Buffer.from('x')),
    code: 1002,
  },
  { what: 'a close frame with code 999', bytes: () => frame(CLOSE, closePayload(999)), code: 1002 },
  {
    what: 'a close frame with a 1-byte body',
    bytes: () => frame(CLOSE, Buffer.from([3])),
    code: 1002,
  },
  {
    what: 'a ping of 200 bytes (control frames hold 125)',
    bytes: () => frame(PING, Buffer.alloc(200)),
    code: 1002,
  },
];

describe('malformed frames', { timeout: 120_000 }, () => {
  for (const { what, bytes, code } of FRAMES) {
    it(`closes the socket on ${what} (${code}) and keeps serving`, async () => {
      const up = await rawUpgrade(host);
      expect(up.status).toBe(101);
      const closed = await sendAndAwaitClose(up, bytes());
      const alive = await answers(host);
      tally.record({ refused: closed === code, crashed: !alive });
      expect(closed).toBe(code);
      expect(alive).toBe(true);
      expect(host.stderr()).toMatch(/WebSocket client refused/);
    });
  }

  it('outlives a peer that resets halfway through its upgrade', async () => {
    const up = await rawUpgrade(host);
    up.socket.write(frame(TEXT, Buffer.alloc(100_000), { claimLength: 100_000 }).subarray(0, 50));
    up.socket.resetAndDestroy();
    const alive = await answers(host);
    tally.record({ refused: true, crashed: !alive });
    expect(alive).toBe(true);
  });
});

describe('upgrades', { timeout: 60_000 }, () => {
  it('refuses an upgrade with no Origin (403), as it does a foreign one', async () => {
    for (const origin of [null, 'http://evil.example', 'null', '']) {
      const up = await rawUpgrade(host, { Origin: origin });
      up.socket.destroy();
      tally.record({ refused: up.status === 403, crashed: !host.alive() });
      expect(up.status, `Origin ${String(origin)}`).toBe(403);
    }
    const own = await rawUpgrade(host);
    own.socket.destroy();
    expect(own.status).toBe(101);
  });

  it('left the data directory as it was', () => {
    const changed = hashDir(data) !== before;
    expect(changed).toBe(false);
  });
});
