// Notices for the queue's state moves. The queue writes every job, queued-run and worker change
// through its repository's guarded moves; announcing there (after a move that won) covers every
// path (cancel, claims, retries, lease expiry, completion) without the queue code knowing about
// the live stream.
import type { QueueRepository } from '../queue/queue.repository';
import type { LivePublisher } from './live-publisher';

/** Looks up the project of runs (the AccessRepository). */
interface RunProjects {
  projectsOfRuns(runIds: readonly string[]): Promise<Map<string, string>>;
}

/** Publishes after `work` (never failing the caller: a lost notice costs a refresh). */
function after(work: () => Promise<void>): void {
  work().catch((err: unknown) => console.warn(`[api] live: queue notice lost (${String(err)})`));
}

/**
 * Makes `repo` announce its moves on `live`: a run's status change (run.status and queue), a
 * queued run (run.created and queue), a job created, queued again, handed to pg-boss, claimed,
 * moved or cancel-requested (queue), a worker registered (queue, no project). Long-poll claims
 * (claimJob waitSeconds) wake on these queue notices. Returns the same repository. Wired in
 * context.ts.
 */
export function announceQueueMoves(
  repo: QueueRepository,
  live: LivePublisher | undefined,
  runs: RunProjects,
): QueueRepository {
  if (!live) return repo;
  const runChanged = (runId: string, status: string | null) =>
    after(async () => {
      const projectId = (await runs.projectsOfRuns([runId])).get(runId);
      if (!projectId) return;
      if (status) live.runStatus({ id: runId, projectId, status });
      live.queueChanged({ projectId, runId });
    });
  const jobChanged = (jobId: string) =>
    after(async () => {
      const job = await repo.findJob(jobId);
      if (job) live.queueChanged({ projectId: job.projectId, runId: job.runId });
    });

  const moveRun = repo.moveRun.bind(repo);
  repo.moveRun = async (...args: Parameters<QueueRepository['moveRun']>) => {
    const moved = await moveRun(...args);
    const [id, , to] = args;
    if (moved) runChanged(id, to);
    return moved;
  };
  const requestRunCancel = repo.requestRunCancel.bind(repo);
  repo.requestRunCancel = async (id: string) => {
    const asked = await requestRunCancel(id);
    if (asked) runChanged(id, null);
    return asked;
  };
  const moveJob = repo.moveJob.bind(repo);
  repo.moveJob = async (...args: Parameters<QueueRepository['moveJob']>) => {
    const moved = await moveJob(...args);
    if (moved) jobChanged(args[0]);
    return moved;
  };
  const activate = repo.activate.bind(repo);
  repo.activate = async (...args: Parameters<QueueRepository['activate']>) => {
    const won = await activate(...args);
    if (won) jobChanged(args[0]);
    return won;
  };
  const createQueuedRun = repo.createQueuedRun.bind(repo);
  repo.createQueuedRun = async (...args: Parameters<QueueRepository['createQueuedRun']>) => {
    const made = await createQueuedRun(...args);
    const projectId = made.job.projectId;
    live.runCreated({ id: made.runId, projectId });
    live.queueChanged({ projectId, runId: made.runId });
    return made;
  };
  // A job without a run (EXPLAIN) queued, or queued again: waiting claims wake on this.
  const createJob = repo.createJob.bind(repo);
  repo.createJob = async (...args: Parameters<QueueRepository['createJob']>) => {
    const job = await createJob(...args);
    live.queueChanged({ projectId: job.projectId, runId: job.runId });
    return job;
  };
  const requeueJob = repo.requeueJob.bind(repo);
  repo.requeueJob = async (id: string) => {
    const job = await requeueJob(id);
    if (job) live.queueChanged({ projectId: job.projectId, runId: job.runId });
    return job;
  };
  // On pg-boss a job is claimable only once its engine reference is stored: announce that too.
  const setEngineRef = repo.setEngineRef.bind(repo);
  repo.setEngineRef = async (...args: Parameters<QueueRepository['setEngineRef']>) => {
    await setEngineRef(...args);
    const [job] = args;
    live.queueChanged({ projectId: job.projectId, runId: job.runId });
  };
  const createWorker = repo.createWorker.bind(repo);
  repo.createWorker = async (...args: Parameters<QueueRepository['createWorker']>) => {
    const worker = await createWorker(...args);
    live.queueChanged({});
    return worker;
  };
  return repo;
}
