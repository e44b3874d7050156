// RunTracker of a queue worker: every metric batch carries the job attempt (startQueuedRun's
// answer, or the one given), and a LEASE_LOST refusal stops the tracker: its points are dropped
// (the API will never take them from a superseded attempt) and later log/flush calls throw.
// A tracker of a run it created sends no attempt.
import { describe, expect, it } from 'vitest';
import { ApiError, type GraphqlClient } from './graphql-client';
import { RunTracker } from './run-tracker';

/** A client answering from `answer` per operation, recording every operation's variables. */
function fakeClient(answer: (op: string, variables: Record<string, unknown>) => unknown) {
  const sent: { op: string; variables: Record<string, unknown> }[] = [];
  const client = {
    baseUrl: 'http://api.test',
    // Artifact uploads: recorded by path, answered with a stored artifact.
    http: (path: string) => {
      sent.push({ op: 'PUT', variables: { path } });
      const artifact = {
        id: 'a1',
        name: 'm.bin',
        kind: 'model',
        sha256: 'ab'.repeat(32),
        bytes: 1,
      };
      return Promise.resolve(new Response(JSON.stringify({ artifact }), { status: 201 }));
    },
    request: (document: { toString(): string }, variables: Record<string, unknown> = {}) => {
      const op = /mutation (\w+)|query (\w+)/.exec(String(document));
      const name = op?.[1] ?? op?.[2] ?? '?';
      sent.push({ op: name, variables });
      return (async () => answer(name, variables))();
    },
  } as unknown as GraphqlClient;
  return { client, sent };
}

const LEASE_LOST = new ApiError('job attempt 1 no longer holds the run', 'INVALID_STATE', 200, {
  code: 'INVALID_STATE',
  reason: 'LEASE_LOST',
  attempt: 1,
});

describe('RunTracker job attempt', () => {
  it('sends the attempt startQueuedRun answered with every batch, and stops on LEASE_LOST', async () => {
    let refuse = false;
    const { client, sent } = fakeClient((op) => {
      if (op === 'StartWorkerRun')
        return { startQueuedRun: { id: 'q1', name: 'queued', status: 'RUNNING', attempts: 3 } };
      if (op === 'LogMetricSeries') {
        if (refuse) throw LEASE_LOST;
        return { logMetricSeries: { accepted: 1, duplicates: 0 } };
      }
      throw new Error(`unexpected ${op}`);
    });
    const t = await RunTracker.adopt({
      apiUrl: 'http://api.test',
      client,
      runId: 'q1',
      workerId: 'w1',
      heartbeatMs: 0,
    });
    await t.log({ name: 'loss', step: 0, value: 1 });
    await t.flush();
    expect(sent.filter((s) => s.op === 'LogMetricSeries').map((s) => s.variables.attempt)).toEqual([
      3,
    ]);
    expect(t.lostLease).toBe(false);

    refuse = true;
    await t.log([
      { name: 'loss', step: 1, value: 0.5 },
      { name: 'acc', step: 1, value: 0.7 },
    ]);
    await expect(t.flush()).rejects.toMatchObject({ extensions: { reason: 'LEASE_LOST' } });
    expect(t.lostLease).toBe(true);
    expect(t.pendingPoints).toBe(0);
    const calls = sent.length;
    expect(() => t.log({ name: 'loss', step: 2, value: 0.4 })).toThrow(LEASE_LOST);
    await expect(t.flush()).rejects.toBe(LEASE_LOST);
    expect(sent.length).toBe(calls); // nothing more was sent
  });

  it('prefers an explicit attempt, and sends none for a run it created', async () => {
    const { client, sent } = fakeClient((op) => {
      if (op === 'StartWorkerRun')
        return { startQueuedRun: { id: 'q2', name: 'queued', status: 'RUNNING', attempts: 5 } };
      if (op === 'CreateRun') return { createRun: { id: 'r1', name: 'mine' } };
      if (op === 'LogMetricSeries') return { logMetricSeries: { accepted: 1, duplicates: 0 } };
      throw new Error(`unexpected ${op}`);
    });
    const adopted = await RunTracker.adopt({
      apiUrl: 'http://api.test',
      client,
      runId: 'q2',
      workerId: 'w1',
      attempt: 2,
      heartbeatMs: 0,
    });
    await adopted.log({ name: 'loss', step: 0, value: 1 });
    await adopted.flush();
    await adopted
      .uploadArtifact('m.bin', new Uint8Array([1]), {
        kind: 'model',
        mimeType: 'application/octet-stream',
      })
      .catch(() => undefined);
    const created = await RunTracker.create({
      apiUrl: 'http://api.test',
      client,
      project: 'p',
      heartbeatMs: 0,
    });
    await created.log({ name: 'loss', step: 0, value: 1 });
    await created.flush();
    const logs = sent.filter((s) => s.op === 'LogMetricSeries');
    expect(logs.map((s) => s.variables.runId)).toEqual(['q2', 'r1']);
    expect(logs[0]?.variables.attempt).toBe(2);
    // startQueuedRun is asked for that attempt too (refused if another attempt holds the job).
    expect(sent.find((s) => s.op === 'StartWorkerRun')?.variables.attempt).toBe(2);
    // And its artifact uploads name it (the API refuses them once another attempt holds the run).
    expect(sent.find((s) => s.op === 'PUT')?.variables.path).toBe(
      '/runs/q2/artifacts/m.bin?kind=model&attempt=2',
    );
    expect('attempt' in (logs[1]?.variables ?? {})).toBe(false);
  });
});
