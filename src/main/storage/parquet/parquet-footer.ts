/**
 * A parquet footer (FileMetaData, Thrift compact protocol) for the small files row-group-file.ts
 * cuts out of a larger one. hyparquet-writer's public API writes whole files from column values
 * and keeps its footer writer private, so this writes the few structures such a file needs:
 * the schema (with logical types, which say how to read timestamps and decimals), one row group
 * and its column chunks. Field ids and enum orders are the parquet-format Thrift definition's;
 * the enum names are hyparquet's. Tests read every footer back with hyparquet and decode it with
 * parquet-wasm.
 */
import type { ColumnChunk, FileMetaData, LogicalType, SchemaElement } from 'hyparquet';

const PARQUET_TYPES = [
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
];
const REPETITIONS = ['REQUIRED', 'OPTIONAL', 'REPEATED'];
const CONVERTED_TYPES = [
  'UTF8',
  'MAP',
  'MAP_KEY_VALUE',
  'LIST',
  'ENUM',
  'DECIMAL',
  'DATE',
  'TIME_MILLIS',
  'TIME_MICROS',
  'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS',
  'UINT_8',
  'UINT_16',
  'UINT_32',
  'UINT_64',
  'INT_8',
  'INT_16',
  'INT_32',
  'INT_64',
  'JSON',
  'BSON',
  'INTERVAL',
];
const ENCODINGS = [
  'PLAIN',
  'GROUP_VAR_INT',
  'PLAIN_DICTIONARY',
  'RLE',
  'BIT_PACKED',
  'DELTA_BINARY_PACKED',
  'DELTA_LENGTH_BYTE_ARRAY',
  'DELTA_BYTE_ARRAY',
  'RLE_DICTIONARY',
  'BYTE_STREAM_SPLIT',
];
const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];
const PAGE_TYPES = ['DATA_PAGE', 'INDEX_PAGE', 'DICTIONARY_PAGE', 'DATA_PAGE_V2'];

/** The footer cannot say this in parquet: an enum member the format does not know. */
export class FooterEncodingError extends Error {}

// Thrift compact protocol type ids.
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

type Value =
  | { t: typeof I32 | typeof I64 | typeof BYTE; v: number | bigint }
  | { t: typeof TRUE; v: boolean }
  | { t: typeof BINARY; v: string }
  | { t: typeof LIST; elem: number; items: Value[] }
  | { t: typeof STRUCT; fields: Field[] };
type Field = [id: number, value: Value | undefined];

const i32 = (v: number | undefined): Value | undefined =>
  v === undefined ? undefined : { t: I32, v };
const i64 = (v: number | bigint | undefined): Value | undefined =>
  v === undefined ? undefined : { t: I64, v };
const str = (v: string | undefined): Value | undefined =>
  v === undefined ? undefined : { t: BINARY, v };
const bool = (v: boolean | undefined): Value | undefined =>
  v === undefined ? undefined : { t: TRUE, v };
const struct = (...fields: Field[]): Value => ({ t: STRUCT, fields });
const list = (elem: number, items: Value[]): Value => ({ t: LIST, elem, items });

function enumOf(
  names: readonly string[],
  name: string | undefined,
  what: string,
): Value | undefined {
  if (name === undefined) return undefined;
  const index = names.indexOf(name);
  if (index < 0) throw new FooterEncodingError(`unknown parquet ${what} "${name}"`);
  return { t: I32, v: index };
}

/** FileMetaData as Thrift compact bytes, followed by their length (little-endian u32). */
export function encodeFooter(metadata: FileMetaData): ArrayBuffer {
  const out = new Output();
  out.struct(
    struct(
      [1, i32(metadata.version)],
      [2, list(STRUCT, metadata.schema.map(schemaElement))],
      [3, i64(metadata.num_rows)],
      [
        4,
        list(
          STRUCT,
          metadata.row_groups.map((rg) =>
            struct(
              [1, list(STRUCT, rg.columns.map(columnChunk))],
              [2, i64(rg.total_byte_size)],
              [3, i64(rg.num_rows)],
            ),
          ),
        ),
      ],
      [6, str(metadata.created_by)],
    ),
  );
  const length = out.length;
  out.u32le(length);
  return out.bytes();
}

function schemaElement(e: SchemaElement): Value {
  return struct(
    [1, enumOf(PARQUET_TYPES, e.type, 'type')],
    [2, i32(e.type_length)],
    [3, enumOf(REPETITIONS, e.repetition_type, 'repetition')],
    [4, str(e.name)],
    [5, i32(e.num_children)],
    [6, enumOf(CONVERTED_TYPES, e.converted_type, 'converted type')],
    [7, i32(e.scale)],
    [8, i32(e.precision)],
    [9, i32(e.field_id)],
    [10, e.logical_type ? logicalType(e.logical_type) : undefined],
  );
}

/** LogicalType is a Thrift union: one field set, its id saying which type. */
function logicalType(type: LogicalType): Value {
  const empty = struct();
  const unit = (u: string): Value => {
    const id = ['MILLIS', 'MICROS', 'NANOS'].indexOf(u) + 1;
    if (id === 0) throw new FooterEncodingError(`unknown parquet time unit "${u}"`);
    return struct([id, empty]);
  };
  switch (type.type) {
    case 'STRING':
      return struct([1, empty]);
    case 'MAP':
      return struct([2, empty]);
    case 'LIST':
      return struct([3, empty]);
    case 'ENUM':
      return struct([4, empty]);
    case 'DECIMAL':
      return struct([5, struct([1, i32(type.scale)], [2, i32(type.precision)])]);
    case 'DATE':
      return struct([6, empty]);
    case 'TIME':
      return struct([7, struct([1, bool(type.isAdjustedToUTC)], [2, unit(type.unit)])]);
    case 'TIMESTAMP':
      return struct([8, struct([1, bool(type.isAdjustedToUTC)], [2, unit(type.unit)])]);
    case 'INTEGER':
      return struct([10, struct([1, { t: BYTE, v: type.bitWidth }], [2, bool(type.isSigned)])]);
    case 'JSON':
      return struct([12, empty]);
    case 'BSON':
      return struct([13, empty]);
    case 'UUID':
      return struct([14, empty]);
    case 'FLOAT16':
      return struct([15, empty]);
    default:
      throw new FooterEncodingError(`logical type ${type.type} cannot be copied`);
  }
}

function columnChunk(c: ColumnChunk): Value {
  const m = c.meta_data;
  return struct(
    [2, i64(c.file_offset)],
    [
      3,
      m &&
        struct(
          [1, enumOf(PARQUET_TYPES, m.type, 'type')],
          [
            2,
            list(
              I32,
              m.encodings.map((e) => enumOf(ENCODINGS, e, 'encoding')!),
            ),
          ],
          [
            3,
            list(
              BINARY,
              m.path_in_schema.map((p) => str(p)!),
            ),
          ],
          [4, enumOf(CODECS, m.codec, 'codec')],
          [5, i64(m.num_values)],
          [6, i64(m.total_uncompressed_size)],
          [7, i64(m.total_compressed_size)],
          [9, i64(m.data_page_offset)],
          [11, i64(m.dictionary_page_offset)],
          [
            13,
            m.encoding_stats &&
              list(
                STRUCT,
                m.encoding_stats.map((s) =>
                  struct(
                    [1, enumOf(PAGE_TYPES, s.page_type, 'page type')],
                    [2, enumOf(ENCODINGS, s.encoding, 'encoding')],
                    [3, i32(s.count)],
                  ),
                ),
              ),
          ],
        ),
    ],
  );
}

/** A growable byte buffer speaking the compact protocol. */
class Output {
  private buffer: Uint8Array<ArrayBuffer> = new Uint8Array(1024);
  length = 0;

  bytes(): ArrayBuffer {
    return this.buffer.buffer.slice(0, this.length);
  }

  private byte(b: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = b;
  }

  u32le(v: number): void {
    for (let i = 0; i < 4; i++) this.byte((v >>> (8 * i)) & 0xff);
  }

  private varint(v: bigint): void {
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private zigzag(v: number | bigint): void {
    const n = BigInt(v);
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }

  private value(value: Value): void {
    switch (value.t) {
      case I32:
      case I64:
        this.zigzag(value.v);
        return;
      case BYTE:
        this.byte(Number(value.v) & 0xff);
        return;
      case BINARY: {
        const utf8 = new TextEncoder().encode(value.v);
        this.varint(BigInt(utf8.length));
        for (const b of utf8) this.byte(b);
        return;
      }
      case LIST:
        if (value.items.length < 15) this.byte((value.items.length << 4) | value.elem);
        else {
          this.byte(0xf0 | value.elem);
          this.varint(BigInt(value.items.length));
        }
        for (const item of value.items) {
          // A bool in a list is one byte of its own; none of ours are.
          this.value(item);
        }
        return;
      case STRUCT:
        this.struct(value);
        return;
      case TRUE:
        throw new FooterEncodingError('a bool is written as a field header');
    }
  }

  struct(value: Value): void {
    if (value.t !== STRUCT) throw new FooterEncodingError('not a struct');
    let last = 0;
    for (const [id, field] of value.fields) {
      if (field === undefined) continue;
      const type = field.t === TRUE ? (field.v ? TRUE : FALSE) : field.t;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(id);
      }
      last = id;
      if (field.t !== TRUE) this.value(field);
    }
    this.byte(0);
  }
}
