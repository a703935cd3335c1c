/**
 * Which parquet columns a stream needs and whether a file's schema can supply them. Checked from
 * the footer alone, so a file with a missing or mistyped column is refused before any data is
 * decoded.
 */
import type { FileMetaData, SchemaElement, TimeUnit } from 'hyparquet';
import { DataError } from '../../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';

export const TIMESTAMP_COLUMN = 'timestamp';

export interface StreamColumns {
  /** Columns to decode: the timestamp, then the values in `STREAM_FIELDS` order. */
  names: string[];
  /** Their schema elements, in the same order. */
  elements: SchemaElement[];
  /** Unit of the stored timestamp integers; plain INT64 counts epoch milliseconds. */
  timestampUnit: TimeUnit;
}

const NUMERIC_TYPES = new Set(['DOUBLE', 'FLOAT', 'INT32', 'INT64']);

/** Resolves the stream's columns in `metadata`, or throws a DataError naming file and column. */
export function resolveStreamColumns(
  metadata: FileMetaData,
  type: StreamType,
  file: string,
): StreamColumns {
  const byName = topLevelColumns(metadata);
  const names = [TIMESTAMP_COLUMN, ...STREAM_FIELDS[type]];
  for (const name of names) {
    if (!byName.has(name)) {
      const found = [...byName.keys()].join(', ') || 'none';
      throw new DataError(
        `${file}: missing column "${name}" (a ${type} file needs ${names.join(', ')}; found ${found})`,
        file,
        undefined,
        name,
      );
    }
  }
  const timestampUnit = timestampUnitOf(byName.get(TIMESTAMP_COLUMN)!, file);
  for (const name of STREAM_FIELDS[type]) checkNumeric(byName.get(name)!, file);
  return { names, elements: names.map((name) => byName.get(name)!), timestampUnit };
}

/** Top-level schema elements by name; nested groups are kept so they can be refused by name. */
function topLevelColumns(metadata: FileMetaData): Map<string, SchemaElement> {
  const schema = metadata.schema;
  const out = new Map<string, SchemaElement>();
  let index = 1;
  for (let child = 0; child < (schema[0]?.num_children ?? 0) && index < schema.length; child++) {
    const element = schema[index];
    out.set(element.name, element);
    index = skipSubtree(schema, index);
  }
  return out;
}

function skipSubtree(schema: SchemaElement[], index: number): number {
  const children = schema[index].num_children ?? 0;
  let next = index + 1;
  for (let i = 0; i < children; i++) next = skipSubtree(schema, next);
  return next;
}

function timestampUnitOf(element: SchemaElement, file: string): TimeUnit {
  if (isFlat(element) && element.type === 'INT64') {
    const logical = element.logical_type;
    if (logical?.type === 'TIMESTAMP') return logical.unit;
    if (element.converted_type === 'TIMESTAMP_MILLIS') return 'MILLIS';
    if (element.converted_type === 'TIMESTAMP_MICROS') return 'MICROS';
    // An untyped INT64 is the documented epoch-millisecond form; other annotations (TIME,
    // unsigned) would mean something else and are refused below.
    const converted = element.converted_type;
    const plain =
      (!logical || (logical.type === 'INTEGER' && logical.isSigned && logical.bitWidth === 64)) &&
      (!converted || converted === 'INT_64');
    if (plain) return 'MILLIS';
  }
  throw wrongType(
    element,
    file,
    'a TIMESTAMP (MILLIS, MICROS or NANOS) or INT64 epoch milliseconds',
  );
}

function checkNumeric(element: SchemaElement, file: string): void {
  if (isFlat(element) && element.type && NUMERIC_TYPES.has(element.type)) {
    const logical = element.logical_type?.type;
    const converted = element.converted_type;
    // Annotated integers that are not plain counts (dates, times, decimals) would be silently
    // misread as numbers.
    const annotated =
      (logical !== undefined && logical !== 'INTEGER') ||
      (converted !== undefined && !converted.startsWith('INT_') && !converted.startsWith('UINT_'));
    if (!annotated) return;
  }
  throw wrongType(element, file, 'a number (DOUBLE, FLOAT, INT32 or INT64)');
}

function isFlat(element: SchemaElement): boolean {
  return !element.num_children && element.repetition_type !== 'REPEATED';
}

function wrongType(element: SchemaElement, file: string, expected: string): DataError {
  return new DataError(
    `${file}: column "${element.name}" has type ${describeType(element)}; expected ${expected}`,
    file,
    undefined,
    element.name,
  );
}

function describeType(element: SchemaElement): string {
  if (element.num_children) return 'group (nested)';
  if (element.repetition_type === 'REPEATED') return `repeated ${element.type}`;
  const logical = element.logical_type;
  if (logical?.type === 'STRING' || element.converted_type === 'UTF8') return 'STRING';
  if (logical?.type === 'TIMESTAMP') return `TIMESTAMP(${logical.unit})`;
  if (logical) return `${element.type} (${logical.type})`;
  if (element.converted_type) return `${element.type} (${element.converted_type})`;
  return element.type ?? 'unknown';
}
