// Prisma access for runs (the only module touching the Run table).
import type { Db } from '../db/prisma';
import { sqliteReaderOf } from '../db/sqlite-read-pool';
import { RunQueryRepository } from './query/run-query.repository';
import { runParamRowsOfJson } from './query/params';

const runSelect = {
  id: true,
  projectId: true,
  name: true,
  status: true,
  hyperparameters: true,
  tags: true,
  notes: true,
  modelSummary: true,
  datasetInfo: true,
  backend: true,
  backendReason: true,
  clientRequestId: true,
  error: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  heartbeatAt: true,
  archivedAt: true,
  priority: true,
  attempts: true,
  cancelRequested: true,
  queuedConfig: true,
  workerId: true,
  sourceRunId: true,
  sweepId: true,
} as const;

/** A stored run (JSON columns still as text). */
export interface RunRow {
  id: string;
  projectId: string;
  name: string;
  status: string;
  hyperparameters: string;
  tags: string;
  notes: string | null;
  modelSummary: string | null;
  datasetInfo: string | null;
  backend: string | null;
  backendReason: string | null;
  clientRequestId: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  heartbeatAt: Date | null;
  /** When the run was archived; null while active. */
  archivedAt: Date | null;
  /** Queue fields (queue/run-queue.service.ts). */
  priority: number;
  attempts: number;
  cancelRequested: boolean;
  /** JSON text of the experiment file the run was queued with. */
  queuedConfig: string | null;
  workerId: string | null;
  sourceRunId: string | null;
  sweepId: string | null;
}

/** Columns a create may set. */
export interface RunCreateData {
  projectId: string;
  name: string;
  status: string;
  hyperparameters: string;
  tags: string;
  notes: string | null;
  modelSummary: string | null;
  datasetInfo: string | null;
  backend: string | null;
  backendReason: string | null;
  clientRequestId: string | null;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  /** Run.reproducibility JSON text (checked by reproducibility.schema.ts), or null. */
  reproducibility: string | null;
}

/** Columns an update may set. */
export type RunUpdateData = Partial<
  Pick<
    RunRow,
    | 'status'
    | 'name'
    | 'archivedAt'
    | 'tags'
    | 'notes'
    | 'backend'
    | 'backendReason'
    | 'error'
    | 'startedAt'
    | 'endedAt'
    | 'heartbeatAt'
  >
>;

/** Filter of a runs page. */
export interface RunWhere {
  projectNames?: string[];
  /** Only runs of these projects (the caller's readable projects); absent = every project. */
  projectIds?: string[];
  statuses?: string[];
  ids?: string[];
  /** Only active (archivedAt null) or only archived runs; absent = both. */
  archived?: 'active' | 'archived';
}

/** Sort of a runs page. */
export interface RunSort {
  field: 'createdAt' | 'name' | 'status';
  direction: 'asc' | 'desc';
}

/** What {@link RunRepository.page} reads. */
export interface RunPageRequest {
  /** forward: in the sort's order; backward: in the reverse order (from the end or the cursor). */
  direction: 'forward' | 'backward';
  /** Rows wanted (one more is read to tell whether more exist). */
  size: number;
  /** The cursor's sort value and id: only rows strictly beyond it in walking order. */
  after: { value: Date | string; id: string } | null;
}

/** Rows beyond (value, id) when walking in `walk` order: (col > v) OR (col = v AND id > id). */
function keysetAfter(
  field: RunSort['field'],
  walk: 'asc' | 'desc',
  after: { value: Date | string; id: string },
) {
  const beyond = walk === 'asc' ? 'gt' : 'lt';
  return {
    OR: [
      { [field]: { [beyond]: after.value } },
      { [field]: after.value, id: { [beyond]: after.id } },
    ],
  };
}

function toPrismaWhere(where: RunWhere) {
  return {
    ...(where.projectNames ? { project: { name: { in: where.projectNames } } } : {}),
    ...(where.projectIds ? { projectId: { in: where.projectIds } } : {}),
    ...(where.statuses ? { status: { in: where.statuses } } : {}),
    ...(where.ids ? { id: { in: where.ids } } : {}),
    ...(where.archived ? { archivedAt: where.archived === 'active' ? null : { not: null } } : {}),
  };
}

/**
 * The nested create of a new run's RunParam rows (query/params.ts), for `prisma.run.create`:
 * every write of a run's hyperparameters goes through it (runs are created with them and never
 * change them).
 */
export function runParamsCreate(hyperparameters: string) {
  return { createMany: { data: runParamRowsOfJson(hyperparameters) } };
}

/** Reads and writes runs. */
export class RunRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** The runs query language's reads (compiled to SQL by query/sql.ts). */
  queries(): RunQueryRepository {
    return new RunQueryRepository(this.prisma, this.dialect, sqliteReaderOf(this.prisma));
  }

  /** One run by id. */
  findById(id: string): Promise<RunRow | null> {
    return this.prisma.run.findUnique({ where: { id }, select: runSelect });
  }

  /** Runs by id (one query for a DataLoader batch). */
  findByIds(ids: readonly string[]): Promise<RunRow[]> {
    return this.prisma.run.findMany({ where: { id: { in: [...ids] } }, select: runSelect });
  }

  /** The run created with an idempotency key (keys are scoped to their project). */
  findByClientRequestId(projectId: string, clientRequestId: string): Promise<RunRow | null> {
    return this.prisma.run.findUnique({
      where: { projectId_clientRequestId: { projectId, clientRequestId } },
      select: runSelect,
    });
  }

  /**
   * The reproducibility JSON text of runs, by id (a separate read: up to 512 KiB a run, so
   * runSelect leaves it out).
   */
  async findReproducibilities(ids: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await this.prisma.run.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, reproducibility: true },
    });
    return new Map(rows.map((r) => [r.id, r.reproducibility]));
  }

  /** True if the run exists (cheap check before writes that reference it). */
  async exists(id: string): Promise<boolean> {
    return (await this.prisma.run.count({ where: { id } })) > 0;
  }

  /**
   * Inserts a run with the indexed form of its hyperparameters (RunParam rows, in the same
   * statement); throws P2002 on a duplicate clientRequestId.
   */
  create(data: RunCreateData): Promise<RunRow> {
    return this.prisma.run.create({
      data: { ...data, params: runParamsCreate(data.hyperparameters) },
      select: runSelect,
    });
  }

  /** Unconditional update of one run. */
  update(id: string, data: RunUpdateData): Promise<RunRow> {
    return this.prisma.run.update({ where: { id }, data, select: runSelect });
  }

  /**
   * Sets archivedAt only when it changes state (archiving keeps the first archive time).
   * @returns whether the run was updated
   */
  async setArchived(id: string, at: Date | null): Promise<boolean> {
    const { count } = await this.prisma.run.updateMany({
      where: { id, archivedAt: at === null ? { not: null } : null },
      data: { archivedAt: at },
    });
    return count === 1;
  }

  /**
   * Deletes the run unless its status is one of `keepStatuses`, in one statement (a run that
   * starts meanwhile is kept). Its metric points and summaries, artifacts, evaluations with
   * their predictions, uncertainty results and explanation jobs go with it (ON DELETE CASCADE).
   * @returns whether the run was deleted
   */
  async deleteUnlessStatus(id: string, keepStatuses: readonly string[]): Promise<boolean> {
    const { count } = await this.prisma.run.deleteMany({
      where: { id, status: { notIn: [...keepStatuses] } },
    });
    return count === 1;
  }

  /**
   * Moves the run to another project. `clearClientRequestId`: drop the idempotency key (it is
   * unique per project; P2002 when the target already holds a run with the same key).
   */
  moveToProject(
    id: string,
    projectId: string,
    options: { clearClientRequestId: boolean },
  ): Promise<RunRow> {
    return this.prisma.run.update({
      where: { id },
      data: { projectId, ...(options.clearClientRequestId ? { clientRequestId: null } : {}) },
      select: runSelect,
    });
  }

  /**
   * Updates the run only while its status is still `expectedStatus` (compare-and-set, so two
   * racing transitions cannot both win). Returns false when the status had changed.
   */
  async updateIfStatus(id: string, expectedStatus: string, data: RunUpdateData): Promise<boolean> {
    const res = await this.prisma.run.updateMany({ where: { id, status: expectedStatus }, data });
    return res.count === 1;
  }

  /**
   * One keyset page of runs and the total matching count. Reads `page.size + 1` rows in walking
   * order (list order forward, reverse list order backward) strictly after/before the cursor's
   * (sort value, id); the id breaks ties in the sort's direction.
   */
  async page(
    where: RunWhere,
    sort: RunSort,
    page: RunPageRequest,
  ): Promise<{ rows: RunRow[]; total: number }> {
    const prismaWhere = toPrismaWhere(where);
    const flip = { asc: 'desc', desc: 'asc' } as const;
    const walk = page.direction === 'forward' ? sort.direction : flip[sort.direction];
    const [rows, total] = await Promise.all([
      this.prisma.run.findMany({
        where: page.after
          ? { AND: [prismaWhere, keysetAfter(sort.field, walk, page.after)] }
          : prismaWhere,
        select: runSelect,
        orderBy: [{ [sort.field]: walk }, { id: walk }],
        take: page.size + 1,
      }),
      this.prisma.run.count({ where: prismaWhere }),
    ]);
    return { rows, total };
  }

  /**
   * Marks RUNNING runs whose last sign of life (heartbeatAt, else startedAt, else createdAt)
   * is before `cutoff` as FAILED, each update guarded by status so a run that finishes
   * concurrently (or another instance's reaper took) is left alone.
   * @returns the runs this call failed.
   */
  async failStale(
    cutoff: Date,
    now: Date,
    error: string,
    exceptIds: string[] = [],
  ): Promise<{ id: string; projectId: string }[]> {
    const where = {
      status: 'RUNNING',
      ...(exceptIds.length ? { id: { notIn: exceptIds } } : {}),
      // A queued run's job holds a lease: the queue's lease reaper retries it instead.
      jobs: { none: { status: { in: ['ACTIVE', 'RETRYING'] } } },
      OR: [
        { heartbeatAt: { lt: cutoff } },
        { heartbeatAt: null, startedAt: { lt: cutoff } },
        { heartbeatAt: null, startedAt: null, createdAt: { lt: cutoff } },
      ],
    };
    const stale = await this.prisma.run.findMany({ where, select: { id: true, projectId: true } });
    // One conditional UPDATE per run: with several API instances reaping at once, only the one
    // whose update changed the row reports (and announces) the run.
    const failed: { id: string; projectId: string }[] = [];
    for (const run of stale) {
      const { count } = await this.prisma.run.updateMany({
        where: { ...where, id: run.id },
        data: { status: 'FAILED', error, endedAt: now },
      });
      if (count === 1) failed.push(run);
    }
    return failed;
  }

  /**
   * Moves a RUNNING run's last sign of life forward to `at`, never back (requests may be
   * processed out of their arrival order).
   * @returns whether the run was updated
   */
  async touchHeartbeat(id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.run.updateMany({
      where: { id, status: 'RUNNING', OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: at } }] },
      data: { heartbeatAt: at },
    });
    return count > 0;
  }
}
