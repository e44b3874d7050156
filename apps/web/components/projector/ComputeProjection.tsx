'use client';
import { useRequestProjection } from './use-request-projection';

/**
 * For a run without a projector (an older run, a PyTorch-logged run with a TF.js model): queues
 * one for the explain worker and polls until it is stored, then calls `onDone`.
 */
export function ComputeProjection(props: { runId: string; onDone: () => void }) {
  const { state, request } = useRequestProjection(props.runId, props.onDone);
  const busy =
    state.phase === 'requesting' || state.phase === 'QUEUED' || state.phase === 'RUNNING';
  return (
    <div data-testid="projector-missing">
      <p className="meta">
        No projection is stored with this run yet. Tracked runs store one when they finish; the
        explain worker computes one for any run with a stored TF.js model.
      </p>
      <button type="button" className="btn btn-primary" onClick={request} disabled={busy}>
        Compute projection
      </button>{' '}
      <span role="status" className="meta">
        {state.phase === 'requesting'
          ? 'Asking…'
          : state.phase === 'QUEUED'
            ? 'Queued for the explain worker…'
            : state.phase === 'RUNNING'
              ? 'Computing features, PCA, UMAP and t-SNE…'
              : state.phase === 'DONE'
                ? 'Done.'
                : ''}
      </span>
      {state.error ? <p role="alert">Projection failed: {state.error}</p> : null}
    </div>
  );
}
