// The queue of jobs workers execute, behind one interface with two engines: pg-boss on
// PostgreSQL (pg-boss-job-queue.ts: delivery, priority, retry limit and expiry are pg-boss's)
// and, for the embedded default on SQLite, a small claim on the Job table
// (embedded-job-queue.ts). Either way the Job row owns the lease (workerId, leaseExpiresAt):
// the services change it only through conditional updates, so N API instances may share one
// database.

/** What a job asks a worker to do. */
export type JobKind = 'TRAIN' | 'EXPLAIN';
/** Every job kind. */
export const JOB_KINDS: readonly JobKind[] = ['TRAIN', 'EXPLAIN'];

/** States of a Job row. RETRYING: an attempt failed and the engine is deciding on a retry. */
export type JobStatus = 'QUEUED' | 'ACTIVE' | 'RETRYING' | 'DONE' | 'FAILED' | 'CANCELLED';

/** The columns of a job the queue engines read. */
export interface JobRef {
  id: string;
  kind: string;
  projectId: string;
  priority: number;
  attempt: number;
  maxAttempts: number;
  reqBackend: string | null;
  reqGpu: boolean;
  reqMemoryMb: number;
  /** pg-boss queue and job id; null on the embedded queue. */
  queueName: string | null;
  engineJobId: string | null;
  /** The payload (JSON text): an EXPLAIN job's names its explanation kind first. */
  payload?: string;
}

/** Which jobs a claiming worker may take, and the lease it gets. */
export interface ClaimRequest {
  workerId: string;
  kinds: readonly JobKind[];
  backend: string;
  gpu: boolean;
  memoryMb: number;
  /** Projects where the worker's user is at least editor; null = every project (admin). */
  projectIds: readonly string[] | null;
  /**
   * EXPLAIN jobs of these explanation kinds only (IMAGE, PROJECTION); null or absent: any. Only
   * the old claimExplanationJob mutation narrows this.
   */
  explainKinds?: readonly string[] | null;
  now: Date;
  leaseExpiresAt: Date;
}

/** The first characters of an EXPLAIN job's payload naming its explanation kind (a claim filter). */
export function explainPayloadPrefix(explainKind: string): string {
  return `{"explainKind":${JSON.stringify(explainKind)}`;
}

/** A queue engine. Implementations must be safe with several API instances on one database. */
export interface JobQueue {
  /** 'pg-boss' (production path on PostgreSQL) or 'embedded' (SQLite, no server). */
  readonly engine: 'pg-boss' | 'embedded';
  /** Connects and prepares (pg-boss: its schema and maintenance); idempotent. */
  start(): Promise<void>;
  /** Stops (pg-boss: closes its pool); idempotent. */
  stop(): Promise<void>;
  /** Hands a stored QUEUED job to the engine; returns the engine's reference to store. */
  enqueue(job: JobRef): Promise<{ queueName: string | null; engineJobId: string | null }>;
  /**
   * Delivers one job to this worker alone and marks its row ACTIVE with the lease; null when
   * nothing fits (kinds, capabilities, projects). Order: higher priority first, then oldest.
   */
  claim(request: ClaimRequest): Promise<string | null>;
  /** The job finished (completed, cancelled or failed for good): the engine forgets it. */
  settle(
    job: JobRef,
    outcome: 'completed' | 'cancelled' | 'failed',
    reason?: string,
  ): Promise<void>;
  /**
   * An attempt failed (worker error, or its lease expired): records it with the engine.
   * @returns true when the engine will deliver the job again (attempts left)
   */
  retry(job: JobRef, reason: string): Promise<boolean>;
}
