import { flattenJson } from '../lib/json';
import { EmptyState } from './EmptyState';

/** Card with a two-column table of a JSON object flattened to dotted keys (hyperparameters, dataset info). */
export function KeyValueTable({
  title,
  value,
  emptyText,
  testId,
}: {
  title: string;
  value: unknown;
  emptyText: string;
  testId?: string;
}) {
  const rows = flattenJson(value);
  return (
    <section className="card" data-testid={testId}>
      <div className="card-header">
        <h2>{title}</h2>
        <span className="meta">{rows.length || ''}</span>
      </div>
      <div className="card-body flush">
        {rows.length === 0 ? (
          <EmptyState title={emptyText} />
        ) : (
          <table className="data kv">
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td className="mono wrap">{r.key}</td>
                  <td className="wrap mono">{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
