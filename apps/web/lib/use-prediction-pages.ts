'use client';

import { gqlRequest } from './graphql';
import { PREDICTIONS_QUERY, type Prediction, type PredictionsVariables } from './queries';
import { useCursorPages, type CursorPagesState } from './use-cursor-pages';

/** State of {@link usePredictionPages}. */
export type PredictionPagesState = CursorPagesState<Prediction>;

/**
 * Pages through Run.predictions with `variables` (minus the cursor), `pageSize` at a time:
 * the first page loads when the variables change (`key` identifies them), later pages on
 * {@link PredictionPagesState.loadMore}. A change of variables aborts requests in flight.
 */
export function usePredictionPages(
  key: string,
  variables: Omit<PredictionsVariables, 'after' | 'first'>,
  pageSize: number,
): PredictionPagesState {
  return useCursorPages(`${key}:${pageSize}`, async (after, signal) => {
    const data = await gqlRequest(
      PREDICTIONS_QUERY,
      { ...variables, first: pageSize, after },
      { signal },
    );
    const page = data.run?.predictions;
    if (!page) throw new Error('run not found');
    return page;
  });
}
