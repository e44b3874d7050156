// Prisma access for queued work: the Job and Worker tables and the queue columns of Run. Every
// state change is a conditional update (status, holder, attempt in the WHERE), so racing API
// instances, reapers and stale workers cannot both win.
import type { Db } from '../db/prisma';
import { runParamsCreate } from '../run/run.repository';
import { explainPayloadPrefix, type ClaimRequest, type JobRef, type JobStatus } from './job-queue';

const jobSelect = {
  id: true,
  kind: true,
  projectId: true,
  runId: true,
  status: true,
  priority: true,
  payload: true,
  reqBackend: true,
  reqGpu: true,
  reqMemoryMb: true,
  attempt: true,
  maxAttempts: true,
  workerId: true,
  leaseExpiresAt: true,
  cancelRequested: true,
  error: true,
  queueName: true,
  engineJobId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** A stored job (payload still JSON text). */
export interface JobRow extends JobRef {
  runId: string | null;
  status: string;
  payload: string;
  workerId: string | null;
  leaseExpiresAt: Date | null;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const workerSelect = {
  id: true,
  userId: true,
  name: true,
  host: true,
  backend: true,
  gpu: true,
  memoryMb: true,
  concurrency: true,
  kinds: true,
  startedAt: true,
  lastSeenAt: true,
} as const;

/** A stored worker (kinds still JSON text). */
export interface WorkerRow {
  id: string;
  userId: string;
  name: string;
  host: string;
  backend: string;
  gpu: boolean;
  memoryMb: number;
  concurrency: number;
  kinds: string;
  startedAt: Date;
  lastSeenAt: Date;
}

/** What queueRun writes: the run and its TRAIN job, in one transaction. */
export interface QueuedRunData {
  run: {
    projectId: string;
    name: string;
    hyperparameters: string;
    tags: string;
    notes: string | null;
    priority: number;
    queuedConfig: string;
    sourceRunId: string | null;
    sweepId: string | null;
  };
  job: {
    priority: number;
    reqBackend: string | null;
    reqGpu: boolean;
    reqMemoryMb: number;
    maxAttempts: number;
  };
  /** The job payload (JSON; claimJob adds runId and resumeFromArtifactId). */
  payload: string;
}

/** Run columns a queue transition may set besides the status. */
export interface RunQueueUpdate {
  startedAt?: Date | null;
  endedAt?: Date | null;
  heartbeatAt?: Date | null;
  error?: string | null;
  workerId?: string | null;
  backend?: string | null;
  backendReason?: string | null;
  cancelRequested?: boolean;
}

/** The worker and attempt that must hold a run's job (ACTIVE) for a run write to apply. */
export interface JobHolder {
  workerId: string;
  attempt: number;
}

/** States in which a job is over. */
export const FINAL_JOB_STATUSES = ['DONE', 'FAILED', 'CANCELLED'] as const;

/** The Job and Worker tables, and the queue columns of Run. */
export class QueueRepository {
  constructor(private readonly prisma: Db) {}

  /**
   * Creates a QUEUED run and its QUEUED TRAIN job in one statement (a nested create: no
   * interactive transaction to time out under load).
   */
  async createQueuedRun(data: QueuedRunData): Promise<{ runId: string; job: JobRow }> {
    const run = await this.prisma.run.create({
      data: {
        ...data.run,
        status: 'QUEUED',
        params: runParamsCreate(data.run.hyperparameters),
        jobs: {
          create: {
            ...data.job,
            kind: 'TRAIN',
            projectId: data.run.projectId,
            payload: data.payload,
          },
        },
      },
      select: { id: true, jobs: { select: jobSelect } },
    });
    const job = run.jobs[0];
    if (!job) throw new Error(`run ${run.id} was created without its job`);
    return { runId: run.id, job };
  }

  /**
   * Creates a QUEUED job with a given id and no run (an EXPLAIN job shares its explanation
   * job's id). Throws P2002 when it exists.
   */
  createJob(data: {
    id: string;
    kind: string;
    projectId: string;
    payload: string;
    maxAttempts: number;
  }): Promise<JobRow> {
    return this.prisma.job.create({ data, select: jobSelect });
  }

  /**
   * A finished job (DONE, FAILED, CANCELLED) back to QUEUED as new: no attempt, holder, error
   * or engine reference (it is handed to the engine again).
   * @returns the job, or null when it was not finished (or does not exist)
   */
  async requeueJob(id: string): Promise<JobRow | null> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, status: { in: [...FINAL_JOB_STATUSES] } },
      data: {
        status: 'QUEUED',
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
        cancelRequested: false,
        error: null,
        queueName: null,
        engineJobId: null,
        startedAt: null,
        finishedAt: null,
      },
    });
    return count === 1 ? this.findJob(id) : null;
  }

  /** Sets the lease of a job the worker holds (a claim whose lease depends on the job). */
  async setLease(id: string, workerId: string, leaseExpiresAt: Date): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id, workerId, status: 'ACTIVE' },
      data: { leaseExpiresAt },
    });
  }

  /** Of `ids`, those that name a job. */
  async existingJobIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.job.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  /** True if the project exists (admins pass the role check for any id). */
  async projectExists(id: string): Promise<boolean> {
    return (await this.prisma.project.count({ where: { id } })) > 0;
  }

  /** Stores the engine's reference of a job. */
  async setEngineRef(
    job: { id: string; projectId: string; runId: string | null },
    queueName: string | null,
    engineJobId: string | null,
  ): Promise<void> {
    await this.prisma.job.update({ where: { id: job.id }, data: { queueName, engineJobId } });
  }

  /** One job by id. */
  findJob(id: string): Promise<JobRow | null> {
    return this.prisma.job.findUnique({ where: { id }, select: jobSelect });
  }

  /** Jobs by id. */
  findJobs(ids: readonly string[]): Promise<JobRow[]> {
    return this.prisma.job.findMany({ where: { id: { in: [...ids] } }, select: jobSelect });
  }

  /** The newest unfinished job of a run, if any. */
  openJobOfRun(runId: string): Promise<JobRow | null> {
    return this.prisma.job.findFirst({
      where: { runId, status: { notIn: [...FINAL_JOB_STATUSES] } },
      orderBy: { createdAt: 'desc' },
      select: jobSelect,
    });
  }

  private candidateWhere(request: ClaimRequest, statuses: JobStatus[]) {
    return {
      status: { in: statuses },
      kind: { in: [...request.kinds] },
      ...(request.projectIds ? { projectId: { in: [...request.projectIds] } } : {}),
      AND: [
        { OR: [{ reqBackend: null }, { reqBackend: request.backend }] },
        ...(request.explainKinds
          ? [
              {
                OR: request.explainKinds.map((k) => ({
                  payload: { startsWith: explainPayloadPrefix(k) },
                })),
              },
            ]
          : []),
      ],
      ...(request.gpu ? {} : { reqGpu: false }),
      reqMemoryMb: { lte: request.memoryMb },
      cancelRequested: false,
    };
  }

  /** The best QUEUED jobs this worker may take (priority desc, then oldest). */
  candidates(request: ClaimRequest, take: number): Promise<JobRow[]> {
    return this.prisma.job.findMany({
      where: this.candidateWhere(request, ['QUEUED']),
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take,
      select: jobSelect,
    });
  }

  /**
   * Gives the job to a worker if it is in one of `from` (the lease starts, attempt + 1).
   * @returns whether this call won the job
   */
  async activate(id: string, from: readonly JobStatus[], request: ClaimRequest): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, status: { in: [...from] } },
      data: {
        status: 'ACTIVE',
        workerId: request.workerId,
        leaseExpiresAt: request.leaseExpiresAt,
        attempt: { increment: 1 },
        startedAt: request.now,
      },
    });
    return count === 1;
  }

  /** Records a claim on the job's run (who holds it, how many claims). */
  async noteRunClaimed(runId: string, workerId: string, attempt: number): Promise<void> {
    await this.prisma.run.updateMany({
      where: { id: runId },
      data: { workerId, attempts: attempt },
    });
  }

  /** Extends the leases of the jobs this worker holds; returns the ones it still holds. */
  async extendLeases(
    workerId: string,
    jobIds: readonly string[],
    leaseExpiresAt: Date,
  ): Promise<JobRow[]> {
    if (jobIds.length === 0) return [];
    await this.prisma.job.updateMany({
      where: { id: { in: [...jobIds] }, workerId, status: 'ACTIVE' },
      data: { leaseExpiresAt },
    });
    return this.prisma.job.findMany({
      where: { id: { in: [...jobIds] }, workerId, status: 'ACTIVE' },
      select: jobSelect,
    });
  }

  /** Marks the runs of held jobs alive (the run reaper reads heartbeatAt). */
  async touchRuns(runIds: readonly string[], at: Date): Promise<void> {
    if (runIds.length === 0) return;
    await this.prisma.run.updateMany({
      where: { id: { in: [...runIds] }, status: 'RUNNING' },
      data: { heartbeatAt: at },
    });
  }

  /**
   * Moves a job from `from` to `to` if it is still in `from` (and, when given, still held by
   * `workerId` at `attempt`).
   * @returns whether this call made the change
   */
  async moveJob(
    id: string,
    from: readonly JobStatus[],
    to: JobStatus,
    guard: { workerId?: string; attempt?: number; leaseBefore?: Date } = {},
    extra: { error?: string | null; finishedAt?: Date | null; clearHolder?: boolean } = {},
  ): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: {
        id,
        status: { in: [...from] },
        ...(guard.workerId !== undefined ? { workerId: guard.workerId } : {}),
        ...(guard.attempt !== undefined ? { attempt: guard.attempt } : {}),
        ...(guard.leaseBefore ? { leaseExpiresAt: { lt: guard.leaseBefore } } : {}),
      },
      data: {
        status: to,
        ...(extra.error !== undefined ? { error: extra.error } : {}),
        ...(extra.finishedAt !== undefined ? { finishedAt: extra.finishedAt } : {}),
        ...(extra.clearHolder ? { workerId: null, leaseExpiresAt: null } : {}),
      },
    });
    return count === 1;
  }

  /** Asks the holder of a job to stop (told at its next heartbeat). */
  async requestJobCancel(id: string): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id, status: { notIn: [...FINAL_JOB_STATUSES] } },
      data: { cancelRequested: true },
    });
  }

  /** ACTIVE jobs whose lease ended before `now` (oldest first). */
  expiredLeases(now: Date, take: number): Promise<JobRow[]> {
    return this.prisma.job.findMany({
      where: { status: 'ACTIVE', leaseExpiresAt: { lt: now } },
      orderBy: { leaseExpiresAt: 'asc' },
      take,
      select: jobSelect,
    });
  }

  /**
   * Sets a run's status if it is in one of `from`; `data` goes with it.
   * @returns whether the run was updated
   */
  async moveRun(
    id: string,
    from: readonly string[],
    to: string,
    data: RunQueueUpdate = {},
    heldBy?: JobHolder,
  ): Promise<boolean> {
    const { count } = await this.prisma.run.updateMany({
      where: {
        id,
        status: { in: [...from] },
        // Checked in the same statement: a lease lost between the caller's check and this write
        // (the job retried by another worker) leaves the run to the new holder.
        ...(heldBy
          ? {
              jobs: {
                some: { status: 'ACTIVE', workerId: heldBy.workerId, attempt: heldBy.attempt },
              },
            }
          : {}),
      },
      data: { ...data, status: to },
    });
    return count === 1;
  }

  /** Sets cancelRequested on a run while it is RUNNING. */
  async requestRunCancel(id: string): Promise<boolean> {
    const { count } = await this.prisma.run.updateMany({
      where: { id, status: 'RUNNING' },
      data: { cancelRequested: true },
    });
    return count === 1;
  }

  /** The newest checkpoint artifact of a run (a retried job resumes from it), if any. */
  async latestCheckpoint(runId: string): Promise<string | null> {
    const row = await this.prisma.artifact.findFirst({
      where: { runId, kind: 'checkpoint' },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  /** Registers a worker. */
  createWorker(
    data: Omit<WorkerRow, 'id' | 'startedAt' | 'lastSeenAt'> & { now: Date },
  ): Promise<WorkerRow> {
    const { now, ...rest } = data;
    return this.prisma.worker.create({
      data: { ...rest, startedAt: now, lastSeenAt: now },
      select: workerSelect,
    });
  }

  /** One worker by id. */
  findWorker(id: string): Promise<WorkerRow | null> {
    return this.prisma.worker.findUnique({ where: { id }, select: workerSelect });
  }

  /** Workers by id (DataLoader batch). */
  findWorkers(ids: readonly string[]): Promise<WorkerRow[]> {
    return this.prisma.worker.findMany({ where: { id: { in: [...ids] } }, select: workerSelect });
  }

  /** Records contact from a worker. */
  async touchWorker(id: string, at: Date): Promise<void> {
    await this.prisma.worker.updateMany({
      where: { id, lastSeenAt: { lt: at } },
      data: { lastSeenAt: at },
    });
  }

  /**
   * One keyset page of workers, newest contact first: `size + 1` rows strictly after the
   * cursor's (lastSeenAt, id) in walking order.
   */
  workerPage(
    direction: 'forward' | 'backward',
    size: number,
    after: { lastSeenAt: Date; id: string } | null,
  ): Promise<WorkerRow[]> {
    const dir = direction === 'forward' ? 'desc' : 'asc';
    const cmp = direction === 'forward' ? 'lt' : 'gt';
    return this.prisma.worker.findMany({
      where: after
        ? {
            OR: [
              { lastSeenAt: { [cmp]: after.lastSeenAt } },
              { lastSeenAt: after.lastSeenAt, id: { [cmp]: after.id } },
            ],
          }
        : {},
      orderBy: [{ lastSeenAt: dir }, { id: dir }],
      take: size + 1,
      select: workerSelect,
    });
  }

  /** The ACTIVE jobs of workers (their current runs), by worker. */
  async activeJobsOfWorkers(workerIds: readonly string[]): Promise<Map<string, JobRow[]>> {
    const rows = await this.prisma.job.findMany({
      where: { workerId: { in: [...workerIds] }, status: 'ACTIVE' },
      orderBy: { startedAt: 'asc' },
      select: jobSelect,
    });
    const byWorker = new Map<string, JobRow[]>();
    for (const r of rows) {
      if (!r.workerId) continue;
      const list = byWorker.get(r.workerId) ?? [];
      list.push(r);
      byWorker.set(r.workerId, list);
    }
    return byWorker;
  }
}
