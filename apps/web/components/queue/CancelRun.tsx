'use client';

// Cancel of a queued or running run, with a confirmation first: on the run page (a button) and
// as a row action of the runs table (a small one). A QUEUED run ends CANCELLED at once; a RUNNING
// one shows "Cancelling…" until its worker stops and the run ends CANCELLED.
import { useEffect, useId, useRef, useState } from 'react';
import { gqlRequest } from '../../lib/graphql';
import type { RunStatus } from '../../lib/queries';
import { CANCEL_RUN } from '../../lib/queue';
import { InlineError } from '../InlineError';
import { useAction } from '../settings/use-action';

/** What cancelRun answers: the run's new state. */
export interface CancelledRun {
  id: string;
  status: RunStatus;
  cancelRequested: boolean;
}

/** Props of {@link CancelRunButton}. */
export interface CancelRunButtonProps {
  run: { id: string; name: string; cancelRequested?: boolean | null };
  /** Told the run's state once the API accepted the cancel. */
  onCancelled?: (run: CancelledRun) => void;
  /** The small button of a table row. */
  compact?: boolean;
}

/** "Cancel…" and its confirmation; disabled, reading "Cancelling…", once a cancel is asked. */
export function CancelRunButton({ run, onCancelled, compact = false }: CancelRunButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const [asked, setAsked] = useState(false);
  const cancel = useAction();
  const cancelling = asked || Boolean(run.cancelRequested);
  const confirm = () =>
    cancel.run(async () => {
      const { cancelRun } = await gqlRequest(CANCEL_RUN, { id: run.id });
      setAsked(true);
      setConfirming(false);
      onCancelled?.(cancelRun);
    });
  return (
    <>
      <button
        type="button"
        className={`btn btn-danger-outline${compact ? ' btn-small' : ''}`}
        data-testid="cancel-run"
        disabled={cancelling}
        aria-label={compact ? `Cancel run ${run.name}` : undefined}
        onClick={() => setConfirming(true)}
      >
        {cancelling ? 'Cancelling…' : 'Cancel…'}
      </button>
      {confirming ? (
        <CancelDialog
          name={run.name}
          pending={cancel.pending}
          error={cancel.error}
          onConfirm={() => void confirm()}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}

/** The confirmation: says what a cancel does; Escape or "Keep it" closes it. */
function CancelDialog({
  name,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  name: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    keepRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="cancel-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId}>
          Cancel run <q>{name}</q>?
        </h2>
        <p>
          A queued run will not start; a running one stops within seconds. What it logged so far is
          kept, and the run ends <strong>Cancelled</strong>.
        </p>
        <InlineError message={error} data-testid="cancel-error" />
        <div className="modal-actions">
          <button type="button" className="btn" ref={keepRef} onClick={onClose}>
            Keep it
          </button>
          <button
            type="button"
            className="btn btn-danger"
            data-testid="cancel-confirm"
            disabled={pending}
            onClick={onConfirm}
          >
            {pending ? 'Cancelling…' : 'Cancel run'}
          </button>
        </div>
      </div>
    </div>
  );
}
