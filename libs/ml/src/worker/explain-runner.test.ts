// The EXPLAIN runner of the queue worker against a fake API: the payload claimJob delivers is
// checked, the handler of its explanation kind computes, and the result or the handler's error
// is posted with the claim's token (which ends the job: the worker reports nothing more); a bad
// payload is a permanent failure; a stopped job is left to the queue.
import { describe, expect, it } from 'vitest';
import type { GraphqlClient } from '../tracking/graphql-client';
import { ExplainJobExecutor, explainJobRunner } from './explain-worker';
import type { JobHandler } from './handlers';
import type { ClaimedQueueJob } from './run-queue-api';
import { JobStopped, type JobRunContext } from './run-worker';

/** A client whose requests answer by operation name; every call recorded. */
function fakeClient() {
  const sent: { op: string; vars: Record<string, unknown> }[] = [];
  const client = {
    baseUrl: 'http://api',
    request: async (doc: unknown, vars: Record<string, unknown> = {}) => {
      const op = /(?:mutation|query)\s+(\w+)/.exec(String(doc))![1]!;
      sent.push({ op, vars });
      return { completeExplanationJob: { id: vars.id }, failExplanationJob: { id: vars.id } };
    },
  } as unknown as GraphqlClient;
  return { client, sent };
}

const queued = (payload: unknown): ClaimedQueueJob => ({
  id: 'job-1',
  kind: 'EXPLAIN',
  runId: null,
  attempt: 1,
  leaseExpiresAt: new Date(Date.now() + 30_000).toISOString(),
  payload,
});

const payload = {
  explainKind: 'IMAGE',
  explanationJobId: 'job-1',
  runId: 'run-1',
  params: { method: 'gradcam' },
  claimToken: 'token-1',
};

function context(signal = new AbortController().signal): JobRunContext {
  return { workerId: 'w1', signal, log: () => undefined };
}

function runnerWith(handle: JobHandler['handle']) {
  const { client, sent } = fakeClient();
  const seen: unknown[] = [];
  const executor = new ExplainJobExecutor({
    client,
    handlers: [
      {
        kind: 'IMAGE',
        handle: (job, ctx) => {
          seen.push(job);
          return handle(job, ctx);
        },
      },
    ],
  });
  return { runner: explainJobRunner(executor, client), sent, seen };
}

describe('explainJobRunner', () => {
  it('computes with the handler of the kind and posts the result with the claim token', async () => {
    const { runner, sent, seen } = runnerWith(async () => ({
      result: { predictions: [] },
      summary: 'gradcam',
    }));
    expect(await runner(queued(payload), context())).toEqual({ reported: 'completed' });
    expect(seen).toEqual([
      {
        id: 'job-1',
        runId: 'run-1',
        kind: 'IMAGE',
        params: { method: 'gradcam' },
        claimToken: 'token-1',
      },
    ]);
    expect(sent.map((s) => s.op)).toEqual(['CompleteJob']);
    expect(sent[0]!.vars).toMatchObject({ id: 'job-1', t: 'token-1', r: { predictions: [] } });
    expect(typeof (sent[0]!.vars.r as { durationMs: unknown }).durationMs).toBe('number');
  });

  it("fails the explanation for good with the handler's error", async () => {
    const { runner, sent } = runnerWith(async () => {
      throw new Error('layer "conv9" is not in the model');
    });
    expect(await runner(queued(payload), context())).toEqual({ reported: 'failed' });
    expect(sent).toEqual([
      {
        op: 'FailJob',
        vars: { id: 'job-1', t: 'token-1', e: 'layer "conv9" is not in the model' },
      },
    ]);
  });

  it('refuses a payload it does not understand as a permanent error, posting nothing', async () => {
    const { runner, sent } = runnerWith(async () => ({ result: {}, summary: '' }));
    const bad = { ...payload, claimToken: undefined };
    await expect(runner(queued(bad), context())).rejects.toMatchObject({
      name: 'PermanentJobError',
      message: expect.stringContaining('claimToken'),
    });
    const other = { ...payload, explainKind: 'LIME' };
    await expect(runner(queued(other), context())).rejects.toThrow(/explainKind/);
    expect(sent).toEqual([]);
  });

  it('leaves a stopped job to the queue (no failure posted)', async () => {
    const stop = new AbortController();
    const { runner, sent } = runnerWith(async () => {
      stop.abort(new JobStopped('shutdown', 'the worker is stopping'));
      throw new Error('aborted');
    });
    await expect(runner(queued(payload), context(stop.signal))).rejects.toThrow('aborted');
    expect(sent).toEqual([]);
  });
});
