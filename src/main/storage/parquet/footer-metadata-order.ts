/**
 * Puts a parquet footer's key/value metadata in key order, in place. The Rust writer keeps the
 * pairs in a hash map, so their order changes from one write to the next, and the same columns
 * would make different bytes: a demo data set or a re-import could not be compared byte for
 * byte. Each pair is a self-contained Thrift compact struct, so sorting them moves bytes
 * within the list and changes nothing else in the file.
 */
const STOP = 0;
const FILE_KEY_VALUE_METADATA = 5;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('the parquet footer ends early');
    return this.bytes[this.at++];
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  }

  /** Skips one value of compact type `type`. */
  skip(type: number): void {
    switch (type) {
      case 1: // true
      case 2: // false
        return;
      case 3: // byte
        this.at++;
        return;
      case 4: // i16
      case 5: // i32
      case 6: // i64
        this.varint();
        return;
      case 7: // double
        this.at += 8;
        return;
      case 8: {
        // binary: its length, then its bytes
        const length = this.varint();
        this.at += length;
        return;
      }
      case 9: // list
      case 10: {
        // set
        const { size, elem } = this.listHeader();
        // A list's booleans take a byte each (a struct field's sits in its header).
        if (elem === 1 || elem === 2) this.at += size;
        else for (let i = 0; i < size; i++) this.skip(elem);
        return;
      }
      case 11: {
        // map
        const size = this.varint();
        if (size === 0) return;
        const types = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(types >> 4);
          this.skip(types & 0x0f);
        }
        return;
      }
      case 12: // struct
        this.skipStruct();
        return;
      default:
        throw new Error(`the parquet footer holds an unknown Thrift type ${type}`);
    }
  }

  listHeader(): { size: number; elem: number } {
    const header = this.byte();
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    return { size, elem: header & 0x0f };
  }

  skipStruct(): void {
    for (;;) {
      const header = this.byte();
      if (header === STOP) return;
      if (header >> 4 === 0) this.varint(); // a long-form field id (zigzag i16)
      this.skip(header & 0x0f);
    }
  }
}

interface FooterPair {
  key: string;
  /** Where the pair's struct starts and ends in the file. */
  at: number;
  end: number;
  /** Where its value's bytes are (-1 without a value). */
  valueAt: number;
  valueLength: number;
}

/** The footer's key/value pairs as found, and where the list starts; null without a list. */
function footerPairs(bytes: Uint8Array): { from: number; pairs: FooterPair[] } | null {
  const end = bytes.length - 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = end - view.getUint32(end, true);
  const reader = new Reader(bytes, start);
  let field = 0;
  for (;;) {
    const header = reader.byte();
    if (header === STOP) return null;
    field = header >> 4 === 0 ? zigzag(reader.varint()) : field + (header >> 4);
    if (field !== FILE_KEY_VALUE_METADATA) {
      reader.skip(header & 0x0f);
      continue;
    }
    const { size } = reader.listHeader();
    const from = reader.at;
    const pairs: FooterPair[] = [];
    const decoder = new TextDecoder();
    for (let i = 0; i < size; i++) {
      const pair: FooterPair = { key: '', at: reader.at, end: 0, valueAt: -1, valueLength: 0 };
      // KeyValue { 1: key (binary), 2: value (binary) }, fields in whatever order.
      let id = 0;
      for (;;) {
        const h = reader.byte();
        if (h === STOP) break;
        id = h >> 4 === 0 ? zigzag(reader.varint()) : id + (h >> 4);
        if ((id === 1 || id === 2) && (h & 0x0f) === 8) {
          const length = reader.varint();
          if (id === 1) pair.key = decoder.decode(bytes.subarray(reader.at, reader.at + length));
          else [pair.valueAt, pair.valueLength] = [reader.at, length];
          reader.at += length;
        } else reader.skip(h & 0x0f);
      }
      pair.end = reader.at;
      pairs.push(pair);
    }
    return { from, pairs };
  }
}

/** Sorts the key/value pairs of the footer of a whole parquet file `bytes` by key. */
export function sortFooterMetadata(bytes: Uint8Array): void {
  const found = footerPairs(bytes);
  if (!found) return;
  const pairs = found.pairs.map((pair) => ({
    key: pair.key,
    bytes: bytes.slice(pair.at, pair.end),
  }));
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let at = found.from;
  for (const pair of pairs) {
    bytes.set(pair.bytes, at);
    at += pair.bytes.length;
  }
}

/**
 * Where the value of footer metadata `key` sits in a whole parquet file `bytes`, so a value of
 * the same length can be written over it in place; null when the footer has no such key.
 */
export function footerValueRange(
  bytes: Uint8Array,
  key: string,
): { at: number; length: number } | null {
  const pair = footerPairs(bytes)?.pairs.find((p) => p.key === key && p.valueAt >= 0);
  return pair ? { at: pair.valueAt, length: pair.valueLength } : null;
}

function zigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}
