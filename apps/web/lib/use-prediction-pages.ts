'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { gqlRequest } from './graphql';
import { PREDICTIONS_QUERY, type PredictionsData, type PredictionsVariables } from './queries';
import type { Prediction } from './types';

/** State of {@link usePredictionPages}. */
export interface PredictionPagesState {
  nodes: Prediction[];
  /** Matching predictions in all (null before the first page). */
  totalCount: number | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Appends the next page. */
  loadMore(): void;
}

/**
 * Pages through Run.predictions with `variables` (minus the cursor), `pageSize` at a time:
 * the first page loads when the variables change (`key` identifies them), later pages on
 * {@link PredictionPagesState.loadMore}. A change of variables aborts requests in flight.
 */
export function usePredictionPages(
  key: string,
  variables: Omit<PredictionsVariables, 'after' | 'first'>,
  pageSize: number,
): PredictionPagesState {
  const [nodes, setNodes] = useState<Prediction[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // The variables of the current key; requests of an older key are dropped.
  const current = useRef({ key, variables, controller: new AbortController() });

  // New variables start over: reset while rendering (not in the effect that fetches), so the
  // old pages are never shown under the new variables.
  const resetKey = `${key}:${pageSize}`;
  const [shownKey, setShownKey] = useState(resetKey);
  if (shownKey !== resetKey) {
    setShownKey(resetKey);
    setNodes([]);
    setTotalCount(null);
    setCursor(null);
    setHasMore(false);
    setLoading(true);
  }

  /** Fetches a page (the caller has set `loading`); state changes only when it answers. */
  const load = useCallback(
    (after: string | null) => {
      const { key: k, variables: v, controller } = current.current;
      void gqlRequest<PredictionsData, PredictionsVariables>(
        PREDICTIONS_QUERY,
        { ...v, first: pageSize, after },
        { signal: controller.signal },
      )
        .then((data) => {
          if (current.current.key !== k) return;
          const page = data.run?.predictions;
          if (!page) throw new Error('run not found');
          setNodes((prev) => (after ? [...prev, ...page.nodes] : page.nodes));
          setTotalCount(page.totalCount);
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
    [pageSize],
  );

  useEffect(() => {
    current.current.controller.abort();
    current.current = { key, variables, controller: new AbortController() };
    load(null);
    return () => current.current.controller.abort();
    // `key` stands for `variables` (a new object on every render): depending on the object would
    // refetch on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, load]);

  const loadMore = useCallback(() => {
    if (!cursor || !hasMore || loading) return;
    setLoading(true);
    load(cursor);
  }, [cursor, hasMore, loading, load]);

  return { nodes, totalCount, hasMore, loading, error, loadMore };
}
