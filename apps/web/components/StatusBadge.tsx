import type { RunStatus } from '../lib/queries';

const LABELS: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

/**
 * Coloured pill for a run status (pulsing dot while running). With `cancelling` (a cancel was
 * asked, the run has not stopped yet) it reads "Cancelling…".
 */
export function StatusBadge({
  status,
  cancelling = false,
}: {
  status: RunStatus;
  cancelling?: boolean | null;
}) {
  const asked = Boolean(cancelling) && (status === 'RUNNING' || status === 'QUEUED');
  return (
    <span
      className={`badge badge-${status}`}
      data-status={status}
      data-cancelling={asked ? 'true' : undefined}
    >
      <span className="badge-dot" aria-hidden />
      {asked ? 'Cancelling…' : (LABELS[status] ?? status)}
    </span>
  );
}
