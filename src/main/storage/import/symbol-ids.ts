/**
 * Symbol column values to small integer ids, without making a string per row: rows of a text
 * column are compared as bytes with the row before (files hold long runs of one symbol, or a
 * few symbols interleaved), and only a changed value is decoded and looked up.
 */
import { DataType, type Data, type Vector } from 'apache-arrow';

export class SymbolIds {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly decoder = new TextDecoder();

  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /** The id of every row of `vector` (nulls are the empty symbol, refused later). */
  ofVector(vector: Vector): Int32Array {
    const out = new Int32Array(vector.length);
    let at = 0;
    for (const chunk of vector.data as Data[]) {
      if (DataType.isUtf8(chunk.type) && chunk.valueOffsets && chunk.values) {
        this.ofUtf8(chunk, out, at);
      } else if (DataType.isDictionary(chunk.type) && chunk.dictionary) {
        const dictionary = chunk.dictionary;
        const mapped = Array.from({ length: dictionary.length }, (_, k) =>
          this.idOf(String(dictionary.get(k) ?? '')),
        );
        const nulls = this.idOf('');
        for (let i = 0; i < chunk.length; i++) {
          out[at + i] = isValid(chunk, i) ? mapped[Number(chunk.values[i])] : nulls;
        }
      } else {
        for (let i = 0; i < chunk.length; i++) {
          const value: unknown = vector.get(at + i);
          out[at + i] = this.idOf(value === null || value === undefined ? '' : String(value));
        }
      }
      at += chunk.length;
    }
    return out;
  }

  private ofUtf8(chunk: Data, out: Int32Array, at: number): void {
    const offsets = chunk.valueOffsets as Int32Array;
    const bytes = chunk.values as Uint8Array;
    let prevStart = -1;
    let prevEnd = -1;
    let prevId = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (!isValid(chunk, i)) {
        out[at + i] = this.idOf('');
        prevId = -1;
        continue;
      }
      const start = offsets[chunk.offset + i];
      const end = offsets[chunk.offset + i + 1];
      if (prevId < 0 || !sameBytes(bytes, prevStart, prevEnd, start, end)) {
        prevId = this.idOf(this.decoder.decode(bytes.subarray(start, end)));
        prevStart = start;
        prevEnd = end;
      }
      out[at + i] = prevId;
    }
  }
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

function isValid(chunk: Data, i: number): boolean {
  if (chunk.nullCount === 0 || !chunk.nullBitmap) return true;
  const bit = chunk.offset + i;
  return (chunk.nullBitmap[bit >> 3] & (1 << (bit & 7))) !== 0;
}
