/**
 * What the catalog needs of a calendar, passed in by the host (storage never imports the
 * engine): a symbol's regular session on a trading date, or null when its market is closed.
 */
export interface SessionWindow {
  /** UTC epoch ms of the open and the close; the session is [open, close). */
  open: number;
  close: number;
}

export type SessionOf = (symbol: string, date: string) => SessionWindow | null;
