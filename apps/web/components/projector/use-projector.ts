'use client';
import { parseProjector, type ProjectorData } from '@convscope/viz';
import { useCallback, useEffect, useState } from 'react';
import { projectorArtifactUrl } from '../../lib/projector';

/** Where the run's projector artifact stands. */
export type ProjectorState =
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'error'; message: string }
  | { status: 'ready'; data: ProjectorData };

/**
 * Fetches and decodes the run's `projector.json` through the same-origin artifact route.
 * @returns the state and `reload` (used after a projection job finishes)
 */
export function useProjector(
  runId: string,
  /** A change refetches (e.g. the run's status: the artifact appears when training ends). */
  refreshKey = '',
): { state: ProjectorState; reload: () => void } {
  const [state, setState] = useState<ProjectorState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    // A refetch keeps showing what was there until the answer replaces it.
    fetch(projectorArtifactUrl(runId), { signal: ctrl.signal, cache: 'no-store' })
      .then(async (res) => {
        if (res.status === 404) return setState({ status: 'missing' });
        if (!res.ok) throw new Error(`the projector could not be read (HTTP ${res.status})`);
        setState({ status: 'ready', data: parseProjector(await res.json()) });
      })
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => ctrl.abort();
  }, [runId, generation, refreshKey]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
