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
 * Fetches and decodes the run's `projector.json` through the same-origin artifact route, only
 * when the run lists it (`present`: no 404 asked for), or after `reload` (a projection job
 * finished).
 */
export function useProjector(
  runId: string,
  present: boolean,
): { state: ProjectorState; reload: () => void } {
  const [fetched, setFetched] = useState<ProjectorState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const wanted = present || generation > 0;
  useEffect(() => {
    if (!wanted) return;
    const ctrl = new AbortController();
    fetch(projectorArtifactUrl(runId), { signal: ctrl.signal, cache: 'no-store' })
      .then(async (res) => {
        if (res.status === 404) return setFetched({ status: 'missing' });
        if (!res.ok) throw new Error(`the projector could not be read (HTTP ${res.status})`);
        setFetched({ status: 'ready', data: parseProjector(await res.json()) });
      })
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setFetched({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => ctrl.abort();
  }, [runId, wanted, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state: wanted ? fetched : { status: 'missing' }, reload };
}
