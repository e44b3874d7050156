import { cache } from 'react';
import { GraphQLRequestError, gqlRequest } from './graphql';
import { RUN_QUERY, type RunData } from './queries';
import type { RunDetail } from './types';

/**
 * Loads a run for server rendering, or null when the id is unknown (the API may answer `null`
 * or a NOT_FOUND / BAD_USER_INPUT error for a malformed id). Cached per request so metadata and
 * page share one call.
 */
export const loadRun = cache(async (id: string): Promise<RunDetail | null> => {
  try {
    const data = await gqlRequest<RunData, { id: string }>(RUN_QUERY, { id });
    return data.run;
  } catch (err) {
    if (
      err instanceof GraphQLRequestError &&
      (err.code === 'NOT_FOUND' || err.code === 'BAD_USER_INPUT')
    )
      return null;
    throw err;
  }
});
