import type { Comparison } from '../../lib/compare';
import { ClassCell } from './ClassCell';
import { CLASS_METRIC_LABEL, CLASS_METRICS, type Colors } from './shared';

/**
 * Per-class precision, recall and F1 of every compared run, one tile per run side by side,
 * with each value's delta against the first run (the baseline).
 */
export function ClassTiles({ comparison, colorOf }: { comparison: Comparison; colorOf: Colors }) {
  const { perClass, runs } = comparison;
  if (perClass.length === 0) return null;
  return (
    <section className="card" data-testid="compare-class-tiles">
      <div className="card-header">
        <h2>Per-class metrics (test split)</h2>
        <span className="meta">
          deltas vs <strong>{runs[0]?.name}</strong>:{' '}
          <span className="delta better">green better</span> ·{' '}
          <span className="delta worse">red worse</span>
        </span>
      </div>
      <div
        className="card-body class-tiles"
        style={{ gridTemplateColumns: `repeat(${runs.length}, minmax(240px, 1fr))` }}
      >
        {runs.map((run, i) => (
          <div
            key={run.id}
            className="class-tile"
            data-testid="class-tile"
            data-run-id={run.id}
            style={{ borderTopColor: colorOf.get(run.id) }}
          >
            <div className="class-tile-title">
              <span className="swatch" style={{ background: colorOf.get(run.id) }} />
              {run.name}
            </div>
            <table className="data compact">
              <thead>
                <tr>
                  <th>Class</th>
                  {CLASS_METRICS.map((m) => (
                    <th key={m} className="num">
                      {CLASS_METRIC_LABEL[m]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {perClass.map((c) => {
                  const metrics = c.metrics.find((m) => m.runId === run.id);
                  const deltas = c.deltas.find((m) => m.runId === run.id);
                  return (
                    <tr key={c.label} data-class={c.label}>
                      <td>{c.label}</td>
                      {CLASS_METRICS.map((m) => (
                        <ClassCell
                          key={m}
                          metric={m}
                          metrics={metrics}
                          deltas={i === 0 ? undefined : deltas}
                          reserveDelta={runs.length > 1}
                        />
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}
