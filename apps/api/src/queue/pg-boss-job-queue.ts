// The production queue on PostgreSQL: pg-boss 10 (FOR UPDATE SKIP LOCKED delivery, priority,
// retry limit, expiry, its own maintenance; safe with any number of API instances). One pg-boss
// queue per (kind, project, requirements), so a fetch from a queue only ever returns jobs the
// claiming worker may run; the Job table says which queue holds the best job for a worker
// (priority desc, then oldest) and keeps the lease.
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { ClaimRequest, JobQueue, JobRef } from './job-queue';
import type { QueueRepository } from './queue.repository';

/** pg-boss's expiry of an active job: a long outer bound; our lease (heartbeats) is the real one. */
const ENGINE_EXPIRE_S = 23 * 3600;

/** Connection of pg-boss: the API's database, its own schema beside the API's. */
export interface PgBossOptions {
  /** postgresql://… as given to the API (a `?schema=` parameter is read, then dropped). */
  databaseUrl: string;
}

/** pg-boss's schema for an API schema (tests run one API schema each). */
function bossSchemaOf(url: URL): string {
  const schema = url.searchParams.get('schema');
  return schema && schema !== 'public' ? `${schema}_boss`.slice(0, 50) : 'pgboss';
}

/** An EXPLAIN job's explanation kind (its own queue: a claim may ask for one kind only). */
function explainLane(job: JobRef): string {
  if (job.kind !== 'EXPLAIN' || !job.payload) return '';
  const kind = /^\{"explainKind":"(\w+)"/.exec(job.payload)?.[1];
  return kind ? `${kind.toLowerCase()}-` : '';
}

/**
 * The pg-boss queue of a job: kind (and an EXPLAIN job's explanation kind), project and
 * requirements (names allow [\w-]).
 */
export function queueNameOf(job: JobRef): string {
  const req = JSON.stringify([job.reqBackend, job.reqGpu, job.reqMemoryMb]);
  const hash = createHash('sha256').update(req).digest('hex').slice(0, 12);
  return `${job.kind.toLowerCase()}-${explainLane(job)}${job.projectId.replace(/[^\w-]/g, '_')}-${hash}`;
}

/** pg-boss delivery with the Job table's lease. */
export class PgBossJobQueue implements JobQueue {
  readonly engine = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private started?: Promise<void>;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly repo: QueueRepository,
    options: PgBossOptions,
  ) {
    const url = new URL(options.databaseUrl);
    const schema = bossSchemaOf(url);
    url.searchParams.delete('schema');
    this.boss = new PgBoss({ connectionString: url.toString(), schema, max: 4 });
    this.boss.on('error', (err: unknown) => console.error('[api] pg-boss', err));
  }

  start(): Promise<void> {
    this.started ??= this.boss.start().then(() => undefined);
    return this.started;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss.stop({ graceful: false, wait: true });
  }

  private ensureQueue(name: string, maxAttempts: number): Promise<void> {
    // One creation per name and process (concurrent enqueues share it); create_queue itself is
    // idempotent across instances (INSERT ... ON CONFLICT DO NOTHING).
    let created = this.queues.get(name);
    if (!created) {
      created = this.boss.createQueue(name, {
        name,
        retryLimit: Math.max(0, maxAttempts - 1),
        retryDelay: 0,
        expireInSeconds: ENGINE_EXPIRE_S,
      });
      created.catch(() => this.queues.delete(name));
      this.queues.set(name, created);
    }
    return created;
  }

  async enqueue(job: JobRef): Promise<{ queueName: string; engineJobId: string }> {
    await this.start();
    const name = queueNameOf(job);
    await this.ensureQueue(name, job.maxAttempts);
    const id = await this.boss.send(
      name,
      { jobId: job.id },
      {
        priority: job.priority,
        retryLimit: Math.max(0, job.maxAttempts - 1),
        retryDelay: 0,
        expireInSeconds: ENGINE_EXPIRE_S,
      },
    );
    if (!id) throw new Error(`pg-boss refused job ${job.id}`);
    return { queueName: name, engineJobId: id };
  }

  async claim(request: ClaimRequest): Promise<string | null> {
    await this.start();
    for (let round = 0; round < 5; round++) {
      // The queue holding the best job this worker may run (our table mirrors pg-boss's).
      const [best] = await this.repo.candidates(request, 1);
      if (!best?.queueName) return null;
      const [fetched] = await this.boss.fetch<{ jobId: string }>(best.queueName, { batchSize: 1 });
      if (!fetched) continue; // another instance took the last one of that queue
      const jobId = fetched.data.jobId;
      // pg-boss handed it to us alone; a row already cancelled or finished is dropped here.
      if (await this.repo.activate(jobId, ['QUEUED', 'RETRYING', 'ACTIVE'], request)) return jobId;
      await this.boss.cancel(best.queueName, fetched.id).catch(() => undefined);
    }
    return null;
  }

  async settle(
    job: JobRef,
    outcome: 'completed' | 'cancelled' | 'failed',
    reason?: string,
  ): Promise<void> {
    if (!job.queueName || !job.engineJobId) return;
    await this.start();
    if (outcome === 'completed') await this.boss.complete(job.queueName, job.engineJobId);
    // A job failed for good is cancelled in pg-boss: fail() would deliver it again.
    else await this.boss.cancel(job.queueName, job.engineJobId);
    void reason;
  }

  async retry(job: JobRef, reason: string): Promise<boolean> {
    if (!job.queueName || !job.engineJobId) return false;
    await this.start();
    // pg-boss counts the retries: 'retry' means it will deliver the job again, 'failed' not.
    await this.boss.fail(job.queueName, job.engineJobId, { reason });
    const state = await this.boss.getJobById(job.queueName, job.engineJobId);
    return state?.state === 'retry' || state?.state === 'created';
  }
}
