// @vitest-environment jsdom
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useProjector } from './use-projector';
import { useRequestProjection } from './use-request-projection';

interface Call {
  url: string;
  query?: string;
  variables?: Record<string, unknown>;
}

/** A fake fetch: /graphql answered by `graphql` in turn, anything else by `other`; records calls. */
function fakeFetch(
  graphql: unknown[],
  other: (url: string) => Response = () => new Response('', { status: 404 }),
) {
  const calls: Call[] = [];
  let n = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init?: RequestInit) => {
      if (url !== '/graphql') {
        calls.push({ url });
        return Promise.resolve(other(url));
      }
      const body = JSON.parse(init!.body as string) as {
        query: string;
        variables: Record<string, unknown>;
      };
      calls.push({ url, ...body });
      const data = graphql[Math.min(n++, graphql.length - 1)];
      return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200 }));
    }),
  );
  return calls;
}

const b64 = (a: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const artifact = {
  version: 1,
  count: 2,
  classNames: ['a', 'b'],
  imageShape: [2, 2, 1],
  featureLayer: 'dense',
  featureDim: 4,
  labels: b64(Uint16Array.of(0, 1)),
  predicted: b64(Uint16Array.of(0, 0)),
  confidence: b64(Uint16Array.of(65535, 0)),
  layouts: [
    {
      method: 'pca',
      points: 2,
      coords: b64(Uint16Array.of(0, 0, 65535, 65535)),
      bounds: [0, 1, 0, 1],
    },
  ],
  timings: {},
  skipped: [],
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useProjector', () => {
  it('asks nothing for a run that does not list the artifact (no 404 in the console)', () => {
    const calls = fakeFetch([]);
    const { result } = renderHook(() => useProjector('r1', false));
    expect(result.current.state).toEqual({ status: 'missing' });
    expect(calls).toEqual([]);
  });

  it('fetches and decodes a listed artifact', async () => {
    const calls = fakeFetch([], () => new Response(JSON.stringify(artifact), { status: 200 }));
    const { result } = renderHook(() => useProjector('r 1', true));
    await waitFor(() => expect(result.current.state.status).toBe('ready'));
    expect(calls[0]!.url).toBe('/runs/r%201/artifacts/projector.json');
    const state = result.current.state;
    if (state.status !== 'ready') throw new Error('not ready');
    expect(Array.from(state.data.predicted)).toEqual([0, 0]);
  });

  it('says what is wrong with a malformed artifact', async () => {
    fakeFetch([], () => new Response(JSON.stringify({ version: 9 }), { status: 200 }));
    const { result } = renderHook(() => useProjector('r1', true));
    await waitFor(() =>
      expect(result.current.state).toEqual({
        status: 'error',
        message: 'not a projector artifact (version 1)',
      }),
    );
  });
});

describe('useRequestProjection', () => {
  it('requests the projection, polls its job until DONE, then calls onDone', async () => {
    const calls = fakeFetch([
      { requestProjection: { id: 'j1', status: 'QUEUED', error: null } },
      { explanationJob: { id: 'j1', status: 'RUNNING', error: null } },
      { explanationJob: { id: 'j1', status: 'DONE', error: null } },
    ]);
    const onDone = vi.fn();
    const { result } = renderHook(() => useRequestProjection('r1', onDone, 5));
    result.current.request();
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(result.current.state).toEqual({ phase: 'DONE', error: null });
    expect(calls.map((c) => c.variables)).toEqual([
      { runId: 'r1', force: false },
      { id: 'j1' },
      { id: 'j1' },
    ]);
    expect(calls[0]!.query).toContain('requestProjection');
  });

  it('shows the reason of a FAILED job and does not call onDone', async () => {
    fakeFetch([
      { requestProjection: { id: 'j1', status: 'QUEUED', error: null } },
      { explanationJob: { id: 'j1', status: 'FAILED', error: 'run r1 stored no test images' } },
    ]);
    const onDone = vi.fn();
    const { result } = renderHook(() => useRequestProjection('r1', onDone, 5));
    result.current.request();
    await waitFor(() => expect(result.current.state.phase).toBe('FAILED'));
    expect(result.current.state.error).toBe('run r1 stored no test images');
    expect(onDone).not.toHaveBeenCalled();
  });
});
