import { describe, expect, it, vi } from 'vitest';
import {
  appendPage,
  fetchRange,
  unchangedSignature,
  uniqueById,
  type ConnectionPage,
} from './run-pages';

type Row = { id: string; v?: number };
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));
const page = (ids: string[], hasNextPage: boolean, totalCount = 9): ConnectionPage<Row> => ({
  totalCount,
  pageInfo: { hasNextPage, endCursor: ids.at(-1) ?? null },
  nodes: rows(...ids),
});

/** A server over ids r0..r(n-1) whose cursor is the last id of a page. */
function server(n: number) {
  const all = Array.from({ length: n }, (_, i) => `r${i}`);
  return vi.fn(async (first: number, after: string | null) => {
    const start = after === null ? 0 : all.indexOf(after) + 1;
    const ids = all.slice(start, start + first);
    return Promise.resolve(page(ids, start + first < n, n));
  });
}

describe('uniqueById', () => {
  it('keeps the first row of each id, in order', () => {
    const input = [{ id: 'a', v: 1 }, { id: 'b' }, { id: 'a', v: 2 }, { id: 'c' }, { id: 'b' }];
    expect(uniqueById(input)).toEqual([{ id: 'a', v: 1 }, { id: 'b' }, { id: 'c' }]);
  });
});

describe('appendPage', () => {
  it('appends the next page and takes its pageInfo and count', () => {
    const merged = appendPage(page(['a', 'b'], true, 5), page(['c', 'd'], false, 6));
    expect(merged.nodes.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(merged.pageInfo).toEqual({ hasNextPage: false, endCursor: 'd' });
    expect(merged.totalCount).toBe(6);
  });

  it('lists a run that moved into the next page once, where it was first', () => {
    const merged = appendPage(page(['a', 'b'], true), page(['b', 'c'], true));
    expect(merged.nodes.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('fetchRange', () => {
  it('reads the loaded range in pages of at most maxPage, chained by endCursor', async () => {
    const fetchPage = server(12);
    const range = await fetchRange(fetchPage, 7, 3);
    expect(range.nodes.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(fetchPage.mock.calls).toEqual([
      [3, null],
      [3, 'r2'],
      [1, 'r5'],
    ]);
    expect(range.pageInfo).toEqual({ hasNextPage: true, endCursor: 'r6' });
    expect(range.totalCount).toBe(12);
  });

  it('stops at the end of the connection', async () => {
    const fetchPage = server(4);
    const range = await fetchRange(fetchPage, 10, 3);
    expect(range.nodes).toHaveLength(4);
    expect(range.pageInfo.hasNextPage).toBe(false);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('one request when the range fits a page', async () => {
    const fetchPage = server(500);
    const range = await fetchRange(fetchPage, 200, 500);
    expect(range.nodes).toHaveLength(200);
    expect(fetchPage.mock.calls).toEqual([[200, null]]);
  });

  it('ends on an empty page even if the server says there is more', async () => {
    const fetchPage = vi
      .fn<(first: number, after: string | null) => Promise<ConnectionPage<Row>>>()
      .mockResolvedValueOnce(page(['a'], true))
      .mockResolvedValue({
        totalCount: 1,
        pageInfo: { hasNextPage: true, endCursor: 'a' },
        nodes: [],
      });
    const range = await fetchRange(fetchPage, 5, 1);
    expect(range.nodes.map((r) => r.id)).toEqual(['a']);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });
});

describe('unchangedSignature', () => {
  const shown = page(['r2', 'r1'], false, 2);
  it('on the first check, trusts the shown rows: same total and the newest is shown', () => {
    expect(unchangedSignature(null, { totalCount: 2, newestId: 'r2' }, shown)).toBe(true);
    expect(unchangedSignature(null, { totalCount: 3, newestId: 'r3' }, shown)).toBe(false);
    // One created and one deleted: the total is the same, the newest is not shown.
    expect(unchangedSignature(null, { totalCount: 2, newestId: 'r3' }, shown)).toBe(false);
    // More pages: the newest may be on one not loaded (sorted by another key).
    expect(unchangedSignature(null, { totalCount: 9, newestId: 'r8' }, page(['r1'], true, 9))).toBe(
      true,
    );
  });

  it('then compares with the previous signature', () => {
    const prev = { totalCount: 2, newestId: 'r2' };
    expect(unchangedSignature(prev, { totalCount: 2, newestId: 'r2' }, shown)).toBe(true);
    expect(unchangedSignature(prev, { totalCount: 2, newestId: 'r9' }, shown)).toBe(false);
    expect(unchangedSignature(prev, { totalCount: 1, newestId: 'r2' }, shown)).toBe(false);
  });
});
