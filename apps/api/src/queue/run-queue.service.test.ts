// The lease reaper against a worker's finishRun landing mid-retry: once the run has ended, the
// job is closed DONE, never queued again (no second worker claims a finished run's job).
import { describe, expect, it } from 'vitest';
import type { AccessRepository } from '../auth/access.repository';
import { FakeClock } from '../common/clock';
import type { RunService } from '../run/run.service';
import type { JobQueue } from './job-queue';
import type { JobRow, QueueRepository } from './queue.repository';
import { RunQueueService } from './run-queue.service';

const job: JobRow = {
  id: 'j1',
  kind: 'TRAIN',
  projectId: 'p1',
  runId: 'r1',
  status: 'ACTIVE',
  priority: 0,
  payload: '{}',
  reqBackend: null,
  reqGpu: false,
  reqMemoryMb: 0,
  attempt: 1,
  maxAttempts: 3,
  workerId: 'w1',
  leaseExpiresAt: new Date(0),
  cancelRequested: false,
  error: null,
  queueName: null,
  engineJobId: null,
  createdAt: new Date(0),
  startedAt: new Date(0),
  finishedAt: null,
};

/**
 * The service on fakes: the run reads RUNNING when the reaper looks (`alreadyEnded` says no),
 * and `runEndsMeanwhile` makes the guarded run move fail as a finishRun landing just then does.
 */
function setup(runEndsMeanwhile: boolean) {
  const jobMoves: string[] = [];
  const settled: string[] = [];
  const repo = {
    moveJob: async (_id: string, from: readonly string[], to: string) => {
      jobMoves.push(`${from.join('|')}->${to}`);
      return true;
    },
    moveRun: async () => !runEndsMeanwhile,
  } as unknown as QueueRepository;
  const engine = {
    retry: async () => true,
    settle: async (_j: JobRow, outcome: string) => void settled.push(outcome),
  } as unknown as JobQueue;
  const runs = { find: async () => ({ id: 'r1', status: 'RUNNING' }) } as unknown as RunService;
  const service = new RunQueueService(
    repo,
    engine,
    runs,
    {} as AccessRepository,
    { leaseS: 30, maxAttempts: 3 },
    { clock: new FakeClock() },
  );
  return { service, jobMoves, settled };
}

describe('RunQueueService.endAttempt', () => {
  it('closes the job DONE when the run completed while the attempt was being retried', async () => {
    const { service, jobMoves, settled } = setup(true);
    expect(await service.endAttempt(job, 'worker lost', { retryable: true })).toBe('done');
    expect(jobMoves).toEqual(['ACTIVE->RETRYING', 'RETRYING->DONE']);
    expect(settled).toEqual(['completed']);
  });

  it('queues the job again when its run is still open', async () => {
    const { service, jobMoves, settled } = setup(false);
    expect(await service.endAttempt(job, 'worker lost', { retryable: true })).toBe('retried');
    expect(jobMoves).toEqual(['ACTIVE->RETRYING', 'RETRYING->QUEUED']);
    expect(settled).toEqual([]);
  });
});
