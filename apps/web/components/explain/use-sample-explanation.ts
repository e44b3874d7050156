'use client';
import { useEffect, useState } from 'react';
import { gqlRequest } from '../../lib/graphql';
import { readSampleResult, methodOption, type SampleResult } from '../../lib/explain-sample';
import { EXPLAIN_SAMPLE_MUTATION, SAMPLE_JOB_QUERY } from '../../lib/explain-sample-queries';

/** What the page asks the explain worker for one test sample. */
export interface SampleRequest {
  index: number;
  /** null: the predicted class. */
  classIndex: number | null;
  /** null: the API's default CAM layer (the last spatial one). */
  layer: string | null;
  /** Method names as the page spells them (lower case). */
  methods: string[];
}

/** Where the on-demand explanation of the current request stands. */
export interface SampleExplanationState {
  /** requesting: the mutation is in flight; QUEUED / RUNNING: a worker has it (or will). */
  phase: 'idle' | 'requesting' | 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  /** True when the API answered from its cache (the same sample and parameters before). */
  cached: boolean;
  error: string | null;
  result: SampleResult | null;
  jobId: string | null;
}

/** Options of {@link useSampleExplanation}. */
export interface SampleExplanationOptions {
  /** First wait between polls; it doubles up to {@link SampleExplanationOptions.maxPollMs}. */
  pollMs?: number;
  maxPollMs?: number;
}

const IDLE: SampleExplanationState = {
  phase: 'idle',
  cached: false,
  error: null,
  result: null,
  jobId: null,
};

interface JobFields {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  error?: string | null;
  result?: unknown;
}

/** The state a job answer means. */
function stateOf(job: JobFields, cached: boolean): SampleExplanationState {
  return {
    phase: job.status,
    cached,
    error: job.status === 'FAILED' ? (job.error ?? 'the worker gave no reason') : null,
    result: job.status === 'DONE' ? readSampleResult(job.result) : null,
    jobId: job.id,
  };
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    });
  });
}

/** Queues (or finds cached) the explanation of `request`, then polls its job until it settles. */
async function explainAndPoll(
  runId: string,
  request: SampleRequest,
  signal: AbortSignal,
  report: (s: SampleExplanationState) => void,
  { pollMs = 400, maxPollMs = 2000 }: SampleExplanationOptions,
): Promise<void> {
  // Names the page does not know were dropped when the address was read.
  const methods = request.methods.flatMap((m) => methodOption(m)?.api ?? []);
  const data = await gqlRequest(
    EXPLAIN_SAMPLE_MUTATION,
    {
      runId,
      input: {
        split: 'test',
        index: request.index,
        methods,
        classIndex: request.classIndex,
        layer: request.layer,
      },
    },
    { signal },
  );
  const { cached } = data.explainSample;
  let job: JobFields = data.explainSample.job;
  let wait = pollMs;
  report(stateOf(job, cached));
  while (job.status === 'QUEUED' || job.status === 'RUNNING') {
    await sleep(wait, signal);
    wait = Math.min(maxPollMs, wait * 2);
    const polled = await gqlRequest(SAMPLE_JOB_QUERY, { id: job.id }, { signal });
    if (!polled.explanationJob) throw new Error(`job ${job.id} is gone`);
    job = polled.explanationJob;
    report(stateOf(job, cached));
  }
}

/**
 * The on-demand explanation of `request` (null: none asked): the explainSample mutation, then
 * polls of its job until DONE or FAILED. A new request aborts the one before; its answers are
 * dropped.
 */
export function useSampleExplanation(
  runId: string,
  request: SampleRequest | null,
  options: SampleExplanationOptions = {},
): SampleExplanationState {
  const key = request ? JSON.stringify(request) : null;
  const [state, setState] = useState<SampleExplanationState>(() =>
    key ? { ...IDLE, phase: 'requesting' } : IDLE,
  );
  const { pollMs, maxPollMs } = options;
  // A new request starts from "requesting" (while rendering, not in the effect).
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setState(key ? { ...IDLE, phase: 'requesting' } : IDLE);
  }
  useEffect(() => {
    if (!key) return;
    const r = JSON.parse(key) as SampleRequest;
    const controller = new AbortController();
    explainAndPoll(runId, r, controller.signal, setState, { pollMs, maxPollMs }).catch(
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          ...IDLE,
          phase: 'FAILED',
          error: err instanceof Error ? err.message : String(err),
        });
      },
    );
    return () => controller.abort();
  }, [runId, key, pollMs, maxPollMs]);
  return state;
}
