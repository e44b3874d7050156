// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunListItem, RunsData, RunStatus } from '../lib/queries';
import { useRunsPages } from './use-runs-pages';

/** A run row with only what the hook reads filled in. */
const run = (i: number, status: RunStatus): RunListItem =>
  ({ id: `r${String(i).padStart(3, '0')}`, status }) as RunListItem;

/** A fake API over `rows` (cursor: the id of a page's last row) answering Runs documents. */
function fakeApi(rows: RunListItem[]) {
  const calls: { first: number; after: string | null }[] = [];
  const page = (first: number, after: string | null): RunsData => {
    const start = after === null ? 0 : rows.findIndex((r) => r.id === after) + 1;
    const nodes = rows.slice(start, start + first);
    return {
      runs: {
        totalCount: rows.length,
        pageInfo: { hasNextPage: start + first < rows.length, endCursor: nodes.at(-1)?.id ?? null },
        nodes,
      },
    };
  };
  const signatures = { count: 0 };
  const fetchMock = vi.fn((_url: string, init: RequestInit) => {
    const { query, variables } = JSON.parse(init.body as string) as {
      query: string;
      variables: { first: number; after?: string | null };
    };
    if (query.includes('query RunsSignature')) {
      signatures.count += 1;
      const data = {
        runs: { totalCount: rows.length, nodes: rows.slice(0, 1).map((r) => ({ id: r.id })) },
      };
      return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200 }));
    }
    calls.push({ first: variables.first, after: variables.after ?? null });
    const data = page(variables.first, variables.after ?? null);
    return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200 }));
  });
  return { calls, signatures, fetchMock, page };
}

const variables = { orderBy: { by: { field: 'CREATED_AT' }, direction: 'DESC' } } as const;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useRunsPages', () => {
  it('appends the next page, then refreshes the whole loaded range while a run is live', async () => {
    // 450 runs; the only queued one is the 301st, on the second page.
    const rows = Array.from({ length: 450 }, (_, i) => run(i, i === 300 ? 'QUEUED' : 'COMPLETED'));
    const api = fakeApi(rows);
    vi.stubGlobal('fetch', api.fetchMock);
    const { result } = renderHook(() =>
      useRunsPages(api.page(200, null), variables as Parameters<typeof useRunsPages>[1]),
    );
    expect(result.current.live).toBe(false);

    await act(async () => {
      result.current.loadMore();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(api.calls).toEqual([{ first: 200, after: 'r199' }]);
    const ids = result.current.data.runs.nodes.map((r) => r.id);
    expect(ids).toHaveLength(400);
    expect(new Set(ids).size).toBe(400);
    expect(ids[399]).toBe('r399');
    expect(result.current.data.runs.pageInfo).toEqual({ hasNextPage: true, endCursor: 'r399' });
    expect(result.current.live, 'the second page has a queued run').toBe(true);

    // The queued run finishes; the next refresh reads both pages and stops polling.
    rows[300] = run(300, 'COMPLETED');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3000);
    });
    expect(api.calls.slice(1)).toEqual([{ first: 400, after: null }]);
    expect(result.current.data.runs.nodes).toHaveLength(400);
    expect(result.current.data.runs.nodes[300]?.status).toBe('COMPLETED');
    expect(result.current.live).toBe(false);
  });

  it('shows a run created after load while nothing was live: a cheap check, then one re-read', async () => {
    const rows = Array.from({ length: 3 }, (_, i) => run(3 - i, 'COMPLETED'));
    const api = fakeApi(rows);
    vi.stubGlobal('fetch', api.fetchMock);
    const { result } = renderHook(() =>
      useRunsPages(api.page(200, null), variables as Parameters<typeof useRunsPages>[1]),
    );
    expect(result.current.live).toBe(false);
    // Nothing changed: the idle check reads no rows.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(api.signatures.count).toBe(1);
    expect(api.calls).toEqual([]);
    // A run is created and finishes between two checks: the next check sees it.
    rows.unshift(run(4, 'COMPLETED'));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(api.signatures.count).toBe(2);
    expect(api.calls).toEqual([{ first: 200, after: null }]);
    expect(result.current.data.runs.nodes.map((r) => r.id)).toEqual([
      'r004',
      'r003',
      'r002',
      'r001',
    ]);
    expect(result.current.data.runs.totalCount).toBe(4);
  });

  it('keeps the loaded rows and says why when a page fails', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => run(i, 'COMPLETED'));
    const api = fakeApi(rows);
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(new Response('bad gateway', { status: 502 }))),
    );
    const { result } = renderHook(() =>
      useRunsPages(api.page(200, null), variables as Parameters<typeof useRunsPages>[1]),
    );
    await act(async () => {
      result.current.loadMore();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.loadMoreError).toBe('API request failed with HTTP 502');
    expect(result.current.loadingMore).toBe(false);
    expect(result.current.data.runs.nodes).toHaveLength(200);
  });

  it('polls nothing while the live stream is up and re-reads on a notice about a shown run', async () => {
    const streams = fakeEventSource();
    const rows = Array.from({ length: 3 }, (_, i) => run(3 - i, i === 0 ? 'RUNNING' : 'COMPLETED'));
    const api = fakeApi(rows);
    vi.stubGlobal('fetch', api.fetchMock);
    const { result } = renderHook(() =>
      useRunsPages(api.page(200, null), { ...variables, filter: { projects: ['p'] } }),
    );
    expect(streams.urls).toEqual(['/live/events?project=p']);
    await act(async () => {
      streams.emit('ready', {});
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.stream).toBe('live');
    // Opening the stream re-reads once (changes since the render were not announced)...
    expect(api.calls).toEqual([{ first: 200, after: null }]);
    // ...then a running row, yet no request for 30 s: changes are pushed.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(api.calls).toHaveLength(1);
    expect(api.signatures.count).toBe(0);
    // New points of the running run: one re-read of the rows.
    rows[0] = run(3, 'COMPLETED');
    await act(async () => {
      streams.emit('run.metrics', { runId: 'r003', projectId: 'x' });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(api.calls).toHaveLength(2);
    expect(result.current.data.runs.nodes[0]?.status).toBe('COMPLETED');
    // The stream drops: the table falls back to polling.
    act(() => streams.fail());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(result.current.stream).toBe('reconnecting');
    expect(api.signatures.count).toBe(1);
  });
});

describe('useRunsPages with the stream up and nothing live', () => {
  it('shows a run created before the stream opened (its catch-up survives the switch from polling)', async () => {
    const streams = fakeEventSource();
    const rows = Array.from({ length: 3 }, (_, i) => run(3 - i, 'COMPLETED'));
    const api = fakeApi(rows);
    vi.stubGlobal('fetch', api.fetchMock);
    const { result } = renderHook(() =>
      useRunsPages(api.page(200, null), { ...variables, filter: { projects: ['p'] } }),
    );
    // Created while the stream was still connecting: never announced.
    rows.unshift(run(4, 'COMPLETED'));
    await act(async () => {
      streams.emit('ready', {});
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(result.current.data.runs.nodes.map((r) => r.id)[0]).toBe('r004');
    const before = api.calls.length;
    rows.unshift(run(5, 'COMPLETED'));
    await act(async () => {
      streams.emit('run.created', { runId: 'r005', projectId: 'x' });
      await vi.advanceTimersByTimeAsync(0);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(api.calls.length).toBe(before + 1);
    expect(result.current.data.runs.nodes.map((r) => r.id)[0]).toBe('r005');
  });
});

/** A stand-in for the browser's EventSource: records URLs, lets the test emit events. */
function fakeEventSource() {
  const urls: string[] = [];
  let current: { listeners: Map<string, ((e: MessageEvent) => void)[]>; es: FakeEs } | null = null;
  class FakeEs {
    static readonly CLOSED = 2;
    readyState = 1;
    onerror: (() => void) | null = null;
    constructor(url: string) {
      urls.push(url);
      current = { listeners: new Map(), es: this };
    }
    addEventListener(kind: string, fn: (e: MessageEvent) => void) {
      const list = current?.listeners.get(kind) ?? [];
      list.push(fn);
      current?.listeners.set(kind, list);
    }
    close() {
      this.readyState = 2;
    }
  }
  vi.stubGlobal('EventSource', FakeEs);
  return {
    urls,
    emit(kind: string, data: object) {
      for (const fn of current?.listeners.get(kind) ?? [])
        fn(new MessageEvent(kind, { data: JSON.stringify(data) }));
    },
    fail() {
      if (!current) return;
      current.es.readyState = 0; // CONNECTING: the browser retries
      current.es.onerror?.();
    },
  };
}
