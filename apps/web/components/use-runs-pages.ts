'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import {
  isActive,
  RUNS_MAX_PAGE,
  RUNS_PAGE_SIZE,
  RUNS_QUERY,
  type RunsData,
  type RunsVariables,
} from '../lib/queries';
import { appendPage, fetchRange, unchangedSignature, type RunsSignature } from '../lib/run-pages';
import { RUNS_SIGNATURE_QUERY } from '../lib/runs-table-queries';
import { useLiveQuery, type LiveQueryState } from '../lib/use-live-query';

/** Which runs, in which order (the page is chosen here). */
export type RunsQueryBase = Pick<RunsVariables, 'filter' | 'orderBy'>;

/** Refresh period while a listed run is queued or running (its row changes every epoch). */
export const ACTIVE_REFRESH_MS = 3000;
/** Period of the cheap check for new or removed runs while every listed run has finished. */
export const IDLE_CHECK_MS = 5000;

/** State of {@link useRunsPages}. */
export interface RunsPages extends LiveQueryState<RunsData> {
  /** A listed run is queued or running (the rows refresh every {@link ACTIVE_REFRESH_MS}). */
  live: boolean;
  /** A next page is being fetched. */
  loadingMore: boolean;
  /** Why the last "Load more" failed (null once one succeeds). */
  loadMoreError: string | null;
  /** Appends the page after the last loaded run. */
  loadMore(): void;
}

const anyActive = (d: RunsData): boolean => d.runs.nodes.some((r) => isActive(r.status));

/**
 * The runs table's rows: the server-rendered first page, more pages appended on `loadMore`
 * (`after` the last endCursor), kept fresh without a reload. It always polls (paused while the tab
 * is hidden, see useLiveQuery), so a run created after the page loaded appears even if it also
 * finished before the next look: while a shown run is queued or running, every 3 s it re-reads
 * the loaded range; otherwise every 5 s it asks only for the number of matching runs and the
 * newest one's id, and re-reads the range when they changed. Polling, not push: server-sent
 * events belong to another issue.
 *
 * A refresh re-reads the whole loaded range (in pages of the API's maximum), not just the first
 * page: merging a fresh first page into older ones by id would leave live runs on later pages
 * stale, and rows that moved between pages duplicated or lost. A new filter or order remounts
 * the table (its `key`), which starts again from the first page.
 */
export function useRunsPages(initial: RunsData, variables: RunsQueryBase): RunsPages {
  // Rows a refresh re-reads: the pages asked for so far (it refills them if runs were deleted).
  const loaded = useRef(RUNS_PAGE_SIZE);
  // The "Load more" in flight: a refresh waits for it, so it never reads the range before it.
  const pending = useRef<Promise<unknown>>(Promise.resolve());
  // The rows shown and the last signature seen, for the idle check.
  const shown = useRef(initial);
  const signature = useRef<RunsSignature | null>(null);
  const [fast, setFast] = useState(() => anyActive(initial));
  const refresh = useCallback(
    async (vars: RunsQueryBase, signal: AbortSignal): Promise<RunsData> => {
      await pending.current;
      const current = shown.current;
      if (!anyActive(current)) {
        const sig = await gqlRequest(
          RUNS_SIGNATURE_QUERY,
          { filter: vars.filter },
          { signal },
        ).then((d) => ({ totalCount: d.runs.totalCount, newestId: d.runs.nodes[0]?.id ?? null }));
        const same = unchangedSignature(signature.current, sig, current.runs);
        signature.current = sig;
        if (same) return current;
      }
      const fetchPage = (first: number, after: string | null) =>
        gqlRequest(RUNS_QUERY, { ...vars, first, after }, { signal }).then((d) => d.runs);
      return { runs: await fetchRange(fetchPage, loaded.current, RUNS_MAX_PAGE) };
    },
    [],
  );
  const live = useLiveQuery(RUNS_QUERY, variables, initial, {
    intervalMs: fast ? ACTIVE_REFRESH_MS : IDLE_CHECK_MS,
    shouldPoll: () => true,
    request: refresh,
  });
  const { update } = live;
  const active = anyActive(live.data);
  // The period follows the rows (a state change during render, so no effect re-renders twice).
  if (active !== fast) setFast(active);
  useEffect(() => {
    shown.current = live.data;
  }, [live.data]);
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

  return { ...live, live: active, loadingMore, loadMoreError, loadMore };
}
