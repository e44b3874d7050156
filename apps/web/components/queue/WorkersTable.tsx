'use client';

// The workers page's table: each worker's name and host, backend, GPU, memory, concurrency,
// status, current runs and last contact, newest contact first, 50 per "Show more". The first
// page refreshes every 10 s (statuses and "12 s ago" move on their own); the ages tick each second.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { WorkersQuery } from '../../lib/gql/graphql';
import { gqlRequest } from '../../lib/graphql';
import { formatAgo, formatMemoryMb, WORKERS_PAGE_SIZE, WORKERS_QUERY } from '../../lib/queue';
import { formatTimestamp } from '../../lib/time';
import { useCursorPages } from '../../lib/use-cursor-pages';
import { EmptyState } from '../EmptyState';
import { InlineError } from '../InlineError';
import { LoadMore } from '../LoadMore';
import styles from './WorkersTable.module.css';

/** One worker as the table shows it. */
export type WorkerRow = WorkersQuery['workers']['nodes'][number];

/** How often the first page is read again. */
const REFRESH_MS = 10_000;

const STATUS_LABELS: Record<WorkerRow['status'], string> = {
  IDLE: 'Idle',
  BUSY: 'Busy',
  OFFLINE: 'Offline',
};

/** The current time, moving every `ms` (for "12 s ago"). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** A key that changes every `ms` while `enabled` and the tab is shown (re-reads the first page). */
function useRefreshKey(ms: number, enabled: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(() => {
      if (!document.hidden) setTick((n) => n + 1);
    }, ms);
    return () => clearInterval(t);
  }, [ms, enabled]);
  return tick;
}

/** The workers, paged. */
export function WorkersTable() {
  const [paged, setPaged] = useState(false);
  const tick = useRefreshKey(REFRESH_MS, !paged);
  const pages = useCursorPages<WorkerRow>(`workers:${tick}`, async (after, signal) => {
    const d = await gqlRequest(WORKERS_QUERY, { first: WORKERS_PAGE_SIZE, after }, { signal });
    return d.workers;
  });
  const now = useNow(1000);
  if (pages.nodes.length === 0 && !pages.loading)
    return pages.error ? (
      <InlineError message={pages.error} data-testid="workers-error" />
    ) : (
      <section className="card" data-testid="workers-empty">
        <EmptyState title="No worker has registered yet">
          <p className="muted">
            Start one on any machine that reaches the API:{' '}
            <code>npm run worker -- --api URL --api-key KEY</code>
          </p>
        </EmptyState>
      </section>
    );
  return (
    <section className="card">
      <div className="table-wrap">
        <table className="data" data-testid="workers-table">
          <caption className="visually-hidden">Workers, newest contact first</caption>
          <thead>
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">Status</th>
              <th scope="col">Backend</th>
              <th scope="col">GPU</th>
              <th scope="col" className="num">
                Memory
              </th>
              <th scope="col" className="num">
                Slots
              </th>
              <th scope="col">Current runs</th>
              <th scope="col">Last contact</th>
            </tr>
          </thead>
          <tbody>
            {pages.nodes.map((w) => (
              <WorkerTableRow key={w.id} worker={w} now={now} />
            ))}
          </tbody>
        </table>
      </div>
      <InlineError message={pages.error} />
      <LoadMore
        loading={pages.loading}
        hasMore={pages.hasMore}
        testId="workers-more"
        onLoadMore={() => {
          setPaged(true);
          pages.loadMore();
        }}
      />
    </section>
  );
}

function WorkerTableRow({ worker: w, now }: { worker: WorkerRow; now: number }) {
  return (
    <tr data-testid="worker-row" data-worker-id={w.id} data-status={w.status}>
      <td>
        <div className={styles.name}>{w.name}</div>
        {w.host !== w.name ? <div className="muted">{w.host}</div> : null}
      </td>
      <td>
        <span className={`badge ${styles[`status${w.status}`] ?? ''}`} data-testid="worker-status">
          <span className="badge-dot" aria-hidden />
          {STATUS_LABELS[w.status] ?? w.status}
        </span>
      </td>
      <td data-testid="worker-backend">
        <code>{w.backend}</code>
      </td>
      <td>{w.gpu ? 'yes' : 'no'}</td>
      <td className="num">{formatMemoryMb(w.memoryMb)}</td>
      <td className="num">{w.concurrency}</td>
      <td>
        {w.currentRuns.length === 0 ? (
          <span className="faint">—</span>
        ) : (
          <ul className={styles.runs}>
            {w.currentRuns.map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${encodeURIComponent(r.id)}`} data-testid="worker-run">
                  {r.name}
                </Link>{' '}
                <span className="muted">({r.project.name})</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <span title={`${formatTimestamp(w.lastSeenAt, true)} UTC`} suppressHydrationWarning>
          {formatAgo(w.lastSeenAt, now)}
        </span>
      </td>
    </tr>
  );
}
