'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql';
import { GraphQLRequestError, gqlRequest } from './graphql';

/** Options of {@link useLiveQuery}. */
export interface LiveQueryOptions<TData, TVariables = unknown> {
  /** Delay between the end of one request and the next, in ms. */
  intervalMs: number;
  /** Whether to keep polling after receiving `data` (e.g. only while a run is RUNNING or QUEUED). */
  shouldPoll: (data: TData) => boolean;
  /** How to fetch (default: the query with `variables`), e.g. a refresh that reads several pages. */
  request?: (variables: TVariables, signal: AbortSignal) => Promise<TData>;
}

/** State returned by {@link useLiveQuery}. */
export interface LiveQueryState<TData> {
  data: TData;
  /** Last polling error; cleared by the next successful request. */
  error: GraphQLRequestError | null;
  /** True while polling continues. */
  live: boolean;
  /** Time of the last successful refresh (ms since epoch), null before the first poll. */
  updatedAt: number | null;
}

/** {@link useLiveQuery}'s state plus a way to change its data. */
export interface LiveQuery<TData> extends LiveQueryState<TData> {
  /**
   * Replaces the data with `change(data)` (e.g. a page appended) and drops the answers of the
   * refreshes in flight, which were asked before the change and would undo it.
   */
  update(change: (data: TData) => TData): void;
}

/**
 * Starts from server-rendered `initial` data and re-runs `query` every `intervalMs` while
 * `shouldPoll(data)` holds, then stops by itself (a finished run needs no more requests).
 * Requests never overlap: the next one is scheduled after the previous settles. Polling pauses
 * while the tab is hidden and backs off (up to 15 s) while the API is unreachable.
 */
export function useLiveQuery<TData, TVariables>(
  query: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  initial: TData,
  { intervalMs, shouldPoll, request }: LiveQueryOptions<TData, TVariables>,
): LiveQuery<TData> {
  const [state, setState] = useState<LiveQueryState<TData>>(() => ({
    data: initial,
    error: null,
    live: shouldPoll(initial),
    updatedAt: null,
  }));
  // Latest callbacks without restarting the loop on every render.
  const shouldPollRef = useRef(shouldPoll);
  const requestRef = useRef(request);
  useEffect(() => {
    shouldPollRef.current = shouldPoll;
    requestRef.current = request;
  });
  // Bumped by `update`: an answer to a request sent before it is stale.
  const version = useRef(0);
  const variablesKey = JSON.stringify(variables);
  const startPolling = state.live;

  useEffect(() => {
    if (!startPolling) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const vars = JSON.parse(variablesKey) as TVariables;

    // tick catches its own errors; timers and the visibility listener get this void wrapper.
    const schedule = (): void => {
      void tick();
    };
    const tick = async () => {
      if (document.hidden) {
        // Resume as soon as the tab is visible again.
        document.addEventListener('visibilitychange', schedule, { once: true });
        return;
      }
      try {
        const sent = version.current;
        const fetchIt = requestRef.current;
        const data = fetchIt
          ? await fetchIt(vars, controller.signal)
          : await gqlRequest(query, vars, { signal: controller.signal });
        failures = 0;
        if (controller.signal.aborted) return;
        if (sent !== version.current) {
          timer = setTimeout(schedule, intervalMs);
          return;
        }
        const keepGoing = shouldPollRef.current(data);
        setState({ data, error: null, live: keepGoing, updatedAt: Date.now() });
        if (keepGoing) timer = setTimeout(schedule, intervalMs);
      } catch (err) {
        if (controller.signal.aborted) return;
        failures += 1;
        const error =
          err instanceof GraphQLRequestError
            ? err
            : new GraphQLRequestError(String(err), null, null);
        setState((s) => ({ ...s, error }));
        timer = setTimeout(schedule, Math.min(15_000, intervalMs * 2 ** failures));
      }
    };
    timer = setTimeout(schedule, intervalMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', schedule);
    };
  }, [query, variablesKey, intervalMs, startPolling]);

  const update = useCallback((change: (data: TData) => TData) => {
    version.current += 1;
    setState((s) => {
      const data = change(s.data);
      return { ...s, data, live: s.live || shouldPollRef.current(data) };
    });
  }, []);
  return { ...state, update };
}
