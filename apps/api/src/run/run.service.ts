// Run use cases: creation (idempotent on clientRequestId), state transitions, paging and the
// heartbeat reaper's query.
import { createHash, randomBytes } from 'node:crypto';
import { apiError, badInput, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { systemClock, type Clock } from '../common/clock';
import {
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type KeyValue,
  type PageRequest,
} from '../common/keyset';
import { limits, LIMITS } from '../common/limits';
import type { ProjectRow } from '../project/project.repository';
import type { ProjectService } from '../project/project.service';
import type { LivePublisher } from '../live/live-publisher';
import { toRunModel, type RunModel } from './run.model';
import type {
  RunPageRequest,
  RunRepository,
  RunRow,
  RunSort,
  RunUpdateData,
  RunWhere,
} from './run.repository';
import { canTransition, isFinished, RunStatus } from './run-status';
import {
  parseReproducibility,
  prepareReproducibility,
  type Reproducibility,
} from './reproducibility.schema';
import {
  parseQuery,
  parseSortKey,
  QuerySyntaxError,
  type FieldRef,
  type QueryExpr,
} from './query/parser';

/** Largest page size accepted by `runs(first:)` / `runs(last:)`. */
export const MAX_PAGE_SIZE = 500;
/** Page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 50;

/** Input of createRun (shape of CreateRunInput). */
export interface CreateRunData {
  project: string;
  name?: string | null;
  hyperparameters?: unknown;
  tags?: string[] | null;
  notes?: string | null;
  modelSummary?: unknown;
  datasetInfo?: unknown;
  backend?: string | null;
  backendReason?: string | null;
  status?: RunStatus | null;
  clientRequestId?: string | null;
  /** Checked by prepareReproducibility (reproducibility.schema.ts). */
  reproducibility?: unknown;
}

/** A createRun input checked against the limits: the values stored. */
export interface PreparedRun {
  clientRequestId: string | null;
  status: RunStatus;
  name: string;
  hyperparameters: string;
  tags: string[];
  notes: string | null;
  modelSummary: string | null;
  datasetInfo: string | null;
  backend: string | null;
  backendReason: string | null;
  /** Run.reproducibility as JSON text, or null. */
  reproducibility: string | null;
}

/** Arguments of the runs query. */
export interface RunListArgs {
  /** The projects the caller may read (null = all): set by the resolver from the guard. */
  readableProjectIds?: string[] | null;
  filter?: RunListFilter | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  orderBy?: {
    by: { field?: 'CREATED_AT' | 'NAME' | 'STATUS' | null; key?: string | null };
    direction: 'ASC' | 'DESC';
  } | null;
  /**
   * Whether to count the matching runs (default true). A query-language page skips the COUNT
   * when false (the resolver passes whether totalCount was selected); totalCount is then 0.
   */
  withTotalCount?: boolean;
}

/** The filter of the runs query (shape of RunFilter). */
export interface RunListFilter {
  projects?: string[] | null;
  statuses?: RunStatus[] | null;
  ids?: string[] | null;
  query?: string | null;
  /** Default ACTIVE: archived runs are hidden unless asked for. */
  archived?: 'ACTIVE' | 'ARCHIVED' | 'ALL' | null;
}

/** The repository filter of each RunFilter.archived value. */
const ARCHIVED_WHERE = {
  ACTIVE: { archived: 'active' },
  ARCHIVED: { archived: 'archived' },
  ALL: {},
} as const satisfies Record<string, Pick<RunWhere, 'archived'>>;

/** A page of runs (shape of RunConnection). */
export type RunPage = ConnectionPage<RunModel> & { totalCount: number };

/** The run column and the query-language attribute of each RunOrderField. */
const COLUMNS = {
  CREATED_AT: { column: 'createdAt', attr: 'created' },
  NAME: { column: 'name', attr: 'name' },
  STATUS: { column: 'status', attr: 'status' },
} as const;

/** The sort value of a run row as its cursor holds it (createdAt as epoch milliseconds). */
function columnValue(row: RunRow, column: RunSort['field']): KeyValue {
  return column === 'createdAt' ? row.createdAt.getTime() : row[column];
}

/** BAD_USER_INPUT unless a decoded cursor key is (a sort value of `type`, an id). */
function checkKey(key: KeyValue[], type: 'number' | 'string' | 'any', field: string): void {
  const [value, id] = key;
  const valueOk = type === 'any' || typeof value === type;
  if (key.length !== 2 || !valueOk || typeof id !== 'string')
    throw badInput('Invalid cursor (not a cursor this API returned)', { field });
}

/** A page of rows as a page of runs. */
function mapPage(page: ConnectionPage<RunRow>): ConnectionPage<RunModel> {
  const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toRunModel(e.node) }));
  return { edges, nodes: edges.map((e) => e.node), pageInfo: page.pageInfo };
}

/** A sort key's text in a cursor kind: itself when short, else a digest (cursors stay short). */
function keyKindName(key: string): string {
  const text = key.trim();
  if (text.length <= 100) return text;
  return `#${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
}

/** QUERY_SYNTAX_ERROR carrying where (line, column, offset) and why. */
function queryError(err: QuerySyntaxError, field: string) {
  return apiError(ErrorCode.QUERY_SYNTAX_ERROR, err.message, {
    field,
    reason: err.reason,
    line: err.position.line,
    column: err.position.column,
    offset: err.position.offset,
    excerpt: err.excerpt,
  });
}

function parseOrThrow<T>(parse: () => T, field: string): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw queryError(err, field);
    throw err;
  }
}

/** Run business logic. */
export class RunService {
  /** Run id → arrival time (ms) of its worker's latest request not yet stored by the reaper. */
  private readonly alive = new Map<string, number>();

  private readonly clock: Clock;
  /** Change notices for the dashboard's live stream (none in unit tests). */
  private readonly live: LivePublisher | null;

  constructor(
    private readonly runs: RunRepository,
    private readonly projects: ProjectService,
    options: { clock?: Clock; live?: LivePublisher } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.live = options.live ?? null;
  }

  /** The current time of this service's clock. */
  private now(): Date {
    return new Date(this.clock.now());
  }

  /** A run by id, or null (BAD_USER_INPUT for a malformed id). */
  async find(id: string): Promise<RunModel | null> {
    const row = await this.runs.findById(limits.id(id, 'id'));
    return row ? toRunModel(row) : null;
  }

  /** A run by id; NOT_FOUND naming the id otherwise. */
  async get(id: string): Promise<RunModel> {
    const run = await this.find(id);
    if (!run) throw notFound('Run', id);
    return run;
  }

  /** NOT_FOUND unless the run exists. */
  async assertExists(id: string): Promise<void> {
    if (!(await this.runs.exists(limits.id(id, 'runId')))) throw notFound('Run', id);
  }

  /**
   * The run, unless it is finished: a COMPLETED or FAILED run's training record (metric points,
   * replaced artifacts, heartbeats) is immutable. `what` says what was refused.
   * @throws NOT_FOUND, INVALID_STATE naming the run's status
   */
  async requireUnfinished(id: string, what: string): Promise<RunModel> {
    const run = await this.get(id);
    if (isFinished(run.status))
      throw apiError(
        ErrorCode.INVALID_STATE,
        `Run ${id} is ${run.status}: the training record of a finished run is immutable (${what})`,
        { id, status: run.status },
      );
    return run;
  }

  /**
   * Checks the filter of the runs query (sizes and formats), before anything is looked up.
   * @throws BAD_USER_INPUT naming the field
   */
  checkFilter(filter: RunListFilter | null | undefined): void {
    const f = filter ?? {};
    // Every list is bounded and every value checked before it reaches SQL (parameter limits).
    if (f.ids) limits.ids(f.ids, 'filter.ids', LIMITS.runFilterIds);
    if (f.projects)
      limits.names(f.projects, 'filter.projects', LIMITS.runFilterProjects, LIMITS.projectName);
    if (f.statuses) limits.list(f.statuses, 'filter.statuses', LIMITS.runFilterStatuses);
  }

  /**
   * A filtered, sorted page of runs. Keyset cursors: a cursor holds its run's sort value and
   * id, so runs created between two requests neither shift nor repeat a page; its kind names
   * the ordering (`run:created:desc`, `run:key:best.val_accuracy:asc`), so a cursor of another
   * ordering is refused.
   */
  async list(args: RunListArgs): Promise<RunPage> {
    const f = args.filter ?? {};
    this.checkFilter(f);
    const where: RunWhere = {
      ...(f.projects ? { projectNames: f.projects } : {}),
      ...(args.readableProjectIds ? { projectIds: args.readableProjectIds } : {}),
      ...(f.statuses ? { statuses: f.statuses } : {}),
      ...(f.ids ? { ids: f.ids } : {}),
      ...ARCHIVED_WHERE[f.archived ?? 'ACTIVE'],
    };
    const by = args.orderBy?.by;
    // The schema's @oneOf refuses both or neither already; a direct caller is checked here.
    if (by && (by.field == null) === (by.key == null))
      throw badInput('orderBy.by needs exactly one of field and key', { field: 'orderBy.by' });
    const direction = args.orderBy?.direction === 'ASC' ? 'asc' : 'desc';
    const queryText = f.query?.trim() ? f.query : null;
    const expr = queryText ? parseOrThrow(() => parseQuery(queryText), 'filter.query') : null;
    const keyText = by?.key ?? null;
    const sortKey =
      keyText !== null ? parseOrThrow(() => parseSortKey(keyText), 'orderBy.by.key') : null;
    if (sortKey?.kind === 'attr' && sortKey.name === 'tag')
      throw badInput('runs cannot be sorted by tag', { field: 'orderBy.by.key' });
    const column = COLUMNS[by?.field ?? 'CREATED_AT'];
    const kind =
      keyText !== null
        ? `run:key:${keyKindName(keyText)}:${direction}`
        : `run:${column.attr}:${direction}`;
    const request = pageRequest(args, {
      kind,
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
    });
    const valueType = keyText !== null ? 'any' : column.attr === 'created' ? 'number' : 'string';
    if (request.key)
      checkKey(request.key, valueType, request.direction === 'forward' ? 'after' : 'before');

    if (expr || sortKey) {
      const field: FieldRef = sortKey ?? { kind: 'attr', name: column.attr };
      const { rows, keys, total } = await this.queryPage(where, expr, field, direction, request, {
        withTotalCount: args.withTotalCount ?? true,
      });
      const page = toConnection(rows, request, (row) => encodeKeyset(kind, keys.get(row.id) ?? []));
      return { ...mapPage(page), totalCount: total };
    }
    const sort: RunSort = { field: column.column, direction };
    const { rows, total } = await this.runs.page(where, sort, toRepositoryPage(request));
    const page = toConnection(rows, request, (row) =>
      encodeKeyset(kind, [columnValue(row, sort.field), row.id]),
    );
    return { ...mapPage(page), totalCount: total };
  }

  /**
   * A page of runs selected by the query language, compiled to SQL (query/sql.ts): the
   * database filters, orders by the (value, id) key and keyset-pages, and counts the matches;
   * then the page's full rows are loaded. Nothing scales with the number of runs in JS.
   * @returns the page's rows in walking order, their sort keys by id, and the matching count
   */
  private async queryPage(
    where: RunWhere,
    expr: QueryExpr | null,
    sortField: FieldRef,
    direction: 'asc' | 'desc',
    request: PageRequest,
    options: { withTotalCount: boolean },
  ): Promise<{ rows: RunRow[]; keys: Map<string, KeyValue[]>; total: number }> {
    const now = this.clock.now();
    const queries = this.runs.queries();
    const [{ ids, keys }, total] = await Promise.all([
      queries.page({ where, expr, sort: sortField, direction, page: request, now }),
      options.withTotalCount ? queries.count(where, expr, now) : 0,
    ]);
    const full = new Map((ids.length ? await this.runs.findByIds(ids) : []).map((r) => [r.id, r]));
    return {
      rows: ids.map((id) => full.get(id)).filter((r): r is RunRow => r !== undefined),
      keys,
      total,
    };
  }

  /**
   * The reproducibility records of runs (a DataLoader batch): parsed, null for runs without one.
   * Callers check read access to the runs first.
   */
  async reproducibilities(ids: readonly string[]): Promise<(Reproducibility | null)[]> {
    const texts = await this.runs.findReproducibilities(ids);
    return ids.map((id) => parseReproducibility(texts.get(id)));
  }

  /**
   * Checks every field of a createRun input against its limits (common/limits.ts) without
   * touching the database, so a resolver can refuse bad input before looking anything up.
   * @returns the values to store
   * @throws BAD_USER_INPUT naming the field, the limit and what was found
   */
  prepareCreate(input: CreateRunData): PreparedRun {
    if (
      input.clientRequestId !== null &&
      input.clientRequestId !== undefined &&
      input.clientRequestId.trim() === ''
    )
      throw badInput('clientRequestId must not be blank', { field: 'clientRequestId' });
    const clientRequestId =
      input.clientRequestId === null || input.clientRequestId === undefined
        ? null
        : limits.id(input.clientRequestId, 'clientRequestId', LIMITS.clientRequestId);
    const status = input.status ?? RunStatus.QUEUED;
    if (status !== RunStatus.QUEUED && status !== RunStatus.RUNNING) {
      throw badInput('A new run must be QUEUED or RUNNING', { field: 'status' });
    }
    limits.name(input.project, 'project', LIMITS.projectName);
    const name = input.name?.trim()
      ? limits.name(input.name, 'name', LIMITS.runName)
      : `run-${this.now().toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
    const hyperparameters =
      limits.json(input.hyperparameters, 'hyperparameters', LIMITS.hyperparameters, true) ?? '{}';
    const tags = limits.tags(input.tags);
    const notes = limits.text(input.notes, 'notes', LIMITS.notesBytes);
    const modelSummary = limits.json(input.modelSummary, 'modelSummary', LIMITS.modelSummary);
    const datasetInfo = limits.json(input.datasetInfo, 'datasetInfo', LIMITS.datasetInfo);
    const backend = limits.optionalName(input.backend, 'backend', LIMITS.backend);
    const backendReason = limits.text(
      input.backendReason,
      'backendReason',
      LIMITS.backendReasonBytes,
    );
    const reproducibility = prepareReproducibility(input.reproducibility);
    return {
      clientRequestId,
      status,
      name,
      hyperparameters,
      tags,
      notes,
      modelSummary,
      datasetInfo,
      backend,
      backendReason,
      reproducibility,
    };
  }

  /**
   * Creates a run (and its project if missing). With a clientRequestId, a retry returns the
   * run the first attempt created instead of a second run.
   */
  async create(
    input: CreateRunData,
    hooks: {
      /** Called once the input is valid, before anything is written into the project. */
      authorize?: (project: ProjectRow, created: boolean) => Promise<void>;
    } = {},
  ): Promise<RunModel> {
    // Every field is checked before anything is written: bad input creates no project.
    const { clientRequestId, status, tags, ...stored } = this.prepareCreate(input);
    const { project, created } = await this.projects.ensureCreated(input.project);
    await hooks.authorize?.(project, created);
    if (clientRequestId) {
      const existing = await this.runs.findByClientRequestId(project.id, clientRequestId);
      if (existing) return toRunModel(existing);
    }
    const now = this.now();
    try {
      const row = await this.runs.create({
        ...stored,
        projectId: project.id,
        status,
        tags: JSON.stringify(tags),
        clientRequestId,
        startedAt: status === RunStatus.RUNNING ? now : null,
        heartbeatAt: status === RunStatus.RUNNING ? now : null,
      });
      const created = toRunModel(row);
      this.live?.runCreated(created);
      return created;
    } catch (err) {
      // Two concurrent retries with the same key: the loser returns the winner's run.
      if (clientRequestId && isUniqueViolation(err)) {
        const existing = await this.runs.findByClientRequestId(project.id, clientRequestId);
        if (existing) return toRunModel(existing);
      }
      throw err;
    }
  }

  /**
   * Moves a run to `to` if allowed, with a compare-and-set on the current status. `sameState`
   * decides what a request for the state the run is already in does (retries are no-ops).
   */
  private async transition(
    id: string,
    to: RunStatus,
    data: RunUpdateData,
    onSameState: (run: RunModel) => Promise<RunModel> | RunModel,
  ): Promise<RunModel> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await this.get(id);
      if (run.status === to) return onSameState(run);
      if (!canTransition(run.status, to)) {
        throw apiError(
          ErrorCode.INVALID_STATE,
          `Run ${id} is ${run.status} and cannot become ${to}`,
          {
            id,
            status: run.status,
            requested: to,
          },
        );
      }
      if (await this.runs.updateIfStatus(id, run.status, { ...data, status: to })) {
        const moved = await this.get(id);
        this.live?.runStatus(moved);
        return moved;
      }
      // The status changed under us (e.g. the reaper): re-evaluate against the new state.
    }
    throw apiError(ErrorCode.INVALID_STATE, `Run ${id} changed state concurrently`, { id });
  }

  /** QUEUED → RUNNING. A retried start of a RUNNING run only refreshes backend and heartbeat. */
  start(id: string, backend?: string | null, backendReason?: string | null): Promise<RunModel> {
    const now = this.now();
    const info: RunUpdateData = {
      ...(backend != null ? { backend: limits.name(backend, 'backend', LIMITS.backend) } : {}),
      ...(backendReason != null
        ? { backendReason: limits.text(backendReason, 'backendReason', LIMITS.backendReasonBytes) }
        : {}),
    };
    return this.transition(
      id,
      RunStatus.RUNNING,
      { ...info, startedAt: now, heartbeatAt: now },
      async (run) => toRunModel(await this.runs.update(run.id, { ...info, heartbeatAt: now })),
    );
  }

  /** Records a sign of life of a RUNNING run (INVALID_STATE otherwise, e.g. after the reaper failed it). */
  async heartbeat(id: string, at: Date = this.now()): Promise<RunModel> {
    // The beat counts from when it arrived: a slow database must not make a live worker stale.
    this.noteAlive(id, at);
    await this.runs.touchHeartbeat(id, at);
    const run = await this.get(id);
    if (run.status !== RunStatus.RUNNING) {
      throw apiError(ErrorCode.INVALID_STATE, `Run ${id} is ${run.status}, not RUNNING`, {
        id,
        status: run.status,
      });
    }
    return run;
  }

  /**
   * Records a sign of life of a run's worker that arrived at `at`: any write for the run
   * (metrics, artifacts, evaluations) counts as a heartbeat. Kept in memory until the reaper
   * stores it, so a request still waiting for the database already protects its run.
   */
  noteAlive(id: string, at: Date = this.now()): void {
    const t = at.getTime();
    if (!((this.alive.get(id) ?? -Infinity) >= t)) this.alive.set(id, t);
  }

  /** RUNNING → COMPLETED/FAILED (QUEUED → FAILED too). Repeating the same final status is a no-op. */
  finish(id: string, status: RunStatus, error?: string | null): Promise<RunModel> {
    if (status !== RunStatus.COMPLETED && status !== RunStatus.FAILED) {
      throw badInput('status must be COMPLETED or FAILED', { field: 'status' });
    }
    return this.transition(
      id,
      status,
      { endedAt: this.now(), error: limits.text(error, 'error', LIMITS.errorBytes) },
      (run) => run,
    );
  }

  /** Sets notes and/or tags (omitted arguments are left unchanged). */
  async update(id: string, notes?: string | null, tags?: string[] | null): Promise<RunModel> {
    const data: RunUpdateData = {};
    // Notes and tags stay editable on finished runs (they describe the run, not its training).
    if (notes !== undefined) data.notes = limits.text(notes, 'notes', LIMITS.notesBytes);
    if (tags !== undefined && tags !== null) data.tags = JSON.stringify(limits.tags(tags));
    await this.assertExists(id);
    return toRunModel(await this.runs.update(id, data));
  }

  /**
   * Fails RUNNING runs without a heartbeat for `timeoutS` seconds.
   * @returns ids of the runs failed.
   */
  async reapStale(timeoutS: number, now = this.now()): Promise<string[]> {
    const cutoff = new Date(now.getTime() - timeoutS * 1000);
    // Signs of life noted since the last sweep are stored first (never moving heartbeatAt back)
    // and their runs spared even if a store is slower than this sweep.
    const recent = [...this.alive].filter(([id, t]) => {
      if (t >= cutoff.getTime()) return true;
      this.alive.delete(id);
      return false;
    });
    await Promise.all(recent.map(([id, t]) => this.runs.touchHeartbeat(id, new Date(t))));
    for (const [id, t] of recent) if (this.alive.get(id) === t) this.alive.delete(id);
    const failed = await this.runs.failStale(
      cutoff,
      now,
      `worker lost: no heartbeat for ${timeoutS} s`,
      recent.map(([id]) => id),
    );
    for (const run of failed) this.live?.runStatus({ ...run, status: RunStatus.FAILED });
    return failed.map((r) => r.id);
  }
}

/** The repository's page of a checked request (a created cursor's epoch ms as a Date). */
function toRepositoryPage(request: PageRequest): RunPageRequest {
  const [value, id] = request.key ?? [];
  const after =
    typeof id === 'string' && (typeof value === 'number' || typeof value === 'string')
      ? { value: typeof value === 'number' ? new Date(value) : value, id }
      : null;
  return { direction: request.direction, size: request.size, after };
}
