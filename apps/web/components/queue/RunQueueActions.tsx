'use client';

import Link from 'next/link';
import { isActive, type RunStatus } from '../../lib/queries';
import { CancelRunButton, type CancelledRun } from './CancelRun';

/** Props of {@link RunQueueActions}. */
export interface RunQueueActionsProps {
  run: { id: string; name: string; status: RunStatus; cancelRequested?: boolean | null };
  /** Whether the caller may queue and cancel runs of its project (editor or owner). */
  canWrite: boolean;
  onCancelled?: (run: CancelledRun) => void;
}

/**
 * The run page's queue actions for editors: "Run again with changes" (the New run form
 * pre-filled from this run) and, while it is queued or running, Cancel.
 */
export function RunQueueActions({ run, canWrite, onCancelled }: RunQueueActionsProps) {
  if (!canWrite) return null;
  return (
    <div className="run-actions" data-testid="queue-actions">
      <Link
        href={`/new-run?from=${encodeURIComponent(run.id)}`}
        className="btn"
        data-testid="run-again"
      >
        Run again with changes
      </Link>
      {isActive(run.status) ? <CancelRunButton run={run} onCancelled={onCancelled} /> : null}
    </div>
  );
}
