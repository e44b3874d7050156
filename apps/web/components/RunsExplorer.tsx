'use client';

import Link from 'next/link';
import { useState } from 'react';
import { RUNS_QUERY, RUNS_PAGE_SIZE, type DashboardVariables, type RunsData } from '../lib/queries';
import { toGraphQLFilter, toGraphQLOrder, type RunFilterState } from '../lib/run-filters';
import { isActive } from '../lib/queries';
import { useLiveQuery } from '../lib/use-live-query';
import { EmptyState } from './EmptyState';
import { QueryBox } from './QueryBox';
import { RunsFilters } from './RunsFilters';
import { RunsTable } from './RunsTable';
import { useRunSelection } from './use-run-selection';

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

/** Filters plus runs table; refreshes every 3 s while any listed run is queued or running. */
export function RunsExplorer({
  initial,
  filter,
  projects,
  fixedProject = false,
  queryError = null,
}: RunsExplorerProps) {
  const { selection, select, toggle } = useRunSelection();
  const selected = new Set(selection);
  const variables: DashboardVariables = {
    filter: toGraphQLFilter(queryError ? { ...filter, q: null } : filter),
    first: RUNS_PAGE_SIZE,
    orderBy: toGraphQLOrder(filter),
  };
  const { data, error, live, updatedAt } = useLiveQuery(RUNS_QUERY, variables, initial, {
    intervalMs: 3000,
    shouldPoll: (d: RunsData) => d.runs.nodes.some((r) => isActive(r.status)),
  });
  // Server render time for the first paint; refreshed on every poll for live durations.
  const [firstRender] = useState(() => Date.now());
  const runs = data.runs.nodes;
  const filtered = Boolean(filter.status || filter.q || (!fixedProject && filter.project));

  return (
    <section className="card" aria-label="Runs">
      <div className="card-header">
        <div style={{ display: 'flex', alignItems: 'baseline', gap: 10 }}>
          <h2>Runs</h2>
          <span className="meta" data-testid="runs-count">
            {runs.length < data.runs.totalCount
              ? `${runs.length} of ${data.runs.totalCount}`
              : data.runs.totalCount}
          </span>
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
      </div>
    </section>
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
