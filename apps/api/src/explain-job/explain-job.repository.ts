// Prisma access for explanation jobs (the only module touching the ExplanationJob table).
// Every state change is a compare-and-set UPDATE guarded by the expected status (and, for a
// worker's result, by the claim token it was given), so two workers (or a worker and the
// stale-job sweep) can never both win a transition. The claim token is never selected with a
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
   * Claims the oldest QUEUED job for `workerId`. Each candidate is taken by an UPDATE guarded by
   * `status = 'QUEUED'`: on PostgreSQL a concurrent UPDATE of the same row waits for the first
   * to commit and then matches nothing; SQLite serialises writers. Exactly one claimer wins a
   * job; losers move on to the next candidate.
   */
  async claimNext(
    workerId: string,
    now: Date,
    projectIds: readonly string[] | null = null,
    claimToken: string | null = null,
    kinds: readonly string[] | null = null,
  ): Promise<ExplanationJobRow | null> {
    for (let round = 0; round < 5; round++) {
      const candidates = await this.prisma.explanationJob.findMany({
        // Only jobs of projects the worker's key may write (null = every project), of the kinds
        // it handles (null = every kind).
        where: {
          status: 'QUEUED',
          ...(projectIds ? { run: { projectId: { in: [...projectIds] } } } : {}),
          ...(kinds ? { kind: { in: [...kinds] } } : {}),
        },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 8,
      });
      if (candidates.length === 0) return null;
      for (const { id } of candidates) {
        const r = await this.prisma.explanationJob.updateMany({
          where: { id, status: 'QUEUED' },
          data: {
            status: 'RUNNING',
            workerId,
            claimToken,
            startedAt: now,
            attempts: { increment: 1 },
          },
        });
        if (r.count === 1) return this.findById(id);
      }
    }
    return null;
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

  /**
   * Jobs RUNNING since before `cutoff` (of `kind`; null: any), whose worker died or hangs: back to QUEUED while they
   * have claims left, FAILED with `error(attempts)` otherwise. Each UPDATE is guarded by status
   * and start time, so a job completed meanwhile is left alone.
   */
  async recoverStale(
    cutoff: Date,
    maxAttempts: number,
    now: Date,
    error: (attempts: number) => string,
    kind: string | null = null,
  ): Promise<{ requeued: string[]; failed: string[] }> {
    const ofKind = kind === null ? {} : { kind };
    const stale = await this.prisma.explanationJob.findMany({
      where: { status: 'RUNNING', startedAt: { lt: cutoff }, ...ofKind },
      select: { id: true, attempts: true },
    });
    const requeued: string[] = [];
    const failed: string[] = [];
    for (const job of stale) {
      const guard = { id: job.id, status: 'RUNNING', startedAt: { lt: cutoff }, ...ofKind };
      if (job.attempts < maxAttempts) {
        const r = await this.prisma.explanationJob.updateMany({
          where: guard,
          // The lost worker's token dies with its claim: the next claim gets a new one.
          data: { status: 'QUEUED', workerId: null, claimToken: null, startedAt: null },
        });
        if (r.count === 1) requeued.push(job.id);
      } else {
        const r = await this.prisma.explanationJob.updateMany({
          where: guard,
          data: {
            status: 'FAILED',
            error: error(job.attempts),
            claimToken: null,
            finishedAt: now,
          },
        });
        if (r.count === 1) failed.push(job.id);
      }
    }
    return { requeued, failed };
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
