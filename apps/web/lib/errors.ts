import { GraphQLRequestError } from './graphql';

/** A message for an inline error: the API's own words, or what failed. */
export function errorMessage(err: unknown, fallback = 'The request failed.'): string {
  if (err instanceof GraphQLRequestError) {
    if (err.code === 'UNAUTHENTICATED')
      return 'Your session has ended. Sign in again (reload the page) and retry.';
    if (err.code === 'RATE_LIMITED') return 'Too many requests. Wait a moment and retry.';
    return err.message;
  }
  return err instanceof Error && err.message ? err.message : fallback;
}
