'use client';

import { useCallback, useRef, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import {
  isActive,
  RUNS_MAX_PAGE,
  RUNS_PAGE_SIZE,
  RUNS_QUERY,
  type RunsData,
  type RunsVariables,
} from '../lib/queries';
import { appendPage, fetchRange } from '../lib/run-pages';
import { useLiveQuery, type LiveQueryState } from '../lib/use-live-query';

/** Which runs, in which order (the page is chosen here). */
export type RunsQueryBase = Pick<RunsVariables, 'filter' | 'orderBy'>;

/** State of {@link useRunsPages}. */
export interface RunsPages extends LiveQueryState<RunsData> {
  /** A next page is being fetched. */
  loadingMore: boolean;
  /** Why the last "Load more" failed (null once one succeeds). */
  loadMoreError: string | null;
  /** Appends the page after the last loaded run. */
  loadMore(): void;
}

/**
 * The runs table's rows: the server-rendered first page, more pages appended on `loadMore`
 * (`after` the last endCursor), refreshed every 3 s while a shown run is queued or running.
 * A refresh re-reads the whole loaded range (in pages of the API's maximum), not just the first
 * page: merging a fresh first page into older ones by id would leave live runs on later pages
 * stale (and polling forever), and rows that moved between pages duplicated or lost. A new
 * filter or order remounts the table (its `key`), which starts again from the first page.
 */
export function useRunsPages(initial: RunsData, variables: RunsQueryBase): RunsPages {
  // Rows a refresh re-reads: the pages asked for so far (it refills them if runs were deleted).
  const loaded = useRef(RUNS_PAGE_SIZE);
  // The "Load more" in flight: a refresh waits for it, so it never reads the range before it.
  const pending = useRef<Promise<unknown>>(Promise.resolve());
  const refresh = useCallback(
    async (vars: RunsQueryBase, signal: AbortSignal): Promise<RunsData> => {
      await pending.current;
      const fetchPage = (first: number, after: string | null) =>
        gqlRequest(RUNS_QUERY, { ...vars, first, after }, { signal }).then((d) => d.runs);
      return { runs: await fetchRange(fetchPage, loaded.current, RUNS_MAX_PAGE) };
    },
    [],
  );
  const live = useLiveQuery(RUNS_QUERY, variables, initial, {
    intervalMs: 3000,
    shouldPoll: (d: RunsData) => d.runs.nodes.some((r) => isActive(r.status)),
    request: refresh,
  });
  const { update } = live;
  const { hasNextPage, endCursor } = live.data.runs.pageInfo;
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<string | null>(null);

  const loadMore = (): void => {
    if (loadingMore || !hasNextPage || !endCursor) return;
    setLoadingMore(true);
    // Drop the refreshes in flight: they read the range without this page.
    update((d) => d);
    pending.current = gqlRequest(RUNS_QUERY, {
      ...variables,
      first: RUNS_PAGE_SIZE,
      after: endCursor,
    })
      .then(
        (page) => {
          loaded.current += RUNS_PAGE_SIZE;
          update((d) => ({ runs: appendPage(d.runs, page.runs) }));
          setLoadMoreError(null);
        },
        (err: unknown) => setLoadMoreError(err instanceof Error ? err.message : String(err)),
      )
      .finally(() => setLoadingMore(false));
  };

  return { ...live, loadingMore, loadMoreError, loadMore };
}
