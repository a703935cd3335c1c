/**
 * One instrument, two names: vendors write a pair BTC-USDT, BTCUSDT, BTC_USDT or XBTUSDT (Kraken's
 * ISO-style code for bitcoin). An import that meets two such names would make two symbols of
 * one instrument; it points them out instead, with the alias that makes them one.
 */
import type { ImportOptions, ImportPreview, SameInstrument } from '../../../shared/import-contract';
import { cleanSymbol } from './symbol-name';

/** The name with separators dropped and XBT read as BTC: equal keys, one instrument. */
export function instrumentKey(symbol: string): string {
  return symbol
    .toUpperCase()
    .replace(/[-_./ ]/g, '')
    .replace(/^XBT|XBT$/g, 'BTC');
}

/** Renames a symbol by the import's `aliases` option (keys and values cleaned like symbols). */
export function symbolAliases(options: ImportOptions): (symbol: string) => string {
  const given = options.aliases;
  if (!given) return (symbol) => symbol;
  const aliases = new Map<string, string>();
  for (const [from, to] of Object.entries(given)) {
    aliases.set(cleanSymbol(from) ?? from, cleanSymbol(to) ?? to);
  }
  return (symbol) => aliases.get(symbol) ?? symbol;
}

/**
 * The groups of names among `symbols` that mean one instrument. `stored` names are preferred as
 * the one to import as: the store already keeps the instrument under that name.
 */
export function sameInstruments(
  symbols: Iterable<string>,
  stored: ReadonlySet<string> = new Set(),
): SameInstrument[] {
  const byKey = new Map<string, Set<string>>();
  for (const symbol of symbols) {
    const key = instrumentKey(symbol);
    const names = byKey.get(key) ?? new Set<string>();
    names.add(symbol);
    byKey.set(key, names);
  }
  return [...byKey.values()]
    .filter((names) => names.size > 1)
    .map((names) => {
      const sorted = [...names].sort();
      // Our stores write pairs with a dash (BTC-USDT); prefer the name that has one.
      const dashed = (list: string[]) => list.find((s) => s.includes('-') && !s.includes('XBT'));
      const kept = sorted.filter((s) => stored.has(s));
      const as = dashed(kept) ?? kept[0] ?? dashed(sorted) ?? sorted[0]!;
      return { symbols: sorted, as };
    });
}

/**
 * Marks every preview holding a name that another name means too, whether in the import (in
 * any file) or already in the store (`stored`), and warns there, naming the files (or the
 * store) and the option that imports them as one symbol.
 */
export function pointOutSameInstruments(
  previews: ImportPreview[],
  stored: readonly string[] = [],
): void {
  const imported = new Set(previews.flatMap((p) => p.symbols.map((s) => s.symbol)));
  const keys = new Set([...imported].map(instrumentKey));
  // Only stored names that meet an imported one: a store's own two spellings are not this import's.
  const related = stored.filter((s) => keys.has(instrumentKey(s)));
  const groups = sameInstruments([...imported, ...related], new Set(related));
  if (groups.length === 0) return;
  const filesOf = (symbol: string): string[] =>
    previews.filter((p) => p.symbols.some((s) => s.symbol === symbol)).map((p) => p.file);
  const where = (symbol: string): string =>
    imported.has(symbol) ? filesOf(symbol).map(baseName).join(', ') : 'already stored';
  for (const preview of previews) {
    const here = groups.filter((g) => preview.symbols.some((s) => g.symbols.includes(s.symbol)));
    if (here.length === 0) continue;
    preview.sameInstrument = here;
    for (const group of here) {
      const named = group.symbols.map((s) => `${s} (${where(s)})`).join(' and ');
      const aliases = group.symbols
        .filter((s) => s !== group.as && imported.has(s))
        .map((s) => `${s}=${group.as}`)
        .join(',');
      preview.problems.push({
        file: preview.file,
        severity: 'warning',
        message: `${named} look like one instrument named two ways; they would be stored as ${group.symbols.length} symbols. To import them as one, ${group.as}: --alias ${aliases} (or "Import as ${group.as}" in the preview)`,
      });
    }
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}
