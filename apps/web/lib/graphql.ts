import type { TypedDocumentString } from './gql/graphql';

/** Error carrying the GraphQL `extensions.code` (e.g. NOT_FOUND) or the HTTP status of a failed request. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** API origin used by server-side rendering; the browser goes through the same-origin `/graphql` rewrite. */
export function apiUrl(): string {
  return (process.env.API_URL ?? 'http://localhost:4000').replace(/\/+$/, '');
}

/** Options of {@link gqlRequest}. */
export interface GqlRequestInit {
  signal?: AbortSignal;
  /**
   * Extra request headers. Server code passes the browser's `cookie` here (see `serverGql` in
   * lib/session.ts); in the browser the same-origin request carries the session cookie itself.
   */
  headers?: Record<string, string>;
}

/**
 * Runs one typed GraphQL operation (a `graphql(...)` document of lib/gql) and returns its `data`,
 * typed from the document. On the server it calls the API directly (never cached: runs change
 * while they train); in the browser it posts to same-origin `/graphql`, which next.config.ts
 * forwards. Throws {@link GraphQLRequestError} on HTTP or GraphQL errors. Server components call
 * `serverGql` (lib/session.ts) instead, which forwards the visitor's session: without it the API
 * answers as for an anonymous visitor.
 */
export async function gqlRequest<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  /** The operation's variables (`{}` when it declares none). */
  variables: TVariables,
  init: GqlRequestInit = {},
): Promise<TData> {
  const endpoint = typeof window === 'undefined' ? `${apiUrl()}/graphql` : '/graphql';
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        ...init.headers,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query: document.toString(), variables }),
      cache: 'no-store',
      signal: init.signal,
    });
  } catch (cause) {
    if (cause instanceof Error && cause.name === 'AbortError') throw cause;
    throw new GraphQLRequestError(`Cannot reach the API at ${endpoint}`, 'NETWORK_ERROR', null);
  }
  let body: GraphQLResponse<TData> | null = null;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    // Non-JSON body (proxy error page); reported below with the HTTP status.
  }
  const first = body?.errors?.[0];
  if (first)
    throw new GraphQLRequestError(first.message, first.extensions?.code ?? null, response.status);
  if (!response.ok || !body?.data) {
    throw new GraphQLRequestError(
      `API request failed with HTTP ${response.status}`,
      null,
      response.status,
    );
  }
  return body.data;
}
