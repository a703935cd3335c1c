/** Which symbol each chart cell of a 1, 2 or 4 chart layout shows. */
import type { SymbolInfo } from '../../../shared/ipc-contract';

/** The symbol each cell shows: the user's pick, else the session's symbols in order. */
export function cellSymbols(layout: number, symbols: SymbolInfo[], chosen: string[]): string[] {
  const names = symbols.map((s) => s.symbol);
  return Array.from({ length: layout }, (_, i) => {
    const pick = chosen[i];
    if (pick && names.includes(pick)) return pick;
    return names.length > 0 ? names[i % names.length] : '';
  });
}
