/** The data catalog: what is stored, per symbol, stream and trading day. */
import type { CatalogEntry } from '../../../../shared/import-contract';
import { formatQuality, qualityBand } from '../../state/quality';

export function CatalogPanel({
  entries,
  onRefresh,
}: {
  entries: CatalogEntry[];
  onRefresh: () => void;
}) {
  return (
    <section className="panel catalog" aria-labelledby="catalog-title">
      <div className="panel-head">
        <h2 id="catalog-title">Data catalog</h2>
        <button type="button" className="link-button" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="empty">Nothing stored yet. Drop parquet or CSV files anywhere to import.</p>
      ) : (
        <table className="data-table" aria-labelledby="catalog-title">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Stream</th>
              <th scope="col">Date</th>
              <th scope="col">Store</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Quality
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.symbol}-${e.kind}-${e.interval ?? ''}-${e.date}-${e.store}`}>
                <th scope="row">{e.symbol}</th>
                <td>{e.kind === 'bars' ? `bars ${e.interval ?? ''}` : e.kind}</td>
                <td>{e.date}</td>
                <td>{e.store}</td>
                <td className="num">{e.rows.toLocaleString('en-US')}</td>
                <td className={`num quality quality-${qualityBand(e.quality)}`}>
                  {formatQuality(e.quality)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
