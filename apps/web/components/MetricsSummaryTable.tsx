import { formatNumber, isLayerMetric, metricGoal } from '@convscope/viz';
import type { MetricSummary } from '../lib/queries';
import { isSystemMetric } from '../lib/system-metrics';

/**
 * Every logged metric with its last, best, min and max over the full (not downsampled) series.
 * The training metrics come first; the per-layer (`grad_norm/`, `weight_norm/`, `dead_relu/`)
 * and `system/` ones, a dozen or more per run, sit in a collapsed second table under them.
 */
export function MetricsSummaryTable({ summary }: { summary: MetricSummary[] }) {
  if (summary.length === 0) return null;
  const sorted = [...summary].sort((a, b) => a.name.localeCompare(b.name));
  const secondary = (name: string) => isLayerMetric(name) || isSystemMetric(name);
  const main = sorted.filter((m) => !secondary(m.name));
  const more = sorted.filter((m) => secondary(m.name));
  return (
    <section className="card" data-testid="metrics-summary">
      <div className="card-header">
        <h2>Metrics</h2>
        <span className="meta">{sorted.length}</span>
      </div>
      {main.length > 0 ? <SummaryRows rows={main} /> : null}
      {more.length > 0 ? (
        <details data-testid="metrics-summary-more">
          <summary>Layer and system metrics ({more.length})</summary>
          <SummaryRows rows={more} />
        </details>
      ) : null}
    </section>
  );
}

function SummaryRows({ rows }: { rows: MetricSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">Last</th>
            <th className="num">Best</th>
            <th className="num">Min</th>
            <th className="num">Max</th>
            <th className="num">Last step</th>
            <th className="num">Points</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.name}>
              <td className="mono">{m.name}</td>
              <td className="num">{formatNumber(m.last)}</td>
              <td className="num">
                <strong>{formatNumber(metricGoal(m.name) === 'max' ? m.max : m.min)}</strong>
              </td>
              <td className="num muted">{formatNumber(m.min)}</td>
              <td className="num muted">{formatNumber(m.max)}</td>
              <td className="num muted">{m.lastStep}</td>
              <td className="num muted">{m.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
