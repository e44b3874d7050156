import type { TypedDocumentString } from './gql/graphql';
import { GraphQLRequestError } from './graphql';
import type { DashboardVariables } from './queries';
import { serverGql } from './session';

/** Result of {@link loadRuns}: the data, plus the API's message when `filter.query` did not parse. */
export interface LoadedRuns<T> {
  data: T;
  /** QUERY_SYNTAX_ERROR message (with line:column and a caret excerpt); the data is then unfiltered by the query. */
  queryError: string | null;
}

/**
 * Runs a runs query on the server, as the visitor; when the query language text is rejected (QUERY_SYNTAX_ERROR) it re-runs
 * without it so the page still renders and the error can be shown under the query box.
 */
export async function loadRuns<T>(
  query: TypedDocumentString<T, DashboardVariables>,
  variables: DashboardVariables,
): Promise<LoadedRuns<T>> {
  try {
    return { data: await serverGql(query, variables), queryError: null };
  } catch (err) {
    if (
      !(err instanceof GraphQLRequestError) ||
      err.code !== 'QUERY_SYNTAX_ERROR' ||
      !variables.filter?.query
    )
      throw err;
    const rest = { ...variables.filter };
    delete rest.query;
    const data = await serverGql(query, {
      ...variables,
      filter: Object.keys(rest).length > 0 ? rest : undefined,
    });
    return { data, queryError: err.message };
  }
}
