/**
 * One rule table, every form: the same sample rows go through the per-row check, the column
 * screen, SQLite's SQL predicate and its raw-value check, the parquet loader's validator, the
 * importer's screen and explanation, and the LEAN check; all must find the same rows bad, and
 * the forms that explain must name the same field in the same words.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowValidator } from '../../src/main/storage/parquet/row-validator';
import { RowChecker } from '../../src/main/storage/import/row-checks';
import { ProblemLog } from '../../src/main/storage/import/import-problems';
import type { RawBatch } from '../../src/main/storage/import/tabular-source';
import { GENERIC_WORDING } from '../../src/main/storage/import/problem-wording';
import { invalidRowSql, rowProblem } from '../../src/main/storage/sqlite/row-checks';
import { screenValues, valueProblem } from '../../src/shared/market/value-rules';
import { STREAM_FIELDS, STREAM_TYPES, type StreamType } from '../../src/shared/stream-types';
import { mulberry32 } from '../../src/main/storage/synthetic/seeded-random';

const SPECIAL = [0, -1, -0.5, Infinity, -Infinity, 1e-9];

/** Mostly good rows, with one or two values broken or swapped at random. */
function sampleRows(kind: StreamType, n: number): number[][] {
  const random = mulberry32(kind.length * 977);
  const width = STREAM_FIELDS[kind].length;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const base = 100 + Math.floor(random() * 10);
    let row: number[];
    if (kind === 'bars') {
      const open = base + Math.floor(random() * 3);
      const close = base + Math.floor(random() * 3);
      row = [open, Math.max(open, close) + 1, Math.min(open, close) - 1, close, 500];
    } else if (kind === 'quotes') {
      row = [base, base + 1, 300, 200];
    } else {
      row = [base, 50];
    }
    const r = random();
    if (r < 0.3)
      row[Math.floor(random() * width)] = SPECIAL[Math.floor(random() * SPECIAL.length)]!;
    else if (r < 0.45 && kind === 'bars') {
      // Values that break only the order rules: high below open, low above close, ...
      const a = Math.floor(random() * 4);
      const b = Math.floor(random() * 4);
      [row[a], row[b]] = [row[b]!, row[a]!];
    }
    rows.push(row);
  }
  return rows;
}

function columnsOf(rows: number[][], width: number): Float64Array[] {
  return Array.from({ length: width }, (_, k) => Float64Array.from(rows, (r) => r[k]!));
}

describe('the value rules agree in every form', () => {
  for (const kind of STREAM_TYPES) {
    it(`${kind}: per row, column screen, SQL, SQLite check, parquet validator, importer and LEAN`, () => {
      const fields = STREAM_FIELDS[kind];
      const rows = sampleRows(kind, 600);
      const columns = columnsOf(rows, fields.length);
      const perRow = rows.map((_, i) => valueProblem(kind, columns, i));
      const bad = perRow.map((p) => p !== null);
      // The sample holds both kinds of row, or it proves nothing.
      expect(bad.filter(Boolean).length).toBeGreaterThan(50);
      expect(bad.filter((b) => !b).length).toBeGreaterThan(200);

      const suspect = new Uint8Array(rows.length);
      screenValues(kind, columns, rows.length, suspect);
      expect(Array.from(suspect, (s) => s === 1)).toEqual(bad);

      // SQLite: its SQL predicate and its check of raw values. SQLite keeps no infinities in
      // REAL columns of this kind of table, so they are stored as the literal 9e999.
      const db = new Database(':memory:');
      db.exec(`CREATE TABLE t (i INTEGER, ${fields.map((f) => `${f} REAL`).join(', ')})`);
      const insert = db.prepare(`INSERT INTO t VALUES (?, ${fields.map(() => '?').join(', ')})`);
      rows.forEach((r, i) => insert.run(i, ...r));
      const sqlBad = new Set(
        (db.prepare(`SELECT i FROM t WHERE ${invalidRowSql(kind)}`).all() as { i: number }[]).map(
          (r) => r.i,
        ),
      );
      expect(rows.map((_, i) => sqlBad.has(i))).toEqual(bad);
      const raw = db.prepare(`SELECT * FROM t ORDER BY i`).raw().all() as unknown[][];
      raw.forEach((r, i) => {
        const p = rowProblem(kind, r, 1);
        expect(p ?? null, `row ${i}`).toEqual(
          perRow[i] && { field: perRow[i]!.field, message: perRow[i]!.message },
        );
      });
      db.close();

      // The parquet loader's validator, skipping bad rows and naming each.
      const seen: { row: number; field: string; message: string }[] = [];
      const validator = new RowValidator(kind, {
        skipInvalid: true,
        onProblem: (e) => seen.push({ row: e.row!, field: e.field!, message: e.message }),
      });
      const batch = {
        length: rows.length,
        timestamp: Float64Array.from(rows, (_, i) => 1_700_000_000_000 + i * 1000),
        values: columnsOf(rows, fields.length),
      };
      validator.check(batch, 'f.parquet', 0);
      const expected = perRow.flatMap((p, i) =>
        p
          ? [
              {
                row: i + 1,
                field: p.field,
                message: `f.parquet: row ${i + 1}, field "${p.field}" ${p.message}`,
              },
            ]
          : [],
      );
      expect(seen).toEqual(expected);

      // The importer: screen, then the explanation of each suspect row, in the same words.
      const checkerFor = (log: ProblemLog, wording = GENERIC_WORDING) =>
        new RowChecker(
          {
            kind,
            stepMs: 0,
            shiftMs: 0,
            timestampColumn: 'time',
            fieldColumns: [...fields],
            wording,
          },
          log,
        );
      const checker = checkerFor(new ProblemLog('f.csv'));
      const rawBatch: RawBatch = {
        length: rows.length,
        timestamp: batch.timestamp,
        values: columns,
        raw: (i: number, k: number) => (k < 0 ? String(batch.timestamp[i]) : String(rows[i]![k])),
        firstRow: 1,
        progress: 1,
      } as unknown as RawBatch;
      const screened = checker.screen(rawBatch);
      const imported = rows.map((_, i) =>
        screened[i] === 1 ? !checker.explain(rawBatch, i, i + 1) : false,
      );
      // Non-finite values are the importer's own case (it shows the source text).
      expect(imported).toEqual(bad);

      // LEAN's rows go through the same checker, worded by the rule's message alone.
      const leanWording = { ...GENERIC_WORDING, value: (p: { message: string }) => p.message };
      rows.forEach((_, i) => {
        const one = new ProblemLog('f.zip');
        const lean = checkerFor(one, leanWording);
        expect(lean.explain(rawBatch, i, i + 1), `row ${i}`).toBe(!bad[i]);
        const p = perRow[i];
        if (p && p.key !== 'nan') {
          expect(one.problems().map((q) => ({ field: q.field, message: q.message }))).toEqual([
            { field: p.field, message: p.message },
          ]);
        }
      });
    });
  }
});
