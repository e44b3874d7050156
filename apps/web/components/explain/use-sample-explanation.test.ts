// @vitest-environment jsdom
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSampleExplanation, type SampleRequest } from './use-sample-explanation';
import { useSampleSearch } from './use-sample-search';

interface Call {
  query: string;
  variables: Record<string, unknown>;
}

/** A fake /graphql answering each request with the next of `answers` (data objects); records them. */
function fakeGraphql(answers: ((c: Call) => unknown)[]) {
  const calls: Call[] = [];
  const fetchMock = vi.fn((_url: string, init: RequestInit) => {
    const call = JSON.parse(init.body as string) as Call;
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return Promise.resolve(new Response(JSON.stringify({ data: answer(call) }), { status: 200 }));
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

const heat = [
  [0, 1],
  [0.5, 0.25],
];
const job = (status: string, result: unknown = null) => ({
  id: 'j1',
  status,
  error: status === 'FAILED' ? 'model missing' : null,
  result,
});
const request: SampleRequest = {
  index: 40,
  classIndex: 3,
  layer: 'conv1',
  methods: ['gradcam', 'integrated-gradients'],
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useSampleExplanation', () => {
  it('asks explainSample with the enum names, then polls the job until DONE', async () => {
    const done = {
      predictions: [{ classIndex: 3, className: 'Dress', probability: 0.4 }],
      methods: [
        {
          method: 'gradcam',
          classIndex: 3,
          className: 'Dress',
          layer: 'conv1',
          heatmap: heat,
          faithfulness: { deletionAuc: 0.1, insertionAuc: 0.5 },
        },
      ],
    };
    const calls = fakeGraphql([
      () => ({ explainSample: { cached: false, job: job('QUEUED') } }),
      () => ({ explanationJob: job('RUNNING') }),
      () => ({ explanationJob: job('DONE', done) }),
    ]);
    const phases: string[] = [];
    const { result } = renderHook(() => {
      const s = useSampleExplanation('run1', request, { pollMs: 1, maxPollMs: 2 });
      if (phases.at(-1) !== s.phase) phases.push(s.phase);
      return s;
    });
    await waitFor(() => expect(result.current.phase).toBe('DONE'));
    // Renders may merge two quick answers: the phases shown follow this order, first to last.
    const order = ['requesting', 'QUEUED', 'RUNNING', 'DONE'];
    expect(phases[0]).toBe('requesting');
    expect(phases.map((p) => order.indexOf(p))).toEqual(
      [...phases.map((p) => order.indexOf(p))].sort((a, b) => a - b),
    );
    expect(result.current.cached).toBe(false);
    expect(result.current.result?.methods.map((m) => m.method)).toEqual(['gradcam']);
    expect(calls[0]?.variables).toEqual({
      runId: 'run1',
      input: {
        split: 'test',
        index: 40,
        methods: ['GRADCAM', 'INTEGRATED_GRADIENTS'],
        classIndex: 3,
        layer: 'conv1',
      },
    });
    expect(calls.slice(1).map((c) => c.variables)).toEqual([{ id: 'j1' }, { id: 'j1' }]);
  });

  it('shows a cached answer at once without polling, and a failed job with its reason', async () => {
    const calls = fakeGraphql([
      () => ({ explainSample: { cached: true, job: job('DONE', { methods: [] }) } }),
    ]);
    const initialProps: { r: SampleRequest | null } = { r: request };
    const { result, rerender } = renderHook(
      ({ r }) => useSampleExplanation('run1', r, { pollMs: 1 }),
      { initialProps },
    );
    await waitFor(() => expect(result.current.phase).toBe('DONE'));
    expect(result.current.cached).toBe(true);
    expect(calls).toHaveLength(1);

    fakeGraphql([() => ({ explainSample: { cached: false, job: job('FAILED') } })]);
    rerender({ r: { ...request, index: 41 } });
    await waitFor(() => expect(result.current.phase).toBe('FAILED'));
    expect(result.current.error).toBe('model missing');
    rerender({ r: null });
    expect(result.current.phase).toBe('idle');
  });
});

describe('useSampleSearch', () => {
  it('reads "least confident first" backwards with last/before and reverses each page', async () => {
    const node = (index: number, confidence: number) => ({
      index,
      label: 0,
      predicted: 1,
      confidence,
      correct: false,
    });
    const calls = fakeGraphql([
      () => ({
        run: {
          predictions: {
            totalCount: 30,
            pageInfo: {
              startCursor: 'c6',
              endCursor: 'c29',
              hasNextPage: false,
              hasPreviousPage: true,
            },
            // The descending order's last page: 0.30 down to 0.10.
            nodes: [node(6, 0.3), node(9, 0.2), node(2, 0.1)],
          },
        },
      }),
    ]);
    const { result } = renderHook(() =>
      useSampleSearch('run1', {
        by: 'confidence',
        min: 0,
        max: 0.5,
        order: 'least',
        misclassifiedOnly: true,
      }),
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.nodes.map((n) => n.index)).toEqual([2, 9, 6]);
    expect(result.current.hasMore).toBe(true);
    expect(result.current.totalCount).toBe(30);
    expect(calls[0]?.variables).toEqual({
      id: 'run1',
      filter: { minConfidence: 0, maxConfidence: 0.5, misclassifiedOnly: true },
      orderBy: 'CONFIDENCE_DESC',
      last: 24,
      before: null,
    });
  });
});
