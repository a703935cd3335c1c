/**
 * The browser host's per-run secret. Any local process or web page can reach 127.0.0.1, so
 * every HTTP request and the WebSocket upgrade must show it: in the `?token=` query (the URL
 * printed at start), or in the cookie the first page load sets, since the page's own asset
 * requests carry no query. Compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../../shared/ws-protocol';

export const TOKEN_COOKIE = 'tapedeck_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export type TokenCheck = 'ok' | 'missing' | 'wrong';

/** What the request shows: the query's token first, else the cookie's. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const query = url.searchParams.get(TOKEN_PARAM);
  if (query !== null) return query;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

export function checkToken(expected: string, presented: string | null): TokenCheck {
  if (presented === null || presented === '') return 'missing';
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'wrong';
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
