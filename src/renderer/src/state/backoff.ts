/** Reconnect delays: exponential from 250 ms, capped at 5 s, so a restarted host is found fast. */
export function reconnectDelay(attempt: number, baseMs = 250, capMs = 5000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
}
