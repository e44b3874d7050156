// The worker protocol: registerWorker, claimJob, heartbeatWorker, startQueuedRun, completeJob,
// failJob, acknowledgeCancel, and the workers list. A worker is a principal (its API key): it
// acts only through its own Worker row and claims only jobs of projects where its user is at
// least editor. A worker whose lease was taken over is refused (LEASE_LOST) on every call for
// that job, so one run never has two live copies.
import { z } from 'zod';
import type { AccessGuard } from '../auth/access.guard';
import { apiError, badInput, ErrorCode, notFound } from '../common/errors';
import { check, limits, LIMITS } from '../common/limits';
import { parseJsonColumn } from '../common/json';
import { RunStatus } from '../run/run-status';
import type { RunModel } from '../run/run.model';
import type { RunService } from '../run/run.service';
import { ClaimWaits, MAX_CLAIM_WAIT_S } from './claim-waits';
import type { JobKind } from './job-queue';
import { checkRegisterWorker } from './queue.checks';
import type { RegisterWorkerInput } from './queue.input';
import type { JobRow, QueueRepository, WorkerRow } from './queue.repository';
import type { RunQueueService } from './run-queue.service';

/** The error code of a call naming a job the worker no longer holds. */
export const LEASE_LOST = 'LEASE_LOST';

/** A worker as resolvers hand it to GraphQL. */
export interface WorkerModel extends Omit<WorkerRow, 'kinds'> {
  kinds: JobKind[];
  status: 'IDLE' | 'BUSY' | 'OFFLINE';
}

/** A claimed job as the worker receives it. */
export interface ClaimedJobModel {
  id: string;
  kind: JobKind;
  runId: string | null;
  attempt: number;
  leaseExpiresAt: Date;
  payload: unknown;
}

function leaseLost(jobIds: string[], workerId: string): Error {
  return apiError(
    ErrorCode.INVALID_STATE,
    `Job ${jobIds.join(', ')} is no longer held by worker ${workerId} (its lease expired and the job was retried elsewhere, or it ended): stop working on it`,
    { reason: LEASE_LOST, jobIds, workerId },
  );
}

const waitSecondsSchema = z
  .number()
  .int('waitSeconds must be a whole number of seconds')
  .min(0, 'waitSeconds must be at least 0')
  .max(MAX_CLAIM_WAIT_S, `waitSeconds must be at most ${MAX_CLAIM_WAIT_S}`);

/** What {@link WorkerService.startQueuedRun} takes. */
export interface StartQueuedRunOptions {
  runId: string;
  workerId: string;
  /** Compute backend (default: the worker's). */
  backend?: string | null;
  backendReason?: string | null;
  /** The job attempt claimJob answered: refused (LEASE_LOST) unless that attempt holds the job. */
  attempt?: number | null;
}

/** How a claim waits (claimJob's waitSeconds and the request's lifetime). */
export interface ClaimOptions {
  /** Seconds to wait for a job when none fits now (0..25; default 0: answer at once). */
  waitSeconds?: number | null;
  /** Aborts when the caller disconnects: a waiting claim then ends. */
  signal?: AbortSignal;
}

/** What one claim try needs (resolved once per claimJob call). */
interface ClaimTarget {
  worker: WorkerRow;
  kinds: JobKind[];
  projectIds: string[] | null;
}

/** The worker side of the queue. */
export class WorkerService {
  /** The long-poll claims waiting on this instance (the server attaches the live bus). */
  readonly waits: ClaimWaits;

  constructor(
    private readonly repo: QueueRepository,
    private readonly queue: RunQueueService,
    private readonly runs: RunService,
  ) {
    this.waits = new ClaimWaits(queue.clock);
  }

  private leaseEnd(): Date {
    return new Date(this.queue.now().getTime() + this.queue.settings.leaseS * 1000);
  }

  /** A worker row as GraphQL shows it (status from contact time and held jobs). */
  toModel(row: WorkerRow, activeJobs: number): WorkerModel {
    const silentMs = this.queue.now().getTime() - row.lastSeenAt.getTime();
    const status =
      silentMs > this.queue.settings.leaseS * 1000 ? 'OFFLINE' : activeJobs > 0 ? 'BUSY' : 'IDLE';
    return { ...row, kinds: parseJsonColumn<JobKind[]>(row.kinds, ['TRAIN']), status };
  }

  /** Registers a worker for the caller (any signed-in user; its roles decide what it may claim). */
  async register(guard: AccessGuard, input: RegisterWorkerInput): Promise<WorkerModel> {
    const checked = checkRegisterWorker(input);
    const user = guard.requireUser();
    const row = await this.repo.createWorker({
      ...checked,
      kinds: JSON.stringify(checked.kinds),
      userId: user.userId,
      now: this.queue.now(),
    });
    return this.toModel(row, 0);
  }

  /** The caller's worker (its own, or any for a server admin); NOT_FOUND otherwise. */
  async requireWorker(guard: AccessGuard, workerId: string): Promise<WorkerRow> {
    const user = guard.requireUser();
    const id = limits.id(workerId, 'workerId');
    const worker = await this.repo.findWorker(id);
    if (!worker || (worker.userId !== user.userId && !user.isAdmin)) throw notFound('Worker', id);
    return worker;
  }

  /**
   * Hands the best job this worker may run to it, or null. With `waitSeconds`, a claim that
   * finds nothing waits for a queue notice (any instance) or the deadline and tries again; it
   * ends with null at the deadline, when the caller disconnects, when a newer waiting claim of
   * the same worker arrives, or when the server closes.
   * @throws BAD_USER_INPUT (field waitSeconds) outside 0..25; NOT_FOUND for another's worker
   */
  async claim(
    guard: AccessGuard,
    workerId: string,
    kinds?: JobKind[] | null,
    options: ClaimOptions = {},
  ): Promise<ClaimedJobModel | null> {
    const waitS = check(waitSecondsSchema, options.waitSeconds ?? 0, 'waitSeconds');
    const worker = await this.requireWorker(guard, workerId);
    await this.repo.touchWorker(worker.id, this.queue.now());
    const own = parseJsonColumn<JobKind[]>(worker.kinds, ['TRAIN']);
    const wanted = kinds?.length ? own.filter((k) => kinds.includes(k)) : own;
    if (wanted.length === 0) return null;
    const projectIds = await guard.projectIdsWith('editor');
    if (projectIds && projectIds.length === 0) return null;
    const target: ClaimTarget = { worker, kinds: wanted, projectIds };
    if (waitS === 0) return this.claimOnce(target);
    // Listening before the first try: a job queued between the try and the wait still wakes it.
    const wait = this.waits.begin(worker.id, options.signal);
    const deadline = this.queue.now().getTime() + waitS * 1000;
    try {
      for (;;) {
        wait.arm();
        const job = await this.claimOnce(target);
        if (job && options.signal?.aborted) {
          // Its caller left before the answer: back to the queue now, not at lease expiry.
          await this.handBack(job.id, worker.id);
          return null;
        }
        if (job) return job;
        await wait.until(deadline);
        if (wait.signal.aborted || this.queue.now().getTime() >= deadline) return null;
      }
    } finally {
      wait.end();
    }
  }

  /** One claim try: the engine's delivery, then the job as the worker receives it. */
  private async claimOnce({
    worker,
    kinds,
    projectIds,
  }: ClaimTarget): Promise<ClaimedJobModel | null> {
    const now = this.queue.now();
    const leaseExpiresAt = this.leaseEnd();
    const jobId = await this.queue.queue.claim({
      workerId: worker.id,
      kinds,
      backend: worker.backend,
      gpu: worker.gpu,
      memoryMb: worker.memoryMb,
      projectIds,
      now,
      leaseExpiresAt,
    });
    if (!jobId) return null;
    const job = await this.repo.findJob(jobId);
    if (!job) return null;
    const payload = parseJsonColumn<Record<string, unknown>>(job.payload, {});
    if (job.runId) {
      payload.runId = job.runId;
      await this.repo.noteRunClaimed(job.runId, worker.id, job.attempt);
      payload.resumeFromArtifactId = await this.repo.latestCheckpoint(job.runId);
    } else {
      // A job of another record (an explanation): its owner marks it running and adds the
      // worker's secret for reporting on it.
      const subject = this.queue.subjectOf(job.kind);
      const extra = subject ? await subject.claimed(job, worker.name) : {};
      if (!extra) {
        await this.queue.closeGone(job, worker.id);
        return null;
      }
      Object.assign(payload, extra);
    }
    return {
      id: job.id,
      kind: job.kind as JobKind,
      runId: job.runId,
      attempt: job.attempt,
      leaseExpiresAt: job.leaseExpiresAt ?? leaseExpiresAt,
      payload,
    };
  }

  /** Gives back a job claimed for a caller that disconnected (retried at once). */
  private async handBack(jobId: string, workerId: string): Promise<void> {
    const job = await this.repo.findJob(jobId);
    if (job?.status === 'ACTIVE' && job.workerId === workerId)
      await this.queue.endAttempt(job, 'the claiming worker disconnected before the answer', {
        retryable: true,
      });
  }

  /**
   * Extends the leases of the named jobs the worker holds and says which to stop (cancelRun).
   * @throws INVALID_STATE (reason LEASE_LOST) naming the jobs it no longer holds; the leases of
   *   the others were extended all the same
   */
  async heartbeat(
    guard: AccessGuard,
    workerId: string,
    jobIds: string[],
  ): Promise<{ cancelJobIds: string[]; leaseExpiresAt: Date }> {
    const worker = await this.requireWorker(guard, workerId);
    const ids = limits.ids(jobIds, 'jobIds', 256);
    const now = this.queue.now();
    const leaseExpiresAt = this.leaseEnd();
    await this.repo.touchWorker(worker.id, now);
    const held = await this.repo.extendLeases(worker.id, ids, leaseExpiresAt);
    await this.repo.touchRuns(
      held.flatMap((j) => (j.runId ? [j.runId] : [])),
      now,
    );
    const heldIds = new Set(held.map((j) => j.id));
    const lost = ids.filter((id) => !heldIds.has(id));
    if (lost.length) throw leaseLost(lost, worker.id);
    return { cancelJobIds: held.filter((j) => j.cancelRequested).map((j) => j.id), leaseExpiresAt };
  }

  /** The ACTIVE job `jobId` held by this worker; LEASE_LOST / NOT_FOUND otherwise. */
  private async heldJob(
    guard: AccessGuard,
    workerId: string,
    jobId: string,
  ): Promise<{ worker: WorkerRow; job: JobRow }> {
    const worker = await this.requireWorker(guard, workerId);
    const id = limits.id(jobId, 'jobId');
    const job = await this.repo.findJob(id);
    if (!job) throw notFound('Job', id);
    if (job.status !== 'ACTIVE' || job.workerId !== worker.id) throw leaseLost([id], worker.id);
    await this.repo.touchWorker(worker.id, this.queue.now());
    return { worker, job };
  }

  /**
   * QUEUED -> RUNNING for the run of a job this worker holds (a retry takes over a run left
   * RUNNING by a lost worker). Sets backend and the run's worker.
   */
  async startQueuedRun(guard: AccessGuard, options: StartQueuedRunOptions): Promise<RunModel> {
    const { runId, workerId, backend, backendReason, attempt } = options;
    if (attempt != null && !(Number.isSafeInteger(attempt) && attempt >= 1))
      throw badInput(`attempt must be a positive integer, got ${attempt}`, { field: 'attempt' });
    await guard.requireRun(runId, 'editor');
    const worker = await this.requireWorker(guard, workerId);
    const job = await this.repo.openJobOfRun(runId);
    if (
      !job ||
      job.status !== 'ACTIVE' ||
      job.workerId !== worker.id ||
      (attempt != null && job.attempt !== attempt)
    )
      throw leaseLost(job ? [job.id] : [], worker.id);
    const heldBy = { workerId: worker.id, attempt: job.attempt };
    const now = this.queue.now();
    const data = {
      workerId: worker.id,
      heartbeatAt: now,
      backend: limits.optionalName(backend, 'backend', LIMITS.backend) ?? worker.backend,
      ...(backendReason != null
        ? { backendReason: limits.text(backendReason, 'backendReason', LIMITS.backendReasonBytes) }
        : {}),
    };
    const moved =
      (await this.repo.moveRun(
        runId,
        [RunStatus.QUEUED],
        RunStatus.RUNNING,
        { ...data, startedAt: now },
        heldBy,
      )) || (await this.repo.moveRun(runId, [RunStatus.RUNNING], RunStatus.RUNNING, data, heldBy));
    if (!moved) {
      const current = await this.repo.openJobOfRun(runId);
      if (
        !current ||
        current.status !== 'ACTIVE' ||
        current.workerId !== worker.id ||
        current.attempt !== job.attempt
      )
        throw leaseLost([job.id], worker.id);
      const run = await this.runs.get(runId);
      throw apiError(ErrorCode.INVALID_STATE, `Run ${runId} is ${run.status} and cannot start`, {
        id: runId,
        status: run.status,
      });
    }
    return this.runs.get(runId);
  }

  /** The job is done: its run ends COMPLETED unless the worker already finished it. */
  async complete(guard: AccessGuard, workerId: string, jobId: string): Promise<boolean> {
    const { worker, job } = await this.heldJob(guard, workerId, jobId);
    const subject = job.runId ? undefined : this.queue.subjectOf(job.kind);
    if (subject && !(await subject.finished(job)))
      throw apiError(
        ErrorCode.INVALID_STATE,
        `Job ${job.id} is a ${job.kind} job: its result is posted with completeExplanationJob (which ends the job), not completeJob`,
        { id: job.id, kind: job.kind },
      );
    const now = this.queue.now();
    if (
      !(await this.repo.moveJob(
        job.id,
        ['ACTIVE'],
        'DONE',
        { workerId: worker.id, attempt: job.attempt },
        { finishedAt: now },
      ))
    )
      throw leaseLost([job.id], worker.id);
    await this.queue.queue
      .settle(job, 'completed')
      .catch((err: unknown) => console.error('[api] queue engine', err));
    if (job.runId)
      await this.repo.moveRun(job.runId, [RunStatus.RUNNING], RunStatus.COMPLETED, {
        endedAt: now,
      });
    return true;
  }

  /**
   * The attempt failed: retried on a worker (retryable, attempts left) or its run fails with
   * `error`. retryable defaults to false (a bad config fails the same way everywhere).
   */
  async fail(
    guard: AccessGuard,
    workerId: string,
    jobId: string,
    error: string,
    retryable?: boolean | null,
  ): Promise<boolean> {
    const { job } = await this.heldJob(guard, workerId, jobId);
    const reason = limits.text(error, 'error', LIMITS.errorBytes) ?? 'failed';
    const result = await this.queue.endAttempt(job, reason, { retryable: retryable ?? false });
    if (!result) throw leaseLost([job.id], workerId);
    return true;
  }

  /** The worker stopped a job it was asked to stop: the job and its run end CANCELLED. */
  async acknowledgeCancel(guard: AccessGuard, workerId: string, jobId: string): Promise<boolean> {
    const { worker, job } = await this.heldJob(guard, workerId, jobId);
    const now = this.queue.now();
    if (
      !(await this.repo.moveJob(
        job.id,
        ['ACTIVE'],
        'CANCELLED',
        { workerId: worker.id, attempt: job.attempt },
        { finishedAt: now },
      ))
    )
      throw leaseLost([job.id], worker.id);
    await this.queue.queue
      .settle(job, 'cancelled')
      .catch((err: unknown) => console.error('[api] queue engine', err));
    if (job.runId) await this.queue.endRun(job.runId, RunStatus.CANCELLED, null);
    return true;
  }

  /** A page of workers (newest contact first) with their held-job counts. */
  async page(
    direction: 'forward' | 'backward',
    size: number,
    after: { lastSeenAt: Date; id: string } | null,
  ): Promise<{ rows: WorkerRow[]; active: Map<string, JobRow[]> }> {
    const rows = await this.repo.workerPage(direction, size, after);
    const active = await this.repo.activeJobsOfWorkers(rows.map((r) => r.id));
    return { rows, active };
  }

  /** The ACTIVE jobs of workers, by worker (Worker.currentRuns). */
  activeJobs(workerIds: readonly string[]): Promise<Map<string, JobRow[]>> {
    return this.repo.activeJobsOfWorkers(workerIds);
  }

  /** Workers by id (Run.worker). */
  async byIds(ids: readonly string[]): Promise<(WorkerModel | null)[]> {
    const rows = await this.repo.findWorkers(ids);
    const active = await this.repo.activeJobsOfWorkers(rows.map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, this.toModel(r, active.get(r.id)?.length ?? 0)]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
