'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { RunsData } from '../lib/queries';
import { toGraphQLFilter, toGraphQLOrder, type RunFilterState } from '../lib/run-filters';
import { EmptyState } from './EmptyState';
import { InlineError } from './InlineError';
import { LoadMore } from './LoadMore';
import { QueryBox } from './QueryBox';
import { RunsFilters } from './RunsFilters';
import { RunsTable } from './RunsTable';
import { useRunSelection } from './use-run-selection';
import { useRunsPages, type RunsPages, type RunsQueryBase } from './use-runs-pages';

/** Props of {@link RunsExplorer}. */
export interface RunsExplorerProps {
  /** Server-rendered first page of runs for `filter`. */
  initial: RunsData;
  filter: RunFilterState;
  /** Project names offered in the project filter. */
  projects: string[];
  /** Hide the project filter and column (project page). */
  fixedProject?: boolean;
  /** The API's QUERY_SYNTAX_ERROR message for `filter.q` (the runs are then not filtered by it). */
  queryError?: string | null;
}

/**
 * Filters plus runs table, a page at a time ("Load more" under it); refreshes every 3 s while any
 * listed run is queued or running. Pages remount it (`key`) when the filter or order changes.
 */
export function RunsExplorer({
  initial,
  filter,
  projects,
  fixedProject = false,
  queryError = null,
}: RunsExplorerProps) {
  const { selection, select, toggle } = useRunSelection();
  const selected = new Set(selection);
  const variables: RunsQueryBase = {
    filter: toGraphQLFilter(queryError ? { ...filter, q: null } : filter),
    orderBy: toGraphQLOrder(filter),
  };
  const pages = useRunsPages(initial, variables);
  const { data, error, live, updatedAt } = pages;
  // Server render time for the first paint; refreshed on every poll for live durations.
  const [firstRender] = useState(() => Date.now());
  const runs = data.runs.nodes;
  const filtered = Boolean(filter.status || filter.q || (!fixedProject && filter.project));

  return (
    <section className="card" aria-label="Runs">
      <div className="card-header">
        <div style={{ display: 'flex', alignItems: 'baseline', gap: 10 }}>
          <h2>Runs</h2>
          <RunsCount shown={runs.length} total={data.runs.totalCount} />
          {live ? (
            <span
              className={`live${error ? ' live-warn' : ''}`}
              title={error ? error.message : 'Refreshing every 3 s'}
            >
              <span className="live-dot" />
              {error ? 'Reconnecting…' : 'Live'}
            </span>
          ) : null}
        </div>
        <div className="runs-actions">
          <RunsFilters projects={projects} filter={filter} showProject={!fixedProject} />
          <CompareActions selection={selection} onClear={() => select([])} />
        </div>
      </div>
      <div className="card-body">
        <QueryBox initial={filter.q ?? ''} error={queryError} />
      </div>
      <div className="card-body flush">
        {runs.length === 0 ? (
          <EmptyState title={filtered ? 'No runs match these filters' : 'No runs yet'}>
            {filtered ? (
              'Try another query, project or status.'
            ) : (
              <>
                Start one with <code>npm run train</code>; it appears here as soon as it is queued.
              </>
            )}
          </EmptyState>
        ) : (
          <RunsTable
            runs={runs}
            showProject={!fixedProject}
            now={updatedAt ?? firstRender}
            selected={selected}
            onToggle={toggle}
          />
        )}
        <RunsPager pages={pages} />
      </div>
    </section>
  );
}

/** "n of N" while more runs match than are loaded, else "N"; announced when it changes. */
function RunsCount({ shown, total }: { shown: number; total: number }) {
  return (
    <span className="meta" data-testid="runs-count" aria-live="polite">
      {shown < total ? `${shown} of ${total}` : total}
    </span>
  );
}

/** "Load more (n left)" under the table while more runs match, with the error of a failed page. */
function RunsPager({ pages }: { pages: RunsPages }) {
  const { runs } = pages.data;
  if (!runs.pageInfo.hasNextPage && !pages.loadingMore && !pages.loadMoreError) return null;
  return (
    <div style={{ paddingBottom: 12 }}>
      <LoadMore
        loading={pages.loadingMore}
        hasMore={runs.pageInfo.hasNextPage}
        left={Math.max(0, runs.totalCount - runs.nodes.length)}
        onLoadMore={pages.loadMore}
        testId="runs-load-more"
        label="Load more"
      />
      <InlineError message={pages.loadMoreError} data-testid="runs-load-more-error" />
    </div>
  );
}

/** "Compare (n)" for the selected runs (a link from two runs on) and "Clear selection". */
function CompareActions({ selection, onClear }: { selection: string[]; onClear: () => void }) {
  return (
    <>
      {selection.length > 0 ? (
        <Link
          href={`/compare?runs=${selection.map(encodeURIComponent).join(',')}`}
          className="btn btn-primary"
          prefetch={false}
          data-testid="compare-button"
          aria-disabled={selection.length < 2}
        >
          Compare ({selection.length})
        </Link>
      ) : (
        <span className="btn btn-primary disabled" data-testid="compare-button" aria-disabled>
          Compare (0)
        </span>
      )}
      {selection.length > 0 ? (
        <button type="button" className="link-button" onClick={onClear}>
          Clear selection
        </button>
      ) : null}
    </>
  );
}
