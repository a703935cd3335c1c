/**
 * Arrow Decimal128 vectors (parquet DECIMAL columns, as SQL exports write prices) to numbers.
 * Each value is a 128-bit two's-complement integer in four little-endian 32-bit words, scaled by
 * 10^scale. Horner's rule from the top word keeps the integer exact whenever it fits in 2^53,
 * which every real price and size does; nulls become NaN.
 */
import { DataType, type Data, type Vector } from 'apache-arrow';

const TWO_32 = 4_294_967_296;

export function isDecimalVector(vector: Vector): boolean {
  return DataType.isDecimal(vector.type);
}

export function decimalToFloat64(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  const scale = (vector.type as DataType & { scale: number }).scale;
  const divisor = 10 ** scale;
  let at = 0;
  for (const chunk of vector.data as Data[]) {
    const words = chunk.values as Uint32Array;
    const stride = (chunk.type as DataType & { bitWidth?: number }).bitWidth === 256 ? 8 : 4;
    for (let i = 0; i < chunk.length; i++) {
      const base = (chunk.offset + i) * stride;
      let v = words[base + stride - 1] | 0;
      for (let k = stride - 2; k >= 0; k--) v = v * TWO_32 + words[base + k];
      out[at + i] = v / divisor;
      if (chunk.nullCount > 0 && chunk.nullBitmap) {
        const bit = chunk.offset + i;
        if ((chunk.nullBitmap[bit >> 3] & (1 << (bit & 7))) === 0) out[at + i] = NaN;
      }
    }
    at += chunk.length;
  }
  return out;
}
