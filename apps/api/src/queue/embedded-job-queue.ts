// The embedded queue (SQLite, `npm start` with no server): the Job table itself, claimed with a
// conditional UPDATE. It serves the embedded default only; on PostgreSQL, the production path,
// jobs travel on pg-boss (pg-boss-job-queue.ts).
import type { ClaimRequest, JobQueue, JobRef } from './job-queue';
import type { QueueRepository } from './queue.repository';

/** Candidates read per claim round: a lost race moves on to the next one. */
const CANDIDATES = 8;

/** Table-claim queue for the embedded default. */
export class EmbeddedJobQueue implements JobQueue {
  readonly engine = 'embedded' as const;

  constructor(private readonly repo: QueueRepository) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** The row is the queue entry: nothing else to write. */
  enqueue(): Promise<{ queueName: null; engineJobId: null }> {
    return Promise.resolve({ queueName: null, engineJobId: null });
  }

  async claim(request: ClaimRequest): Promise<string | null> {
    // A few rounds: another claimer may win each candidate between the read and the update.
    for (let round = 0; round < 3; round++) {
      const candidates = await this.repo.candidates(request, CANDIDATES);
      if (candidates.length === 0) return null;
      for (const job of candidates)
        if (await this.repo.activate(job.id, ['QUEUED'], request)) return job.id;
    }
    return null;
  }

  settle(): Promise<void> {
    return Promise.resolve();
  }

  /** Attempts are counted on the row (attempt = claims so far). */
  retry(job: JobRef): Promise<boolean> {
    return Promise.resolve(job.attempt < job.maxAttempts);
  }
}
