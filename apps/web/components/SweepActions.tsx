'use client';

// Pause, resume and stop of a sweep (editors only), and a refresh every few seconds while it
// still has work, so progress and the chart follow the runs.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { gqlRequest } from '../lib/graphql';
import { PAUSE_SWEEP, RESUME_SWEEP, STOP_SWEEP } from '../lib/sweeps';
import { InlineError } from './InlineError';
import { useAction } from './settings/use-action';

/** How often the page re-reads a sweep that is still running (ms). */
const REFRESH_MS = 5000;

/** The buttons (for editors) and the refresh timer of the sweep page. */
export function SweepActions({
  id,
  status,
  canEdit,
  active,
}: {
  id: string;
  status: string;
  canEdit: boolean;
  /** Runs still queued or running: keep refreshing. */
  active: boolean;
}) {
  const router = useRouter();
  const action = useAction();
  useEffect(() => {
    if (!active && status !== 'RUNNING') return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, status, router]);
  if (!canEdit || status === 'FINISHED' || status === 'STOPPED') return null;
  const act = (run: () => Promise<unknown>) =>
    void action.run(async () => {
      await run();
      router.refresh();
    });
  return (
    <div className="runs-actions" data-testid="sweep-actions">
      {status === 'RUNNING' ? (
        <button
          type="button"
          className="btn"
          disabled={action.pending}
          data-testid="pause-sweep"
          onClick={() => act(() => gqlRequest(PAUSE_SWEEP, { id }))}
        >
          Pause
        </button>
      ) : (
        <button
          type="button"
          className="btn"
          disabled={action.pending}
          data-testid="resume-sweep"
          onClick={() => act(() => gqlRequest(RESUME_SWEEP, { id }))}
        >
          Resume
        </button>
      )}
      <button
        type="button"
        className="btn btn-danger-outline"
        disabled={action.pending}
        data-testid="stop-sweep"
        onClick={() => {
          if (window.confirm('Stop this sweep? Queued runs are cancelled and running ones stop.'))
            act(() => gqlRequest(STOP_SWEEP, { id }));
        }}
      >
        Stop
      </button>
      <InlineError message={action.error} data-testid="sweep-action-error" />
    </div>
  );
}
