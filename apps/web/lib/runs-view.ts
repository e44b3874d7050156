// The runs table's view (query, status, columns, sort, grouping) as URL parameters and as the
// JSON state of a saved view: one shape, read tolerantly, written the same way everywhere.
import { MAX_COLUMNS, parseColumns, serializeColumns } from '@convscope/viz';
import { RUN_STATUSES } from './run-filters';
import type { RunStatus } from './queries';

/** A runs-table view; null/empty fields are "not set". */
export interface RunsViewState {
  query: string | null;
  status: RunStatus | null;
  /** Column keys in display order (empty: the default columns). */
  columns: string[];
  sort: { key: string; dir: 'asc' | 'desc' } | null;
  /** Column key (a hyperparameter, `hp.<path>`) the rows are grouped by. */
  groupBy: string | null;
}

/** The built-in columns shown when none were chosen (the project column only across projects). */
export function defaultColumns({ showProject }: { showProject: boolean }): string[] {
  return [
    'status',
    'name',
    ...(showProject ? ['project'] : []),
    'preset',
    'lr',
    'trend',
    'best',
    'duration',
    'created',
  ];
}

/** Where the chosen columns of a scope (a project, or every project) are remembered in the browser. */
export function columnsStorageKey(project: string | null): string {
  return `convscope.runs.columns:${project ?? '*'}`;
}

type Params = { get(name: string): string | null };

/** The view in URL parameters (`q`, `status`, `cols`, `sort`, `dir`, `group`). */
export function viewFromParams(params: Params): RunsViewState {
  const status = params.get('status')?.toUpperCase() ?? null;
  const sortKey = params.get('sort');
  const dir = params.get('dir');
  return {
    query: params.get('q')?.trim() || null,
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : null,
    columns: parseColumns(params.get('cols')),
    sort: sortKey
      ? {
          key: sortKey,
          dir: dir === 'asc' || dir === 'desc' ? dir : sortKey === 'created' ? 'desc' : 'asc',
        }
      : null,
    groupBy: params.get('group') || null,
  };
}

/** The URL search string (no `?`) of a view, plus `view=<name>` when it is a saved one. */
export function viewSearch(view: RunsViewState, name: string | null = null): string {
  const p = new URLSearchParams();
  if (view.query) p.set('q', view.query);
  if (view.status) p.set('status', view.status);
  if (view.sort) {
    p.set('sort', view.sort.key);
    p.set('dir', view.sort.dir);
  }
  if (view.columns.length > 0) p.set('cols', serializeColumns(view.columns));
  if (view.groupBy) p.set('group', view.groupBy);
  if (name) p.set('view', name);
  return p.toString();
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** A saved view's JSON state read tolerantly (unknown or malformed parts are dropped). */
export function parseViewState(state: unknown): RunsViewState {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Record<string, unknown>;
  const sort = (typeof s.sort === 'object' && s.sort !== null ? s.sort : {}) as Record<
    string,
    unknown
  >;
  const status = str(s.status);
  return {
    query: str(s.query),
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : null,
    columns: Array.isArray(s.columns)
      ? s.columns
          .filter((c): c is string => typeof c === 'string' && c.length > 0)
          .slice(0, MAX_COLUMNS)
      : [],
    sort:
      str(sort.key) && (sort.dir === 'asc' || sort.dir === 'desc')
        ? { key: sort.key as string, dir: sort.dir }
        : null,
    groupBy: str(s.groupBy),
  };
}

/** The JSON state saveView stores for a view (the API's SaveViewInput.state). */
export function toSavedState(view: RunsViewState): Record<string, unknown> {
  return {
    query: view.query,
    status: view.status,
    columns: view.columns,
    sort: view.sort,
    groupBy: view.groupBy,
  };
}
