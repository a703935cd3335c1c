/**
 * The import CLI's mapping flags: `--map timestamp=Time,open=o,...,symbol=Ticker` (a date and a
 * time column join as `timestamp=Date+Time`), `--kind bars|quotes|ticks` and `--unit
 * s|ms|us|ns`. They override what the importer detects, as the app's mapping editor does.
 */
import {
  TIMESTAMP_UNITS,
  type ColumnMapping,
  type TimestampUnit,
} from '../../shared/import-contract';
import { STREAM_FIELDS, STREAM_TYPES, type StreamType } from '../../shared/stream-types';

export type MappingOverride = Partial<ColumnMapping>;

export type MappingFlags =
  { ok: true; mapping: MappingOverride | undefined } | { ok: false; problems: string[] };

const ALL_FIELDS = new Set(Object.values(STREAM_FIELDS).flat());

export function mappingFromFlags(flags: {
  map?: string;
  kind?: string;
  unit?: string;
}): MappingFlags {
  const problems: string[] = [];
  const mapping: MappingOverride = {};
  if (flags.kind !== undefined) {
    if ((STREAM_TYPES as readonly string[]).includes(flags.kind))
      mapping.kind = flags.kind as StreamType;
    else problems.push(`--kind: "${flags.kind}" is not one of ${STREAM_TYPES.join(', ')}`);
  }
  if (flags.unit !== undefined) {
    if ((TIMESTAMP_UNITS as readonly string[]).includes(flags.unit)) {
      mapping.timestampUnit = flags.unit as TimestampUnit;
    } else problems.push(`--unit: "${flags.unit}" is not one of ${TIMESTAMP_UNITS.join(', ')}`);
  }
  if (flags.map !== undefined) {
    const fields: Record<string, string> = {};
    for (const pair of flags.map.split(',')) {
      const at = pair.indexOf('=');
      const name = (at < 0 ? pair : pair.slice(0, at)).trim();
      const column = at < 0 ? '' : pair.slice(at + 1).trim();
      if (!name || !column) {
        problems.push(`--map: "${pair}" is not name=column (e.g. timestamp=Time,open=o)`);
        continue;
      }
      if (name === 'timestamp') {
        const parts = column.split('+');
        if (parts.length === 2 && parts[0] && parts[1]) {
          mapping.timestamp = { date: parts[0], time: parts[1] };
        } else if (parts.length === 1) mapping.timestamp = column;
        else problems.push(`--map: timestamp "${column}" is one column, or Date+Time`);
      } else if (name === 'symbol') {
        mapping.symbol = column;
      } else if (ALL_FIELDS.has(name)) {
        fields[name] = column;
      } else {
        problems.push(
          `--map: "${name}" is not timestamp, symbol or a field (${[...ALL_FIELDS].join(', ')})`,
        );
      }
    }
    if (Object.keys(fields).length > 0) mapping.fields = fields;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, mapping: Object.keys(mapping).length > 0 ? mapping : undefined };
}
