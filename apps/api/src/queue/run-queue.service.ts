// Queued runs: queueRun / cancelRun (GraphQL and the sweep service) and the lease reaper that
// retries the job of a lost worker elsewhere or, past the retry limit, fails its run. Every
// change is a conditional update on the Job / Run row, so any number of API instances may run
// this at once: exactly one wins each transition.
import { randomBytes } from 'node:crypto';
import { AccessGuard } from '../auth/access.guard';
import type { AccessRepository } from '../auth/access.repository';
import type { Principal } from '../auth/principal';
import { systemClock, type Clock } from '../common/clock';
import { apiError, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { LIMITS } from '../common/limits';
import type { RunModel } from '../run/run.model';
import { isFinished, RunStatus } from '../run/run-status';
import type { RunService } from '../run/run.service';
import type { ClaimRequest, JobKind, JobQueue } from './job-queue';
import { checkQueueRun, effectiveHyperparameters, type CheckedQueueRun } from './queue.checks';
import type { QueueRunInput } from './queue.input';
import type { JobRow, QueueRepository } from './queue.repository';

/** Lease and retry settings of the queue. */
export interface QueueSettings {
  /** A job's lease: a worker that sends no heartbeat for this long loses the job. */
  leaseS: number;
  /** Claims of a job before a lost or failing worker fails its run. */
  maxAttempts: number;
}

/** Defaults: env JOB_LEASE_S (30) and JOB_MAX_ATTEMPTS (3). */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { leaseS: 30, maxAttempts: 3 };

/**
 * What the owner of a job kind without a run (EXPLAIN: the explanation job service) does at the
 * queue's transitions, so its own record follows the Job row.
 */
export interface JobSubjectHooks {
  /**
   * The job was just claimed (attempt counted) by the worker named `workerName`: marks the
   * subject running and returns what to add to the payload the worker receives, or null when
   * the subject is gone or already finished (the claim then closes the job).
   */
  claimed(job: JobRow, workerName: string): Promise<Record<string, unknown> | null>;
  /** Whether the subject already ended (a lost attempt then closes the job DONE, not retried). */
  finished(job: JobRow): Promise<boolean>;
  /** The attempt ended and the job waits in the queue again. */
  requeued(job: JobRow, reason: string): Promise<void>;
  /** The job failed for good (or was cancelled) with `reason`. */
  failed(job: JobRow, reason: string): Promise<void>;
}

/** Expired leases handled per reaper pass (the next pass takes the rest). */
const REAP_BATCH = 100;

/** Queues and cancels runs; retries or fails the jobs of lost workers. */
export class RunQueueService {
  /** The time of leases and of waiting claims. */
  readonly clock: Clock;
  private readonly subjects = new Map<string, JobSubjectHooks>();

  constructor(
    private readonly repo: QueueRepository,
    readonly queue: JobQueue,
    private readonly runs: RunService,
    private readonly access: AccessRepository,
    readonly settings: QueueSettings,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Registers the owner of a job kind without a run (the EXPLAIN jobs' service). */
  registerSubject(kind: JobKind, hooks: JobSubjectHooks): void {
    this.subjects.set(kind, hooks);
  }

  /** The owner of the jobs of `kind`, if one registered. */
  subjectOf(kind: string): JobSubjectHooks | undefined {
    return this.subjects.get(kind);
  }

  /** Now, from the service's clock. */
  now(): Date {
    return new Date(this.clock.now());
  }

  private guardOf(principal: AccessGuard | Principal): AccessGuard {
    return principal instanceof AccessGuard ? principal : new AccessGuard(principal, this.access);
  }

  /**
   * Queues a training run (editor on the project): a QUEUED run plus its TRAIN job on the queue.
   * The sweep service passes `sweepId`; the GraphQL resolver refuses it from clients.
   * @throws BAD_USER_INPUT naming the field; NOT_FOUND / FORBIDDEN from the access check
   */
  async queueRun(
    principal: AccessGuard | Principal,
    input: QueueRunInput & { sweepId?: string | null },
  ): Promise<{ id: string }> {
    const { sweepId, ...clientInput } = input;
    const checked = checkQueueRun(clientInput);
    const run = await this.queueChecked(this.guardOf(principal), checked, sweepId ?? null);
    return { id: run.id };
  }

  /** queueRun after its input checks (the resolver checks first, then calls this). */
  async queueChecked(
    guard: AccessGuard,
    input: CheckedQueueRun,
    sweepId: string | null = null,
  ): Promise<RunModel> {
    await guard.requireProject(input.projectId, 'editor');
    if (!(await this.repo.projectExists(input.projectId)))
      throw notFound('Project', input.projectId);
    if (input.sourceRunId) await guard.requireRun(input.sourceRunId, 'viewer');
    const label = input.config.preset ?? 'model';
    const name = input.name ?? `${label}-${randomBytes(3).toString('hex')}`;
    const hyperparameters = JSON.stringify(effectiveHyperparameters(input.config));
    if (Buffer.byteLength(hyperparameters) > LIMITS.hyperparameters.bytes)
      throw apiError(ErrorCode.BAD_USER_INPUT, 'hyperparameters are too large', {
        field: 'hyperparameters',
      });
    const config = JSON.stringify(input.config);
    const { runId, job } = await this.repo.createQueuedRun({
      run: {
        projectId: input.projectId,
        name,
        hyperparameters,
        tags: JSON.stringify(input.tags),
        notes: input.notes,
        priority: input.priority,
        queuedConfig: config,
        sourceRunId: input.sourceRunId,
        sweepId,
      },
      job: {
        priority: input.priority,
        reqBackend: input.requirements.backend,
        reqGpu: input.requirements.gpu,
        reqMemoryMb: input.requirements.minMemoryMb,
        maxAttempts: this.settings.maxAttempts,
      },
      payload: JSON.stringify({
        projectId: input.projectId,
        runName: name,
        config: input.config,
        hyperparameters: input.overrides,
      }),
    });
    await this.enqueue(job);
    return this.runs.get(runId);
  }

  /**
   * Hands a stored QUEUED job to the engine; a refused hand-over fails the job and its run or
   * subject (never left hanging) and throws.
   */
  async enqueue(job: JobRow): Promise<void> {
    try {
      const ref = await this.queue.enqueue(job);
      if (ref.engineJobId) await this.repo.setEngineRef(job, ref.queueName, ref.engineJobId);
    } catch (err) {
      const reason = `could not queue: ${err instanceof Error ? err.message : String(err)}`;
      await this.repo.moveJob(
        job.id,
        ['QUEUED'],
        'FAILED',
        {},
        { error: reason, finishedAt: this.now() },
      );
      if (job.runId)
        await this.repo.moveRun(job.runId, [RunStatus.QUEUED], RunStatus.FAILED, {
          error: reason,
          endedAt: this.now(),
        });
      else await this.subjects.get(job.kind)?.failed(job, reason);
      throw err;
    }
  }

  /**
   * Cancels a run (editor): QUEUED -> CANCELLED at once; RUNNING -> cancelRequested, its worker
   * hears it at its next heartbeat and acknowledges (the run then ends CANCELLED). A run already
   * CANCELLED is returned as it is; another finished run fails with INVALID_STATE.
   */
  async cancelRun(principal: AccessGuard | Principal, runId: string): Promise<RunModel> {
    await this.guardOf(principal).requireRun(runId, 'editor');
    for (let round = 0; round < 3; round++) {
      const run = await this.runs.get(runId);
      if (run.status === RunStatus.CANCELLED) return run;
      if (run.status === RunStatus.COMPLETED || run.status === RunStatus.FAILED)
        throw apiError(
          ErrorCode.INVALID_STATE,
          `Run ${runId} is ${run.status} and cannot be cancelled`,
          {
            id: runId,
            status: run.status,
          },
        );
      const job = await this.repo.openJobOfRun(runId);
      if (run.status === RunStatus.QUEUED && (!job || job.status === 'QUEUED')) {
        if (
          job &&
          !(await this.repo.moveJob(
            job.id,
            ['QUEUED'],
            'CANCELLED',
            {},
            { finishedAt: this.now() },
          ))
        )
          continue; // claimed meanwhile: cancel it as a running one
        if (job) await this.queue.settle(job, 'cancelled').catch(logEngineError);
        if (
          await this.repo.moveRun(runId, [RunStatus.QUEUED], RunStatus.CANCELLED, {
            endedAt: this.now(),
          })
        )
          return this.runs.get(runId);
        continue;
      }
      // Claimed or RUNNING: the holder is told at its next heartbeat.
      if (job) await this.repo.requestJobCancel(job.id);
      await this.repo.requestRunCancel(runId);
      if (run.status === RunStatus.QUEUED)
        await this.repo.moveRun(runId, [RunStatus.QUEUED], RunStatus.QUEUED, {
          cancelRequested: true,
        });
      return this.runs.get(runId);
    }
    throw apiError(ErrorCode.INVALID_STATE, `Run ${runId} changed state concurrently`, {
      id: runId,
    });
  }

  /**
   * Ends an attempt that did not finish (worker error, or lease expired): the job goes back to
   * the queue while the engine allows another attempt, else it and its run fail with `reason`.
   * Guarded by (status ACTIVE, holder, attempt): only one caller acts on one attempt.
   * @returns 'retried', 'failed', 'cancelled', 'done' (its run had already ended), or null when
   *   another caller had acted first
   */
  async endAttempt(
    job: JobRow,
    reason: string,
    options: { retryable: boolean; leaseBefore?: Date },
  ): Promise<'retried' | 'failed' | 'cancelled' | 'done' | null> {
    const guard = {
      workerId: job.workerId ?? undefined,
      attempt: job.attempt,
      leaseBefore: options.leaseBefore,
    };
    const now = this.now();
    if (job.cancelRequested) {
      if (!(await this.repo.moveJob(job.id, ['ACTIVE'], 'CANCELLED', guard, { finishedAt: now })))
        return null;
      await this.queue.settle(job, 'cancelled').catch(logEngineError);
      if (job.runId) await this.endRun(job.runId, RunStatus.CANCELLED, null);
      else await this.subjects.get(job.kind)?.failed(job, 'cancelled');
      return 'cancelled';
    }
    if (!(await this.repo.moveJob(job.id, ['ACTIVE'], 'RETRYING', guard, { error: reason })))
      return null;
    if (await this.alreadyEnded(job)) {
      await this.closeEnded(job, now);
      return 'done';
    }
    const again = options.retryable
      ? await this.queue.retry(job, reason).catch(() => false)
      : false;
    if (again) {
      // The run first: a worker's finishRun may have ended it since alreadyEnded() looked. Then
      // nothing is redone: the job ends DONE instead of going back to the queue.
      if (job.runId && !(await this.requeueRun(job.runId, job.attempt, reason))) {
        await this.closeEnded(job, now);
        return 'done';
      }
      // The job waits in the queue again (its worker is gone); a claim may already have taken
      // it from RETRYING (pg-boss delivers it once failed), then this move is a no-op.
      await this.repo.moveJob(
        job.id,
        ['RETRYING'],
        'QUEUED',
        { attempt: job.attempt },
        { clearHolder: true },
      );
      if (!job.runId) await this.subjects.get(job.kind)?.requeued(job, reason);
      return 'retried';
    }
    const final =
      options.retryable && job.attempt >= job.maxAttempts
        ? `${reason} (gave up after ${job.attempt} attempt${job.attempt === 1 ? '' : 's'})`
        : reason;
    await this.repo.moveJob(
      job.id,
      ['RETRYING'],
      'FAILED',
      { attempt: job.attempt },
      { error: final, finishedAt: now },
    );
    if (!options.retryable) await this.queue.settle(job, 'failed', final).catch(logEngineError);
    if (job.runId) await this.endRun(job.runId, RunStatus.FAILED, final);
    else await this.subjects.get(job.kind)?.failed(job, final);
    return 'failed';
  }

  /** A retrying job whose work is already over (its run ended): DONE, the engine forgets it. */
  private async closeEnded(job: JobRow, now: Date): Promise<void> {
    await this.repo.moveJob(
      job.id,
      ['RETRYING'],
      'DONE',
      { attempt: job.attempt },
      { finishedAt: now },
    );
    await this.queue.settle(job, 'completed').catch(logEngineError);
  }

  /** A retried job's run back to QUEUED; false when it has ended (COMPLETED, FAILED, CANCELLED). */
  private requeueRun(runId: string, attempt: number, reason: string): Promise<boolean> {
    return this.repo.moveRun(runId, [RunStatus.RUNNING, RunStatus.QUEUED], RunStatus.QUEUED, {
      error: `attempt ${attempt} failed: ${reason}`,
      heartbeatAt: null,
    });
  }

  /**
   * Whether the work of a job whose attempt just ended is already over: a worker that ended its
   * run (finishRun), or stored its explanation, and died before completeJob. Nothing to redo.
   */
  private async alreadyEnded(job: JobRow): Promise<boolean> {
    if (job.runId) {
      const run = await this.runs.find(job.runId);
      return run !== null && isFinished(run.status);
    }
    return (await this.subjects.get(job.kind)?.finished(job)) ?? false;
  }

  /**
   * Queues the job of a subject without a run (an explanation: the Job row shares its id): a
   * new QUEUED job, or a finished one queued again as new. A job still queued or held is left
   * as it is (the subject is already on its way).
   */
  async queueSubjectJob(data: {
    id: string;
    kind: JobKind;
    projectId: string;
    payload: string;
  }): Promise<void> {
    let job: JobRow | null;
    try {
      job = await this.repo.createJob({ ...data, maxAttempts: this.settings.maxAttempts });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      job = await this.repo.requeueJob(data.id);
    }
    if (job) await this.enqueue(job);
  }

  /** Of `ids`, the ones that have a Job row. */
  existingJobIds(ids: readonly string[]): Promise<Set<string>> {
    return this.repo.existingJobIds(ids);
  }

  /**
   * A claim for a caller that is not a registered worker (the old claimExplanationJob): the
   * engine's delivery with the same order, projects and lease; the held job or null.
   */
  async claimDirect(request: ClaimRequest): Promise<JobRow | null> {
    const id = await this.queue.claim(request);
    return id ? this.repo.findJob(id) : null;
  }

  /** Sets the lease of a job `workerId` holds. */
  setLease(jobId: string, workerId: string, leaseExpiresAt: Date): Promise<void> {
    return this.repo.setLease(jobId, workerId, leaseExpiresAt);
  }

  /** Closes a job just claimed whose subject is gone or already finished (nothing to do). */
  async closeGone(job: JobRow, workerId: string): Promise<void> {
    if (
      await this.repo.moveJob(
        job.id,
        ['ACTIVE'],
        'DONE',
        { workerId, attempt: job.attempt },
        { finishedAt: this.now() },
      )
    )
      await this.queue.settle(job, 'completed').catch(logEngineError);
  }

  /**
   * Ends the job of a subject that reported its own result (completeExplanationJob /
   * failExplanationJob, whose claim token proved the holder): DONE or FAILED, whoever holds it.
   */
  async closeReported(
    jobId: string,
    outcome: 'completed' | 'failed',
    error?: string,
  ): Promise<void> {
    const job = await this.repo.findJob(jobId);
    if (!job) return;
    const to = outcome === 'completed' ? 'DONE' : 'FAILED';
    const extra = { finishedAt: this.now(), ...(error !== undefined ? { error } : {}) };
    if (await this.repo.moveJob(job.id, ['ACTIVE', 'QUEUED', 'RETRYING'], to, {}, extra))
      await this.queue.settle(job, outcome, error).catch(logEngineError);
  }

  /** Ends a run of a job (unless it already ended). */
  async endRun(runId: string, status: RunStatus, error: string | null): Promise<void> {
    await this.repo.moveRun(runId, [RunStatus.QUEUED, RunStatus.RUNNING], status, {
      endedAt: this.now(),
      ...(error !== null ? { error: error.slice(0, 16_000) } : {}),
    });
  }

  /**
   * The lease reaper: every ACTIVE job whose lease ended is retried on another worker (or
   * fails its run past the retry limit; a cancel-requested one ends CANCELLED).
   * @returns the ids of the jobs it acted on
   */
  async reapLeases(
    now = this.now(),
  ): Promise<{ retried: string[]; failed: string[]; cancelled: string[] }> {
    const out = { retried: [] as string[], failed: [] as string[], cancelled: [] as string[] };
    for (const job of await this.repo.expiredLeases(now, REAP_BATCH)) {
      const reason = `worker lost: no heartbeat for ${this.settings.leaseS} s (lease expired)`;
      const result = await this.endAttempt(job, reason, { retryable: true, leaseBefore: now });
      if (result && result !== 'done') out[result].push(job.id);
    }
    return out;
  }
}

/** Engine clean-ups that fail are logged: the Job row already says what happened. */
function logEngineError(err: unknown): void {
  console.error('[api] queue engine', err);
}
