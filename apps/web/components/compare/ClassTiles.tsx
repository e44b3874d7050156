import { useMemo } from 'react';
import { perClassAgainst, type Comparison } from '../../lib/compare';
import { ClassCell } from './ClassCell';
import { CLASS_METRIC_LABEL, CLASS_METRICS, type Colors } from './shared';

/**
 * Per-class precision, recall and F1 of every compared run, one tile per run side by side,
 * with each value's delta against the baseline run (the first unless another is chosen).
 */
export function ClassTiles({
  comparison,
  colorOf,
  baselineId,
}: {
  comparison: Comparison;
  colorOf: Colors;
  /** The run the deltas are measured against; default the first. */
  baselineId?: string;
}) {
  const { runs } = comparison;
  const baseId = baselineId ?? runs[0]?.id ?? '';
  const perClass = useMemo(
    () => perClassAgainst(comparison.perClass, baseId),
    [comparison.perClass, baseId],
  );
  const baseName = runs.find((r) => r.id === baseId)?.name;
  if (perClass.length === 0) return null;
  return (
    <section className="card" data-testid="compare-class-tiles">
      <div className="card-header">
        <h2>Per-class metrics (test split)</h2>
        <span className="meta">
          deltas vs <strong data-testid="class-tiles-baseline">{baseName}</strong>:{' '}
          <span className="delta better">green better</span> ·{' '}
          <span className="delta worse">red worse</span>
        </span>
      </div>
      <div
        className="card-body class-tiles"
        style={{ gridTemplateColumns: `repeat(${runs.length}, minmax(240px, 1fr))` }}
      >
        {runs.map((run) => (
          <ClassTile
            key={run.id}
            run={run}
            color={colorOf.get(run.id)}
            perClass={perClass}
            baseline={run.id === baseId}
            several={runs.length > 1}
          />
        ))}
      </div>
    </section>
  );
}

/** One run's tile: its per-class values, with deltas unless it is the baseline. */
function ClassTile({
  run,
  color,
  perClass,
  baseline,
  several,
}: {
  run: Comparison['runs'][number];
  color: string | undefined;
  /** Per-class metrics with deltas already against the baseline. */
  perClass: Comparison['perClass'];
  baseline: boolean;
  /** More than one run: deltas exist somewhere, so every tile reserves their line. */
  several: boolean;
}) {
  return (
    <div
      className="class-tile"
      data-testid="class-tile"
      data-run-id={run.id}
      data-baseline={baseline}
      style={{ borderTopColor: color }}
    >
      <div className="class-tile-title">
        <span className="swatch" style={{ background: color }} />
        {run.name}
        {baseline && several ? <span className="baseline-badge">baseline</span> : null}
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
                    deltas={baseline ? undefined : deltas}
                    reserveDelta={several}
                  />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
