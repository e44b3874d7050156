import type { RunFilterInput, RunOrderInput, RunStatus } from './queries';

/** Statuses in the order the filter offers them. */
export const RUN_STATUSES: RunStatus[] = ['RUNNING', 'QUEUED', 'COMPLETED', 'FAILED', 'CANCELLED'];

/** Filter state as it lives in the URL (`?project=mnist&status=RUNNING`). */
export interface RunFilterState {
  project: string | null;
  status: RunStatus | null;
  /** Query-language text (`?q=`), sent as `RunFilter.query`. */
  q?: string | null;
  /** Sort: a column key of the runs table (`best`) or any query-language key (`final.loss`). */
  sort?: string | null;
  dir?: 'asc' | 'desc' | null;
  /** Archived runs (`?archived=all|only`): hidden when absent (the API's default). */
  archived?: 'all' | 'only' | null;
}

/** Runs-table column keys and the query-language sort keys they map to. */
export const COLUMN_SORT_KEYS: Record<string, string> = {
  status: 'status',
  name: 'name',
  project: 'project',
  preset: 'hp.preset',
  lr: 'hp.learningRate',
  batch: 'hp.batchSize',
  epochs: 'hp.epochs',
  best: 'best.val_accuracy',
  duration: 'duration',
  created: 'created',
};

/** The GraphQL `RunOrder` of the newest runs first. */
export const NEWEST_FIRST: RunOrderInput = { by: { field: 'CREATED_AT' }, direction: 'DESC' };

/** The GraphQL `RunOrder` of a filter state: newest first unless `sort` names a column or key. */
export function toGraphQLOrder(state: RunFilterState): RunOrderInput {
  const key = state.sort ? (COLUMN_SORT_KEYS[state.sort] ?? state.sort) : null;
  if (!key) return NEWEST_FIRST;
  const dir = state.dir ?? (key === 'created' ? 'desc' : 'asc');
  return { by: { key }, direction: dir === 'desc' ? 'DESC' : 'ASC' };
}

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | null =>
  (Array.isArray(v) ? (v[0] ?? null) : (v ?? null)) || null;

/** Reads the filter from URL search params; an unknown status is ignored rather than failing the page. */
export function parseRunFilter(params: SearchParams): RunFilterState {
  const status = first(params.status)?.toUpperCase() ?? null;
  const archived = first(params.archived);
  return {
    project: first(params.project),
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : null,
    q: first(params.q)?.trim() || null,
    sort: first(params.sort),
    dir: first(params.dir) === 'asc' ? 'asc' : first(params.dir) === 'desc' ? 'desc' : null,
    // Only when asked for, so the state of a plain URL stays as it was.
    ...(archived === 'all' || archived === 'only' ? { archived } : {}),
  };
}

/** The GraphQL `RunFilter` for a filter state (undefined when nothing is filtered). */
export function toGraphQLFilter(state: RunFilterState): RunFilterInput | undefined {
  const filter: RunFilterInput = {};
  if (state.project) filter.projects = [state.project];
  if (state.status) filter.statuses = [state.status];
  if (state.q) filter.query = state.q;
  if (state.archived) filter.archived = state.archived === 'only' ? 'ARCHIVED' : 'ALL';
  return Object.keys(filter).length > 0 ? filter : undefined;
}
