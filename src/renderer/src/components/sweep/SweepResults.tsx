/**
 * The results table: one row per run, sortable by any column (click its header again to turn
 * the order round). A row opens its run as a replay.
 */
import { useMemo, useState } from 'react';
import { sortRows, type SortKey, type SweepTable } from '../../state/sweep-table';
import { formatCell } from './sweep-format';

interface Props {
  table: SweepTable;
  initialSort: SortKey;
  onOpen: (row: number) => void;
}

export function SweepResults({ table, initialSort, onOpen }: Props) {
  const [sort, setSort] = useState<SortKey>(initialSort);
  const rows = useMemo(() => sortRows(table, sort), [table, sort]);
  const idColumn = table.columns.indexOf('run_id');
  const errorColumn = table.columns.indexOf('error');
  // The error column only when some run failed.
  const columns = table.columns.filter(
    (c) => c !== 'error' || table.rows.some((r) => r[errorColumn] !== null),
  );
  return (
    <div className="sweep-results" role="region" aria-label="Sweep results">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c}
                aria-sort={
                  sort.column === c ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'
                }
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() =>
                    setSort((prev) =>
                      prev.column === c
                        ? { column: c, order: prev.order === 'asc' ? 'desc' : 'asc' }
                        : { column: c, order: 'desc' },
                    )
                  }
                >
                  {c}
                  {sort.column === c ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const id = String(row[idColumn]);
            return (
              <tr
                key={id}
                tabIndex={0}
                title="Open this run as a replay"
                className={row[errorColumn] !== null ? 'failed' : undefined}
                onClick={() => onOpen(table.rows.indexOf(row))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onOpen(table.rows.indexOf(row));
                }}
              >
                {columns.map((c) => {
                  const value = row[table.columns.indexOf(c)] ?? null;
                  return (
                    <td key={c} className={typeof value === 'number' ? 'num' : undefined}>
                      {c === 'run_id' ? id.slice(0, 8) : formatCell(value)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
