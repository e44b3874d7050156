'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql';
import { GraphQLRequestError, gqlRequest } from './graphql';

/** Options of {@link useLiveQuery}. */
export interface LiveQueryOptions<TData, TVariables = unknown> {
  /**
   * Delay between the end of one request and the next, in ms; null: no timed requests (the
   * caller pushes changes in with `refresh`, e.g. on a live-stream notice).
   */
  intervalMs: number | null;
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
  /** Re-reads now (after the request in flight, if any): something changed. */
  refresh(): void;
}

/** What {@link startLoop} needs from the hook. */
interface LoopParts<TData> {
  intervalMs: number | null;
  /** One request (the hook's query or its `request` option). */
  fetchOnce: (signal: AbortSignal) => Promise<TData>;
  /** Bumped by `update`: an answer to a request sent before it is stale. */
  version: { current: number };
  shouldPoll: { current: (data: TData) => boolean };
  setState: (change: (s: LiveQueryState<TData>) => LiveQueryState<TData>) => void;
}

/**
 * The request loop: one request at a time, the next `intervalMs` after the previous settles
 * (never with a null interval), `kick` asks for one now (after the one in flight). Pauses while
 * the tab is hidden; backs off up to 15 s while requests fail.
 */
function startLoop<TData>(parts: LoopParts<TData>): { kick: () => void; stop: () => boolean } {
  const { intervalMs, fetchOnce, version, shouldPoll, setState } = parts;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  // A request is in flight / a kick came meanwhile (it runs right after).
  let busy = false;
  let again = false;
  const later = (ms: number | null): void => {
    clearTimeout(timer);
    if (again) {
      again = false;
      timer = setTimeout(schedule, 0);
    } else if (ms !== null) timer = setTimeout(schedule, ms);
  };
  // tick catches its own errors; timers and the visibility listener get this void wrapper.
  const schedule = (): void => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    void tick().finally(() => {
      busy = false;
      if (again && !controller.signal.aborted) later(intervalMs);
    });
  };
  const tick = async () => {
    if (document.hidden) {
      // Resume as soon as the tab is visible again.
      document.addEventListener('visibilitychange', schedule, { once: true });
      return;
    }
    try {
      const sent = version.current;
      const data = await fetchOnce(controller.signal);
      failures = 0;
      if (controller.signal.aborted) return;
      if (sent !== version.current) return later(intervalMs ?? 0);
      const keepGoing = shouldPoll.current(data);
      setState(() => ({ data, error: null, live: keepGoing, updatedAt: Date.now() }));
      if (keepGoing) later(intervalMs);
    } catch (err) {
      if (controller.signal.aborted) return;
      failures += 1;
      const error =
        err instanceof GraphQLRequestError ? err : new GraphQLRequestError(String(err), null, null);
      setState((s) => ({ ...s, error }));
      later(Math.min(15_000, (intervalMs ?? 1000) * 2 ** failures));
    }
  };
  later(intervalMs);
  return {
    kick: schedule,
    /** Stops; true when a request was in flight or asked for (the next loop owes it). */
    stop() {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', schedule);
      return busy || again;
    },
  };
}

/**
 * Starts from server-rendered `initial` data and re-runs `query` every `intervalMs` (or on
 * `refresh`, when a live stream announces a change) while `shouldPoll(data)` holds, then stops
 * by itself (a finished run needs no more requests).
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
  // Set by the loop: asks for a re-read now.
  const kick = useRef<() => void>(() => undefined);
  // A refresh the previous loop was stopped in the middle of (e.g. the live stream's catch-up
  // when its opening changed the interval): the next loop runs it.
  const owed = useRef(false);
  const variablesKey = JSON.stringify(variables);
  const startPolling = state.live;

  useEffect(() => {
    if (!startPolling) return;
    const vars = JSON.parse(variablesKey) as TVariables;
    const loop = startLoop<TData>({
      intervalMs,
      fetchOnce: (signal) => {
        const fetchIt = requestRef.current;
        return fetchIt ? fetchIt(vars, signal) : gqlRequest(query, vars, { signal });
      },
      version,
      shouldPoll: shouldPollRef,
      setState,
    });
    kick.current = loop.kick;
    if (owed.current) {
      owed.current = false;
      loop.kick();
    }
    return () => {
      kick.current = () => undefined;
      owed.current = loop.stop();
    };
  }, [query, variablesKey, intervalMs, startPolling]);

  const update = useCallback((change: (data: TData) => TData) => {
    version.current += 1;
    setState((s) => {
      const data = change(s.data);
      return { ...s, data, live: s.live || shouldPollRef.current(data) };
    });
  }, []);
  const refresh = useCallback(() => kick.current(), []);
  return { ...state, update, refresh };
}
