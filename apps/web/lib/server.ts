import { cache } from 'react';
import { GraphQLRequestError } from './graphql';
import { RUN_QUERY, type RunDetail } from './queries';
import { serverGql } from './session';

/**
 * Loads a run for server rendering, as the visitor, or null when the id is unknown (the API may
 * answer `null` or a NOT_FOUND / BAD_USER_INPUT error for a malformed id) or the run is private
 * and nobody is signed in (UNAUTHENTICATED: the not-found page then offers to sign in). Cached
 * per request so metadata and page share one call.
 */
export const loadRun = cache(async (id: string): Promise<RunDetail | null> => {
  try {
    const data = await serverGql(RUN_QUERY, { id });
    return data.run;
  } catch (err) {
    if (
      err instanceof GraphQLRequestError &&
      (err.code === 'NOT_FOUND' || err.code === 'BAD_USER_INPUT' || err.code === 'UNAUTHENTICATED')
    )
      return null;
    throw err;
  }
});
