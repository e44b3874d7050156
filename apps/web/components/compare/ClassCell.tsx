import { deltaTone, formatDelta, type ClassMetrics } from '../../lib/compare';
import type { ClassMetricName } from './shared';

/** One metric of one class in a run's tile: the value, and its delta when it differs. */
export function ClassCell({
  metric,
  metrics,
  deltas,
  reserveDelta,
}: {
  metric: ClassMetricName;
  metrics?: ClassMetrics;
  deltas?: ClassMetrics;
  /** Keep the delta line's height without a delta (baseline tile) so the tiles' rows line up. */
  reserveDelta: boolean;
}) {
  const value = metrics?.[metric] ?? null;
  const delta = deltas?.[metric] ?? null;
  const tone = deltaTone(delta);
  return (
    <td className={`num class-cell${tone ? ` tone-${tone}` : ''}`} data-metric={metric}>
      <span className="class-value">{value === null ? '—' : value.toFixed(3)}</span>
      {delta !== null && tone ? (
        <span className={`delta ${tone}`} data-testid="class-delta" data-delta={delta}>
          {formatDelta(delta)}
        </span>
      ) : reserveDelta ? (
        <span className="delta" aria-hidden>
          {'\u00a0'}
        </span>
      ) : null}
    </td>
  );
}
