'use client';

import { useEffect, useRef, useState } from 'react';

/** A change notice of the API's live stream (ids only: re-read what it names). */
export interface LiveNotice {
  /** run.status, run.metrics, run.created, queue, or resync (notices may have been lost). */
  kind: string;
  runId?: string;
  projectId?: string | null;
  status?: string;
}

/**
 * The stream's state: `live` (notices arrive), `connecting` (first connection), `reconnecting`
 * (dropped: the browser retries; callers poll slowly meanwhile), `off` (no EventSource, or the
 * API refused the stream: callers poll).
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off';

/** What to watch: one run, one project (by name), or everything the caller may read. */
export type LiveScope = { run: string } | { project: string } | Record<string, never>;

const NOTICE_KINDS = ['run.status', 'run.metrics', 'run.created', 'queue', 'resync'];
/** After a refused stream (429, 404), try again this much later. */
const REFUSED_RETRY_MS = 30_000;

/** The URL of a scope's stream (same origin: next.config.ts forwards /live to the API). */
export function liveEventsUrl(scope: LiveScope): string {
  const params = new URLSearchParams(scope).toString();
  return `/live/events${params ? `?${params}` : ''}`;
}

/**
 * Subscribes to the API's change notices for `scope` (null: none) and calls `onNotice` for
 * each. Whenever the stream opens (the first time too) it calls `onNotice({ kind: 'resync' })`:
 * what changed before (since the page was rendered, or cached by the router for a back
 * navigation, or while the stream was down) was not announced, so the caller re-reads once.
 */
export function useLiveEvents(
  scope: LiveScope | null,
  onNotice: (notice: LiveNotice) => void,
): LiveStatus {
  // 'connecting' on the server too (no EventSource there), so hydration matches.
  const [status, setStatus] = useState<LiveStatus>(() =>
    typeof window !== 'undefined' && typeof EventSource === 'undefined' ? 'off' : 'connecting',
  );
  const handler = useRef(onNotice);
  useEffect(() => {
    handler.current = onNotice;
  });
  const url = scope ? liveEventsUrl(scope) : null;

  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      source = new EventSource(url);
      const es = source;
      es.addEventListener('ready', () => {
        setStatus('live');
        handler.current({ kind: 'resync' });
      });
      for (const kind of NOTICE_KINDS)
        es.addEventListener(kind, (e: MessageEvent<string>) => {
          let data: Partial<LiveNotice> = {};
          try {
            data = JSON.parse(e.data) as Partial<LiveNotice>;
          } catch {
            // a notice without data still says "something changed"
          }
          handler.current({ ...data, kind });
        });
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) {
          // Refused (HTTP error): the browser gives up; poll and try again later.
          setStatus('off');
          retry = setTimeout(connect, REFUSED_RETRY_MS);
        } else setStatus('reconnecting');
      };
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [url]);
  return url ? status : 'off';
}
