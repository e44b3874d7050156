// Prisma access for explanation jobs (the only module touching the ExplanationJob table).
// Every state change is a compare-and-set UPDATE guarded by the expected status (and, for a
// worker's result, by the claim token it was given; for a lost attempt, by its claim number),
// so two workers (or a worker and the queue's lease reaper) can never both win a transition.
// Delivery is the job queue's (apps/api/src/queue): this table is the explanation's record. The claim token is never selected with a
// job: it leaves the API only in the answer to the claim.
import type { Db } from '../db/prisma';

const jobSelect = {
  id: true,
  runId: true,
  kind: true,
  source: true,
  imageSha256: true,
  imageMime: true,
  imageBytes: true,
  imageWidth: true,
  imageHeight: true,
  params: true,
  cacheKey: true,
  status: true,
  result: true,
  error: true,
  attempts: true,
  workerId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** A stored job (params and result still JSON text). */
export interface ExplanationJobRow {
  id: string;
  runId: string;
  /** IMAGE | PROJECTION. */
  kind: string;
  /** JSON { split, index } of a stored sample; null for an upload or other kinds. */
  source: string | null;
  imageSha256: string;
  imageMime: string;
  imageBytes: number;
  imageWidth: number;
  imageHeight: number;
  params: string;
  cacheKey: string;
  status: string;
  result: string | null;
  error: string | null;
  attempts: number;
  workerId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Columns of a new job. */
export type ExplanationJobCreate = Pick<
  ExplanationJobRow,
  | 'runId'
  | 'imageSha256'
  | 'imageMime'
  | 'imageBytes'
  | 'imageWidth'
  | 'imageHeight'
  | 'params'
  | 'cacheKey'
  | 'kind'
  | 'source'
>;

/**
 * One page of the jobs of a run: at most `take` strictly after (forward) or before (backward)
 * the job whose key is `key` = [createdAt in ms, id] in the list order (newest first: createdAt
 * desc, then id desc), in walking order (backward walks the list reversed); null key: from the
 * start or the end.
 */
export interface JobPageRequest {
  direction: 'forward' | 'backward';
  key: [createdAtMs: number, id: string] | null;
  take: number;
}

/** Reads and writes explanation jobs. */
export class ExplanationJobRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** One job by id. */
  findById(id: string): Promise<ExplanationJobRow | null> {
    return this.prisma.explanationJob.findUnique({ where: { id }, select: jobSelect });
  }

  /** The job of a run with this cache key (image hash + parameters). */
  findByKey(runId: string, cacheKey: string): Promise<ExplanationJobRow | null> {
    return this.prisma.explanationJob.findUnique({
      where: { runId_cacheKey: { runId, cacheKey } },
      select: jobSelect,
    });
  }

  /**
   * One page of the jobs of each run (reads only the pages). First pages of several runs cost
   * two queries in all (ranked ids, then their rows); a page after a cursor is one query per
   * run (a cursor pages one run's list).
   */
  async pages(
    runIds: readonly string[],
    page: JobPageRequest,
  ): Promise<Map<string, ExplanationJobRow[]>> {
    const out = new Map<string, ExplanationJobRow[]>(runIds.map((id) => [id, []]));
    if (runIds.length === 0 || page.take <= 0) return out;
    // Walking order: newest first forward, oldest first backward.
    const order = page.direction === 'forward' ? ('desc' as const) : ('asc' as const);
    if (page.key !== null || runIds.length === 1) {
      const keyset = page.key ? keysetWhere(page.direction, page.key) : {};
      await Promise.all(
        runIds.map(async (runId) => {
          const rows = await this.prisma.explanationJob.findMany({
            where: { runId, ...keyset },
            select: jobSelect,
            orderBy: [{ createdAt: order }, { id: order }],
            take: page.take,
          });
          out.set(runId, rows);
        }),
      );
      return out;
    }
    const ranked = await this.firstIds(runIds, order, page.take);
    const rows = await this.prisma.explanationJob.findMany({
      where: { id: { in: ranked } },
      select: jobSelect,
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ranked) {
      const row = byId.get(id);
      if (row) out.get(row.runId)?.push(row);
    }
    return out;
  }

  /** The ids of the first `take` jobs of each run in walking order (one query). */
  private async firstIds(
    runIds: readonly string[],
    order: 'asc' | 'desc',
    take: number,
  ): Promise<string[]> {
    const ph = (i: number, cast = '') => (this.dialect === 'sqlite' ? '?' : `$${i}${cast}`);
    const list = runIds.map((_, i) => ph(i + 1)).join(', ');
    const dir = order.toUpperCase();
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT "id" FROM (
         SELECT "id", "runId", ROW_NUMBER() OVER (PARTITION BY "runId" ORDER BY "createdAt" ${dir}, "id" ${dir}) AS "rank"
         FROM "ExplanationJob" WHERE "runId" IN (${list})
       ) ranked
       WHERE "rank" <= ${ph(runIds.length + 1, '::int')}
       ORDER BY "runId", "rank"`,
      ...runIds,
      take,
    );
    return rows.map((r) => r.id);
  }

  /** Inserts a QUEUED job; throws P2002 when the (run, cache key) exists. */
  create(data: ExplanationJobCreate): Promise<ExplanationJobRow> {
    return this.prisma.explanationJob.create({ data, select: jobSelect });
  }

  /** FAILED → QUEUED again (a new request for a failed explanation retries it). */
  async requeueFailed(id: string): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: 'FAILED' },
      data: {
        status: 'QUEUED',
        error: null,
        result: null,
        attempts: 0,
        workerId: null,
        claimToken: null,
        startedAt: null,
        finishedAt: null,
      },
    });
    return r.count === 1;
  }

  /** DONE or FAILED → QUEUED again (a forced recomputation). */
  async requeueSettled(id: string): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: { in: ['DONE', 'FAILED'] } },
      data: {
        status: 'QUEUED',
        error: null,
        result: null,
        attempts: 0,
        workerId: null,
        claimToken: null,
        startedAt: null,
        finishedAt: null,
      },
    });
    return r.count === 1;
  }

  /**
   * Marks a job RUNNING for the queue's claim number `attempt` by `workerId` with a fresh claim
   * token (from QUEUED, or from RUNNING when a retry is claimed before the lost attempt's
   * requeue reached this row; the old token dies either way).
   * @returns false when the job is gone or already DONE / FAILED
   */
  async markClaimed(
    id: string,
    claim: { workerId: string; claimToken: string; attempt: number; now: Date },
  ): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
      data: {
        status: 'RUNNING',
        workerId: claim.workerId,
        claimToken: claim.claimToken,
        startedAt: claim.now,
        attempts: claim.attempt,
        finishedAt: null,
      },
    });
    return r.count === 1;
  }

  /**
   * RUNNING under the queue's claim number `attempt` → QUEUED (that attempt was lost; the queue
   * delivers the job again). A later claim already recorded is left alone.
   */
  async requeueAttempt(id: string, attempt: number): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: 'RUNNING', attempts: attempt },
      // The lost worker's token dies with its claim: the next claim gets a new one.
      data: { status: 'QUEUED', workerId: null, claimToken: null, startedAt: null },
    });
    return r.count === 1;
  }

  /** QUEUED or RUNNING → FAILED with `error` (the queue gave up on it). */
  async failOpen(id: string, error: string, now: Date): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'FAILED', error, claimToken: null, finishedAt: now },
    });
    return r.count === 1;
  }

  /** The oldest unfinished jobs (QUEUED or RUNNING) with their run's project. */
  async openJobs(
    take: number,
  ): Promise<{ id: string; kind: string; runId: string; projectId: string }[]> {
    const rows = await this.prisma.explanationJob.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      select: { id: true, kind: true, runId: true, run: { select: { projectId: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      runId: r.runId,
      projectId: r.run.projectId,
    }));
  }

  /** RUNNING under `claimToken` → DONE with the result. False otherwise. */
  async complete(id: string, claimToken: string, result: string, now: Date): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: 'RUNNING', claimToken },
      data: { status: 'DONE', result, error: null, finishedAt: now },
    });
    return r.count === 1;
  }

  /** RUNNING under `claimToken` → FAILED with the error. False otherwise. */
  async fail(id: string, claimToken: string, error: string, now: Date): Promise<boolean> {
    const r = await this.prisma.explanationJob.updateMany({
      where: { id, status: 'RUNNING', claimToken },
      data: { status: 'FAILED', error, finishedAt: now },
    });
    return r.count === 1;
  }

  /** True if `claimToken` is the token of the job's last claim (still stored once it is DONE/FAILED). */
  async hasClaimToken(id: string, claimToken: string): Promise<boolean> {
    return (await this.prisma.explanationJob.count({ where: { id, claimToken } })) > 0;
  }
}

/** The jobs strictly past `key` in walking order (the list is createdAt desc, id desc). */
function keysetWhere(direction: 'forward' | 'backward', [ms, id]: [number, string]) {
  const createdAt = new Date(ms);
  const past = direction === 'forward' ? { lt: createdAt } : { gt: createdAt };
  return {
    OR: [{ createdAt: past }, { createdAt, id: direction === 'forward' ? { lt: id } : { gt: id } }],
  };
}
