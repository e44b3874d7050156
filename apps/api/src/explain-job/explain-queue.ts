// Explanation jobs on the job queue (apps/api/src/queue, kind EXPLAIN): every QUEUED
// explanation has a Job row of the same id, delivered by the queue's engine (pg-boss on
// PostgreSQL, the Job table on SQLite) with its lease, heartbeats, retries and project
// permissions. The ExplanationJob row stays the explanation's record (status, result, attempts,
// claim token): this class keeps it in step with the Job row at each queue transition.
import { randomBytes } from 'node:crypto';
import { parseJsonColumn } from '../common/json';
import type { JobRow } from '../queue/queue.repository';
import type { JobSubjectHooks, RunQueueService } from '../queue/run-queue.service';
import type { ExplanationJobRepository } from './explain-job.repository';

/** Unfinished explanations read per pass when adopting those stored without a Job row. */
const ADOPT_BATCH = 200;

/** What {@link ExplainQueue} needs from its service. */
export interface ExplainQueueOptions {
  now(): Date;
  /** A job became DONE or FAILED (long-polls wake). */
  onSettled(id: string): void;
  /** Seconds a claim without heartbeats (claimExplanationJob) holds a job of `kind`. */
  timeoutOf(kind: string): number;
}

/** A job handed out by the old claim (claimExplanationJob). */
export interface DirectClaim {
  id: string;
  claimToken: string;
}

/** The queue side of explanation jobs; the queue calls its hooks. */
export class ExplainQueue implements JobSubjectHooks {
  /** Whether every explanation stored before the queue carried them has a Job row now. */
  private adopted = false;

  constructor(
    private readonly jobs: ExplanationJobRepository,
    private readonly queue: RunQueueService,
    private readonly options: ExplainQueueOptions,
  ) {
    queue.registerSubject('EXPLAIN', this);
  }

  /** Puts a QUEUED explanation on the queue (a new Job, or its finished Job queued again). */
  async enqueue(
    job: { id: string; kind: string; runId: string },
    projectId: string,
  ): Promise<void> {
    await this.queue.queueSubjectJob({
      id: job.id,
      kind: 'EXPLAIN',
      projectId,
      // explainKind first: a claim for one explanation kind matches the payload's prefix.
      payload: JSON.stringify({
        explainKind: job.kind,
        explanationJobId: job.id,
        runId: job.runId,
      }),
    });
  }

  async claimed(job: JobRow, workerName: string): Promise<Record<string, unknown> | null> {
    // The secret that proves a result comes from this claim (completeExplanationJob asks for it).
    const claimToken = randomBytes(32).toString('base64url');
    const now = this.options.now();
    const claim = { workerId: workerName, claimToken, attempt: job.attempt, now };
    if (!(await this.jobs.markClaimed(job.id, claim))) return null;
    const row = await this.jobs.findById(job.id);
    if (!row) return null;
    return {
      explanationJobId: row.id,
      runId: row.runId,
      explainKind: row.kind,
      params: parseJsonColumn<unknown>(row.params, {}),
      claimToken,
    };
  }

  async finished(job: JobRow): Promise<boolean> {
    const row = await this.jobs.findById(job.id);
    return !row || row.status === 'DONE' || row.status === 'FAILED';
  }

  async requeued(job: JobRow): Promise<void> {
    await this.jobs.requeueAttempt(job.id, job.attempt);
  }

  async failed(job: JobRow, reason: string): Promise<void> {
    if (await this.jobs.failOpen(job.id, reason.slice(0, 10_000), this.options.now()))
      this.options.onSettled(job.id);
  }

  /**
   * The old claim (claimExplanationJob: no registered worker, no heartbeats): the queue's
   * delivery, with a lease as long as the kind's timeout. Null when nothing fits.
   */
  async claimDirect(
    workerName: string,
    projectIds: readonly string[] | null,
    kinds: readonly string[] | null,
  ): Promise<DirectClaim | null> {
    const holder = `explain-claim:${workerName}`;
    for (let round = 0; round < 3; round++) {
      const now = this.options.now();
      const job = await this.queue.claimDirect({
        workerId: holder,
        kinds: ['EXPLAIN'],
        explainKinds: kinds,
        // Explanations ask nothing of a worker: any backend, no GPU, no memory.
        backend: '',
        gpu: false,
        memoryMb: 0,
        projectIds,
        now,
        leaseExpiresAt: new Date(now.getTime() + this.options.timeoutOf('IMAGE') * 1000),
      });
      if (!job) return null;
      const extra = await this.claimed(job, workerName);
      if (!extra) {
        await this.queue.closeGone(job, holder);
        continue;
      }
      const timeoutS = this.options.timeoutOf(String(extra.explainKind));
      await this.queue.setLease(job.id, holder, new Date(now.getTime() + timeoutS * 1000));
      return { id: job.id, claimToken: String(extra.claimToken) };
    }
    return null;
  }

  /** The explanation reported its own end (claim token checked): its Job ends too. */
  async reported(id: string, outcome: 'completed' | 'failed', error?: string): Promise<void> {
    await this.queue.closeReported(id, outcome, error);
  }

  /**
   * Puts unfinished explanations stored before the queue carried them (no Job row) on the
   * queue; once a pass finds none left, later calls do nothing.
   * @returns the ids it queued
   */
  async adoptOrphans(): Promise<string[]> {
    if (this.adopted) return [];
    const open = await this.jobs.openJobs(ADOPT_BATCH);
    const known = await this.queue.existingJobIds(open.map((j) => j.id));
    const orphans = open.filter((j) => !known.has(j.id));
    for (const job of orphans) await this.enqueue(job, job.projectId);
    if (open.length < ADOPT_BATCH || orphans.length === 0) this.adopted = true;
    return orphans.map((j) => j.id);
  }
}
