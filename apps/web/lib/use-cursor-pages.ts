'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/** One page of a GraphQL connection, as the hooks here read it. */
export interface CursorPage<T> {
  nodes: T[];
  /** Matching items in all, where the connection counts them. */
  totalCount?: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Fetches the page after `after` (null: the first); rejects when there is nothing to page. */
export type PageFetcher<T> = (after: string | null, signal: AbortSignal) => Promise<CursorPage<T>>;

/** State of {@link useCursorPages}. */
export interface CursorPagesState<T> {
  nodes: T[];
  /** Matching items in all (null before the first page, or when the connection does not count). */
  totalCount: number | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Appends the next page. */
  loadMore(): void;
}

/**
 * Pages through a connection with `fetchPage`: the first page loads when `key` (what identifies
 * the query and its variables) changes, later pages on {@link CursorPagesState.loadMore}. A new
 * key starts over and aborts the request in flight; answers to an older key are dropped.
 */
export function useCursorPages<T>(key: string, fetchPage: PageFetcher<T>): CursorPagesState<T> {
  const [nodes, setNodes] = useState<T[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // The fetcher of the current key; requests of an older key are dropped.
  const current = useRef({ key, fetchPage, controller: new AbortController() });

  // A new key starts over: reset while rendering (not in the effect that fetches), so the old
  // pages are never shown under the new key.
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setNodes([]);
    setTotalCount(null);
    setCursor(null);
    setHasMore(false);
    setLoading(true);
  }

  /** Fetches a page (the caller has set `loading`); state changes only when it answers. */
  const load = useCallback((after: string | null) => {
    const { key: k, fetchPage: fetchIt, controller } = current.current;
    void fetchIt(after, controller.signal)
      .then((page) => {
        if (current.current.key !== k) return;
        setNodes((prev) => (after ? [...prev, ...page.nodes] : page.nodes));
        setTotalCount(page.totalCount ?? null);
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
  }, []);

  useEffect(() => {
    current.current.controller.abort();
    current.current = { key, fetchPage, controller: new AbortController() };
    load(null);
    return () => current.current.controller.abort();
    // `key` stands for `fetchPage` (a new closure on every render): depending on the function
    // would refetch on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, load]);

  const loadMore = useCallback(() => {
    if (!cursor || !hasMore || loading) return;
    setLoading(true);
    load(cursor);
  }, [cursor, hasMore, loading, load]);

  return { nodes, totalCount, hasMore, loading, error, loadMore };
}
