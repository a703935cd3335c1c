/**
 * The `--fills` file: one row per fill, in fill order. Its columns are a contract (issue 10).
 */
import type { Fill } from '../../shared/strategy/types';
import { IsoFormatter } from './iso-formatter';

export const FILLS_CSV_HEADER = 'seq,time,order_id,symbol,side,qty,price,fee,source';

export function fillsCsv(fills: readonly Fill[]): string {
  const iso = new IsoFormatter();
  let text = `${FILLS_CSV_HEADER}\n`;
  for (const f of fills) {
    text +=
      `${f.seq},${iso.format(f.time)},${f.order_id},${f.symbol},${f.side},${String(f.qty)},` +
      `${String(f.price)},${String(f.fee)},${f.source}\n`;
  }
  return text;
}
