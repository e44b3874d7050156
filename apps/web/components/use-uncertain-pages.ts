'use client';
import { gqlRequest } from '../lib/graphql';
import { UNCERTAINTY_SAMPLES_QUERY } from '../lib/queries';
import type { UncertaintySample } from '../lib/queries';
import { useCursorPages, type CursorPagesState } from '../lib/use-cursor-pages';

/** Samples per page of the most-uncertain gallery. */
export const UNCERTAIN_PAGE_SIZE = 12;

/** Orders of the most-uncertain gallery. */
export type UncertaintyOrder = 'ENTROPY_DESC' | 'MI_DESC';

/**
 * Pages through Uncertainty.samples in `order`, {@link UNCERTAIN_PAGE_SIZE} at a time; a new
 * order (or evaluation) starts over and aborts the request in flight.
 */
export function useUncertainPages(
  runId: string,
  uncertaintyId: string,
  order: UncertaintyOrder,
): CursorPagesState<UncertaintySample> {
  return useCursorPages(`${runId}:${uncertaintyId}:${order}`, async (after, signal) => {
    const data = await gqlRequest(
      UNCERTAINTY_SAMPLES_QUERY,
      { id: runId, uncertaintyId, first: UNCERTAIN_PAGE_SIZE, after, orderBy: order },
      { signal },
    );
    const page = data.run?.uncertainty?.samples;
    if (!page) throw new Error('uncertainty not found');
    return page;
  });
}
