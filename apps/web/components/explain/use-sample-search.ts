'use client';
import { gqlRequest } from '../../lib/graphql';
import { searchKey, searchVariables, type SampleSearch } from '../../lib/explain-sample';
import { SAMPLE_SEARCH_QUERY } from '../../lib/explain-sample-queries';
import { useCursorPages, type CursorPagesState } from '../../lib/use-cursor-pages';

/** Samples per page of the picker's search. */
export const SEARCH_PAGE_SIZE = 24;

/** One test sample as the picker lists it. */
export interface FoundSample {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
}

/**
 * Pages through the test split's predictions matching `search` ({@link SEARCH_PAGE_SIZE} at a
 * time). A backward search ("least confident first") asks for last/before pages and reverses
 * each, so the list still grows at its end. A search by index lists nothing.
 */
export function useSampleSearch(
  runId: string,
  search: SampleSearch,
): CursorPagesState<FoundSample> {
  const v = searchVariables(search);
  return useCursorPages(`${runId}:${searchKey(search)}`, async (cursor, signal) => {
    if (!v) return { nodes: [], totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false } };
    const paging = v.backward
      ? { last: SEARCH_PAGE_SIZE, before: cursor }
      : { first: SEARCH_PAGE_SIZE, after: cursor };
    const data = await gqlRequest(
      SAMPLE_SEARCH_QUERY,
      { id: runId, filter: v.filter, orderBy: v.orderBy, ...paging },
      { signal },
    );
    const page = data.run?.predictions;
    if (!page) throw new Error('run not found');
    if (!v.backward) return page;
    return {
      nodes: [...page.nodes].reverse(),
      totalCount: page.totalCount,
      pageInfo: {
        endCursor: page.pageInfo.startCursor,
        hasNextPage: page.pageInfo.hasPreviousPage,
      },
    };
  });
}
