'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { gqlRequest } from '../../lib/graphql';
import {
  PROJECTION_JOB_QUERY,
  REQUEST_PROJECTION_MUTATION,
  type ProjectionJob,
} from '../../lib/projector';

/** Where an on-demand projection stands. */
export interface ProjectionRequestState {
  phase: 'idle' | 'requesting' | 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  error: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Compute projection": requestProjection, then polls its job every `pollMs` until DONE (then
 * `onDone`, which reloads the artifact) or FAILED (its error is shown).
 */
export function useRequestProjection(
  runId: string,
  onDone: () => void,
  pollMs = 2000,
): { state: ProjectionRequestState; request: () => void } {
  const [state, setState] = useState<ProjectionRequestState>({ phase: 'idle', error: null });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const request = useCallback(() => {
    const report = (job: ProjectionJob) =>
      alive.current &&
      setState({
        phase: job.status,
        error: job.status === 'FAILED' ? (job.error ?? 'the worker gave no reason') : null,
      });
    const run = async () => {
      setState({ phase: 'requesting', error: null });
      let job = (await gqlRequest(REQUEST_PROJECTION_MUTATION, { runId, force: false }))
        .requestProjection;
      report(job);
      while (alive.current && (job.status === 'QUEUED' || job.status === 'RUNNING')) {
        await sleep(pollMs);
        const next = (await gqlRequest(PROJECTION_JOB_QUERY, { id: job.id })).explanationJob;
        if (!next) throw new Error('the projection job disappeared');
        job = next;
        report(job);
      }
      if (alive.current && job.status === 'DONE') onDone();
    };
    run().catch((err: unknown) => {
      if (alive.current)
        setState({ phase: 'FAILED', error: err instanceof Error ? err.message : String(err) });
    });
  }, [runId, onDone, pollMs]);
  return { state, request };
}
