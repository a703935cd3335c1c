/**
 * Tickers: upper case letters and digits, with the separators real venues use (BRK.B,
 * BTC-USD). Underscores and slashes are refused because symbols name files; anything else is
 * almost certainly a typo or a path.
 */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.-]{0,31}$/;

export function normalizeSymbol(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_PATTERN.test(symbol);
}
