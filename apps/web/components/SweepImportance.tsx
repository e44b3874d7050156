// The parameter-importance table of a sweep, as W&B shows it: the random-forest importance as a
// bar and the correlation with the target metric (green positive, red negative).
import { formatNumber } from '@convscope/viz';

/** One row (GraphQL SweepParameterImportance). */
export interface SweepImportanceRow {
  name: string;
  correlation?: number | null;
  importance?: number | null;
}

function Bar({
  value,
  tone,
  label,
}: {
  value: number;
  tone: 'plain' | 'pos' | 'neg';
  label: string;
}) {
  const color =
    tone === 'pos' ? 'var(--better)' : tone === 'neg' ? 'var(--worse)' : 'var(--accent)';
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <span
        aria-hidden
        style={{
          display: 'inline-block',
          width: 120,
          height: 8,
          background: 'var(--border)',
          borderRadius: 4,
        }}
      >
        <span
          style={{
            display: 'block',
            width: `${Math.round(Math.min(1, Math.abs(value)) * 100)}%`,
            height: '100%',
            background: color,
            borderRadius: 4,
          }}
        />
      </span>
      <span className="num">{label}</span>
    </span>
  );
}

/** The table (a card); a note while too few runs have the metric. */
export function SweepImportance({
  rows,
  metric,
}: {
  rows: readonly SweepImportanceRow[];
  metric: string;
}) {
  const fitted = rows.some((r) => r.importance !== null && r.importance !== undefined);
  return (
    <section className="card" data-testid="sweep-importance">
      <div className="card-header">
        <h2>Parameter importance for {metric}</h2>
        <span className="meta">random forest (permutation) · Pearson correlation</span>
      </div>
      {fitted ? null : (
        <p className="card-body muted">
          The random-forest importance needs at least 4 runs that logged {metric}.
        </p>
      )}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>Importance</th>
              <th>Correlation</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} data-testid="importance-row" data-name={r.name}>
                <td className="mono">{r.name}</td>
                <td data-testid="importance-value">
                  {r.importance == null ? (
                    '–'
                  ) : (
                    <Bar value={r.importance} tone="plain" label={formatNumber(r.importance, 3)} />
                  )}
                </td>
                <td data-testid="correlation-value">
                  {r.correlation == null ? (
                    '–'
                  ) : (
                    <Bar
                      value={r.correlation}
                      tone={r.correlation >= 0 ? 'pos' : 'neg'}
                      label={formatNumber(r.correlation, 3)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
