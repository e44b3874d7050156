'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { RUN_STATUSES, type RunFilterState } from '../lib/run-filters';

/** Project and status selects; the filter lives in the URL (`?project=…&status=…`) so it can be shared. */
export function RunsFilters({
  projects,
  filter,
  showProject,
}: {
  projects: string[];
  filter: RunFilterState;
  showProject: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  function setParam(key: 'project' | 'status' | 'archived', value: string) {
    const params = new URLSearchParams(searchParams.toString());
    if (value) params.set(key, value);
    else params.delete(key);
    params.delete('view');
    const qs = params.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname);
  }

  return (
    <div className="filters" data-testid="runs-filters">
      {showProject ? (
        <label>
          Project
          <select
            aria-label="Filter by project"
            value={filter.project ?? ''}
            onChange={(e) => setParam('project', e.target.value)}
          >
            <option value="">All</option>
            {projects.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Status
        <select
          aria-label="Filter by status"
          value={filter.status ?? ''}
          onChange={(e) => setParam('status', e.target.value)}
        >
          <option value="">All</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0) + s.slice(1).toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {/* run-management: archived runs are hidden unless asked for (`?archived=all`). */}
      <label>
        <input
          type="checkbox"
          data-testid="show-archived"
          checked={Boolean(filter.archived)}
          onChange={(e) => setParam('archived', e.target.checked ? 'all' : '')}
        />
        Show archived
      </label>
      {filter.status || (showProject && filter.project) ? (
        <button type="button" className="link-button" onClick={() => router.push(pathname)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
