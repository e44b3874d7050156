import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { KeyValue, PageRequest } from './connection';
import {
  compareKeys,
  decodeKeyset,
  encodeKeyset,
  pageRequest,
  pageSorted,
  toConnection,
} from './connection';

interface Item {
  score: number | null;
  id: string;
}
const keyOf = (i: Item): KeyValue[] => [i.score, i.id];
const DIRS = ['desc', 'asc'] as const;
const LIMITS = { kind: 'item:score', defaultSize: 2, maxSize: 5 };
const cursorOf = (i: Item) => encodeKeyset(LIMITS.kind, keyOf(i));
const sortItems = (items: Item[]) =>
  [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b), DIRS));

function page(sorted: Item[], request: PageRequest) {
  return toConnection(pageSorted(sorted, request, keyOf, DIRS), request, cursorOf);
}

describe('keyset cursors', () => {
  it('round-trips a key and refuses another kind or garbage', () => {
    const c = encodeKeyset('run:created', ['2026-01-01T00:00:00.000Z', 'abc']);
    expect(decodeKeyset(c, 'run:created')).toEqual(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(() => decodeKeyset(c, 'run:name')).toThrow(/another field or ordering/);
    expect(() => decodeKeyset('b2Zmc2V0OjU', 'run:created')).toThrow(/Invalid cursor/);
    expect(() => decodeKeyset('!!', 'run:created', 'before')).toThrow(/Invalid cursor/);
  });

  it('sorts nulls last in both directions', () => {
    expect(compareKeys([null], [1], ['asc'])).toBeGreaterThan(0);
    expect(compareKeys([null], [1], ['desc'])).toBeGreaterThan(0);
    expect(compareKeys([2], [1], ['desc'])).toBeLessThan(0);
    expect(compareKeys([1, 'a'], [1, 'b'], ['desc', 'asc'])).toBeLessThan(0);
  });
});

describe('pageRequest', () => {
  it('defaults to the first page forward and checks sizes', () => {
    expect(pageRequest({}, LIMITS)).toEqual({ direction: 'forward', size: 2, key: null });
    expect(pageRequest({ last: 3 }, LIMITS)).toEqual({ direction: 'backward', size: 3, key: null });
    expect(() => pageRequest({ first: 6 }, LIMITS)).toThrow('first must be between 0 and 5');
    expect(() => pageRequest({ last: -1 }, LIMITS)).toThrow('last must be between 0 and 5');
    expect(() => pageRequest({ first: 1, last: 1 }, LIMITS)).toThrow(/not both/);
    expect(() => pageRequest({ first: 1, before: 'x' }, LIMITS)).toThrow(/forward with first/);
  });
});

describe('pageSorted + toConnection', () => {
  const items = sortItems([
    { score: 0.9, id: 'a' },
    { score: 0.5, id: 'b' },
    { score: 0.9, id: 'c' },
    { score: null, id: 'd' },
    { score: 0.7, id: 'e' },
  ]);

  it('walks forward and backward over the whole list with the same items', () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p = page(items, pageRequest({ first: 2, after }, LIMITS));
      ids.push(...p.nodes.map((n) => n.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(ids).toEqual(['a', 'c', 'e', 'b', 'd']);

    const back: string[] = [];
    let before: string | null = null;
    for (;;) {
      const p = page(items, pageRequest({ last: 2, before }, LIMITS));
      back.unshift(...p.nodes.map((n) => n.id));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(back).toEqual(ids);
  });

  it('reports both sides of a middle page', () => {
    const first = page(items, pageRequest({ first: 2 }, LIMITS));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = page(items, pageRequest({ first: 2, after: first.pageInfo.endCursor }, LIMITS));
    expect(second.nodes.map((n) => n.id)).toEqual(['e', 'b']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(second.edges[0]?.cursor).toBe(second.pageInfo.startCursor);
  });

  it('neither repeats nor skips an item when rows are inserted between pages', () => {
    const first = page(items, pageRequest({ first: 2 }, LIMITS));
    // A new best item sorts before the cursor; another sorts after it.
    const grown = sortItems([...items, { score: 1, id: 'z' }, { score: 0.6, id: 'y' }]);
    const second = page(grown, pageRequest({ first: 3, after: first.pageInfo.endCursor }, LIMITS));
    expect(second.nodes.map((n) => n.id)).toEqual(['e', 'y', 'b']);
  });
});

describe('compareKeys on mixed types', () => {
  it('puts numbers before strings before booleans in both directions, nulls last', () => {
    const values: KeyValue[] = ['b', null, true, 2, 'a', 1];
    const sorted = (dir: 'asc' | 'desc') =>
      [...values].sort((a, b) => compareKeys([a], [b], [dir]));
    expect(sorted('asc')).toEqual([1, 2, 'a', 'b', true, null]);
    expect(sorted('desc')).toEqual([2, 1, 'b', 'a', true, null]);
  });
});
