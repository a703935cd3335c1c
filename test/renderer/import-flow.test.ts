import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../src/shared/import-contract';
import {
  CLOSED,
  blockingProblems,
  emptyOptionsForm,
  importReducer,
  toImportOptions,
  type ImportEvent,
  type ImportPhase,
} from '../../src/renderer/src/state/import-flow';
import { baseName, previewRange } from '../../src/renderer/src/state/preview-format';

const preview: ImportPreview = {
  file: 'NEW_1m.csv',
  format: 'csv',
  mapping: { timestamp: 'ts', kind: 'bars', fields: { open: 'o', close: 'c' } },
  symbols: [
    {
      symbol: 'NEW',
      kind: 'bars',
      interval: '1m',
      rows: 390,
      first: '',
      last: '',
      tradingDays: ['2024-03-04'],
    },
  ],
  problems: [],
  counts: {
    rows: 390,
    invalid: 0,
    duplicates: 0,
    outOfOrder: 0,
    crossedQuotes: 0,
    outsideTradingHours: 0,
  },
};

function run(events: ImportEvent[], from: ImportPhase = CLOSED): ImportPhase {
  return events.reduce(importReducer, from);
}

const files = [{ name: 'NEW_1m.csv', base64: 'AA==' }];
const previewed: ImportEvent = {
  type: 'previewed',
  response: { importId: 'imp-1', previews: [preview] },
};

describe('import flow', () => {
  it('goes from reading to preview to committing to done', () => {
    const p = run([{ type: 'open', names: ['NEW_1m.csv'] }, { type: 'read', files }, previewed]);
    expect(p.phase).toBe('preview');
    const c = run(
      [
        { type: 'commit' },
        {
          type: 'progress',
          importId: 'imp-1',
          progress: { rows: 100, percent: 25, rowsPerSecond: 1 },
        },
      ],
      p,
    );
    expect(c.phase === 'committing' && c.progress?.percent).toBe(25);
    const result = { files: ['NEW_1m.csv'], target: 'parquet' as const, streams: [], elapsedMs: 3 };
    expect(run([{ type: 'committed', result }], c)).toEqual({
      phase: 'done',
      names: ['NEW_1m.csv'],
      result,
    });
  });

  it('ignores progress of another import', () => {
    const c = run([
      { type: 'open', names: ['a'] },
      { type: 'read', files },
      previewed,
      { type: 'commit' },
    ]);
    const after = importReducer(c, {
      type: 'progress',
      importId: 'other',
      progress: { rows: 1, percent: 99, rowsPerSecond: 1 },
    });
    expect(after.phase === 'committing' && after.progress).toBeNull();
  });

  it('cannot be closed while writing, and a cancel ends as cancelled', () => {
    const c = run([
      { type: 'open', names: ['a'] },
      { type: 'read', files },
      previewed,
      { type: 'commit' },
    ]);
    expect(importReducer(c, { type: 'close' })).toBe(c);
    const cancelling = importReducer(c, { type: 'cancel' });
    expect(cancelling.phase === 'committing' && cancelling.cancelling).toBe(true);
    expect(
      importReducer(cancelling, { type: 'refused', problems: [], cancelled: true }).phase,
    ).toBe('cancelled');
  });

  it('keeps the files after a refusal so the user can check again', () => {
    const c = run([
      { type: 'open', names: ['a'] },
      { type: 'read', files },
      previewed,
      { type: 'commit' },
    ]);
    const failed = importReducer(c, {
      type: 'refused',
      problems: ['NEW_1m.csv, row 3, close: NaN'],
      cancelled: false,
    });
    expect(failed).toMatchObject({ phase: 'failed', problems: ['NEW_1m.csv, row 3, close: NaN'] });
    expect(importReducer(failed, { type: 'repreview' })).toMatchObject({
      phase: 'previewing',
      files,
    });
  });

  it('reports a read failure', () => {
    const f = run([
      { type: 'open', names: ['a'] },
      { type: 'failed', message: 'Cannot read the files: denied' },
    ]);
    expect(f).toMatchObject({ phase: 'failed', problems: ['Cannot read the files: denied'] });
  });

  it('counts errors but not warnings as blocking', () => {
    const withProblems: ImportPreview = {
      ...preview,
      problems: [
        { file: 'a', message: 'crossed quote', severity: 'warning' },
        { file: 'a', row: 2, field: 'close', message: 'NaN' },
      ],
    };
    expect(blockingProblems([withProblems])).toBe(1);
  });
});

describe('import options', () => {
  it('sends only what the user set', () => {
    expect(toImportOptions(emptyOptionsForm(), preview)).toEqual({});
    const form = {
      ...emptyOptionsForm(),
      symbol: ' new ',
      interval: '1m' as const,
      sort: true,
      duplicates: 'refuse' as const,
    };
    expect(toImportOptions(form, preview)).toEqual({
      symbol: 'NEW',
      interval: '1m',
      sort: true,
      duplicates: 'refuse',
    });
  });
  it('overrides the mapping only where it differs from what was detected', () => {
    const form = {
      ...emptyOptionsForm(),
      timestampColumn: 'ts',
      fields: { open: 'o', close: 'last' },
    };
    expect(toImportOptions(form, preview)).toEqual({
      mapping: { fields: { open: 'o', close: 'last' } },
    });
    const ts = { ...emptyOptionsForm(), timestampColumn: 'time' };
    expect(toImportOptions(ts, preview)).toEqual({ mapping: { timestamp: 'time' } });
  });
});

describe('preview format', () => {
  it('shows file names without the staging folder', () => {
    expect(baseName('/tmp/tapedeck-upload-x/NEW_1m.parquet')).toBe('NEW_1m.parquet');
    expect(baseName('C:\\data\\NEW.csv')).toBe('NEW.csv');
  });
  it('shows ranges in exchange wall time, the date once', () => {
    expect(previewRange('2024-03-04T09:30:00.000-05:00', '2024-03-04T15:59:00.000-05:00')).toBe(
      '2024-03-04 09:30:00 → 15:59:00',
    );
    expect(previewRange('2024-03-04T09:30:00.250-05:00', '2024-03-05T16:00:00-05:00')).toBe(
      '2024-03-04 09:30:00.250 → 2024-03-05 16:00:00',
    );
  });
});
