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
import { useLiveEvents, type LiveScope, type LiveStatus } from '../lib/use-live-events';

/** Which runs, in which order (the page is chosen here). */
export type RunsQueryBase = Pick<RunsVariables, 'filter' | 'orderBy'>;

/**
 * Fallback refresh period while a listed run is queued or running and the live stream is down
 * (with the stream up, changes are pushed and nothing is polled).
 */
export const ACTIVE_REFRESH_MS = 3000;
/** Fallback period of the cheap check for new or removed runs while the live stream is down. */
export const IDLE_CHECK_MS = 5000;

/** State of {@link useRunsPages}. */
export interface RunsPages extends LiveQueryState<RunsData> {
  /** A listed run is queued or running. */
  live: boolean;
  /** The live stream: `live` (changes pushed), else the table polls as a fallback. */
  stream: LiveStatus;
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
 * (`after` the last endCursor), kept fresh without a reload. The API's live stream (GET
 * /live/events, for the filtered project or every readable one) announces changes: a notice
 * about a shown run re-reads the loaded range; any other asks only for the number of matching
 * runs and the newest one's id, and re-reads the range when they changed. While the stream is
 * down it polls instead (paused while the tab is hidden, see useLiveQuery): every 3 s while a
 * shown run is queued or running, otherwise the cheap check every 5 s.
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
  // A notice named a shown run: the next refresh re-reads the rows without the cheap check.
  const rowsChanged = useRef(false);
  const refresh = useCallback(
    async (vars: RunsQueryBase, signal: AbortSignal): Promise<RunsData> => {
      await pending.current;
      const current = shown.current;
      const force = rowsChanged.current;
      rowsChanged.current = false;
      if (!force && !anyActive(current)) {
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
  const projects = variables.filter?.projects;
  const scope: LiveScope = projects?.length === 1 && projects[0] ? { project: projects[0] } : {};
  const kick = useRef<() => void>(() => undefined);
  const stream = useLiveEvents(scope, (notice) => {
    if (notice.kind === 'resync' || shown.current.runs.nodes.some((r) => r.id === notice.runId))
      rowsChanged.current = true;
    kick.current();
  });
  const live = useLiveQuery(RUNS_QUERY, variables, initial, {
    intervalMs: stream === 'live' ? null : fast ? ACTIVE_REFRESH_MS : IDLE_CHECK_MS,
    shouldPoll: () => true,
    request: refresh,
  });
  const { update } = live;
  useEffect(() => {
    kick.current = live.refresh;
  }, [live.refresh]);
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

  return { ...live, live: active, stream, loadingMore, loadMoreError, loadMore };
}
