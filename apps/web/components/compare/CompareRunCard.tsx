import Link from 'next/link';
import { compareHref, type ComparedRun } from '../../lib/compare';
import { StatusBadge } from '../StatusBadge';

/**
 * The header card of one compared run: its colour, name (linked), project, status, and a link
 * that removes it from the comparison.
 */
export function CompareRunCard({
  run,
  color,
  baseline,
  baselineId,
  comparedIds,
}: {
  run: ComparedRun;
  color: string | undefined;
  /** Whether this run is the baseline: the one the deltas are measured against. */
  baseline: boolean;
  /** The baseline's id, kept in the link that removes this run (unless this run is it). */
  baselineId?: string;
  /** Every compared run's id, for the link that removes this one. */
  comparedIds: readonly string[];
}) {
  // The last run cannot be removed: a comparison needs one.
  const remainingIds = comparedIds.length > 1 ? comparedIds.filter((id) => id !== run.id) : null;
  return (
    <div
      className={`card compare-run${baseline ? ' is-baseline' : ''}`}
      data-run-id={run.id}
      data-baseline={baseline}
      style={{ borderTopColor: color }}
    >
      <div className="compare-run-name">
        <span className="swatch" style={{ background: color }} />
        <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.name}</Link>
        {baseline ? (
          <span className="baseline-badge" data-testid="baseline-badge">
            baseline
          </span>
        ) : null}
      </div>
      <div className="compare-run-meta">
        <Link href={`/projects/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link>
        <StatusBadge status={run.status} />
        {remainingIds ? (
          <Link
            className="link-button"
            href={compareHref(remainingIds, { baseline: baselineId })}
            aria-label={`Remove ${run.name}`}
          >
            Remove
          </Link>
        ) : null}
      </div>
    </div>
  );
}
