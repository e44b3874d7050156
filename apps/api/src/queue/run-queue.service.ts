// Queued runs: queueRun / cancelRun (GraphQL and the sweep service) and the lease reaper that
// retries the job of a lost worker elsewhere or, past the retry limit, fails its run. Every
// change is a conditional update on the Job / Run row, so any number of API instances may run
// this at once: exactly one wins each transition.
import { randomBytes } from 'node:crypto';
import { AccessGuard } from '../auth/access.guard';
import type { AccessRepository } from '../auth/access.repository';
import type { Principal } from '../auth/principal';
import { systemClock, type Clock } from '../common/clock';
import { apiError, ErrorCode, notFound } from '../common/errors';
import { LIMITS } from '../common/limits';
import type { RunModel } from '../run/run.model';
import { isFinished, RunStatus } from '../run/run-status';
import type { RunService } from '../run/run.service';
import type { JobQueue } from './job-queue';
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

/** Expired leases handled per reaper pass (the next pass takes the rest). */
const REAP_BATCH = 100;

/** Queues and cancels runs; retries or fails the jobs of lost workers. */
export class RunQueueService {
  private readonly clock: Clock;

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

  /** Hands a stored job to the engine; a refused hand-over fails the run (never left hanging). */
  private async enqueue(job: JobRow): Promise<void> {
    try {
      const ref = await this.queue.enqueue(job);
      if (ref.engineJobId) await this.repo.setEngineRef(job.id, ref.queueName, ref.engineJobId);
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
      return 'cancelled';
    }
    if (!(await this.repo.moveJob(job.id, ['ACTIVE'], 'RETRYING', guard, { error: reason })))
      return null;
    // A worker that ended its run (finishRun) and died before completeJob: nothing to redo.
    const run = job.runId ? await this.runs.find(job.runId) : null;
    if (run && isFinished(run.status)) {
      await this.repo.moveJob(
        job.id,
        ['RETRYING'],
        'DONE',
        { attempt: job.attempt },
        { finishedAt: now },
      );
      await this.queue.settle(job, 'completed').catch(logEngineError);
      return 'done';
    }
    const again = options.retryable
      ? await this.queue.retry(job, reason).catch(() => false)
      : false;
    if (again) {
      // The run waits in the queue again (its worker is gone); a claim may already have taken
      // the job from RETRYING, then this move is a no-op.
      await this.repo.moveJob(
        job.id,
        ['RETRYING'],
        'QUEUED',
        { attempt: job.attempt },
        { clearHolder: true },
      );
      if (job.runId)
        await this.repo.moveRun(
          job.runId,
          [RunStatus.RUNNING, RunStatus.QUEUED],
          RunStatus.QUEUED,
          {
            error: `attempt ${job.attempt} failed: ${reason}`,
            heartbeatAt: null,
          },
        );
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
    return 'failed';
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
