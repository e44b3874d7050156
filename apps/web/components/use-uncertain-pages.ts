'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import {
  UNCERTAINTY_SAMPLES_QUERY,
  type UncertaintySamplesData,
  type UncertaintySamplesVariables,
} from '../lib/queries';
import type { UncertaintySample } from '../lib/types';

/** Samples per page of the most-uncertain gallery. */
export const UNCERTAIN_PAGE_SIZE = 12;

/** Orders of the most-uncertain gallery. */
export type UncertaintyOrder = 'ENTROPY_DESC' | 'MI_DESC';

/**
 * Pages through Uncertainty.samples in `order`, {@link UNCERTAIN_PAGE_SIZE} at a time; a new
 * order (or evaluation) starts over and aborts the request in flight.
 */
export function useUncertainPages(runId: string, uncertaintyId: string, order: UncertaintyOrder) {
  const [nodes, setNodes] = useState<UncertaintySample[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const current = useRef({ key: '', controller: new AbortController() });
  const key = `${uncertaintyId}:${order}`;

  // A new order, evaluation or run starts over: reset while rendering (not in the effect that
  // fetches), so the old list is never shown under the new order.
  const resetKey = `${runId}:${key}`;
  const [shownKey, setShownKey] = useState(resetKey);
  if (shownKey !== resetKey) {
    setShownKey(resetKey);
    setNodes([]);
    setCursor(null);
    setHasMore(false);
    setLoading(true);
  }

  /** Fetches a page (the caller has set `loading`); state changes only when it answers. */
  const load = useCallback(
    (after: string | null) => {
      const { key: k, controller } = current.current;
      void gqlRequest<UncertaintySamplesData, UncertaintySamplesVariables>(
        UNCERTAINTY_SAMPLES_QUERY,
        { id: runId, uncertaintyId, first: UNCERTAIN_PAGE_SIZE, after, orderBy: order },
        { signal: controller.signal },
      )
        .then((data) => {
          if (current.current.key !== k) return;
          const page = data.run?.uncertainty?.samples;
          if (!page) throw new Error('uncertainty not found');
          setNodes((prev) => (after ? [...prev, ...page.nodes] : page.nodes));
          setCursor(page.pageInfo.endCursor);
          setHasMore(page.pageInfo.hasNextPage);
          setError(null);
          setLoading(false);
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted || current.current.key !== k) return;
          setError(err instanceof Error ? err.message : String(err));
          setLoading(false);
        });
    },
    [runId, uncertaintyId, order],
  );

  useEffect(() => {
    current.current.controller.abort();
    current.current = { key, controller: new AbortController() };
    load(null);
    return () => current.current.controller.abort();
  }, [key, load]);

  const loadMore = useCallback(() => {
    if (!cursor || !hasMore || loading) return;
    setLoading(true);
    load(cursor);
  }, [cursor, hasMore, loading, load]);
  return { nodes, hasMore, loading, error, loadMore };
}
