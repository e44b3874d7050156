// The GraphQL explorer's request side (/explorer): the example its first tab opens with and the
// fetcher GraphiQL runs queries and introspection through. Pure, so it is unit-tested without a
// browser; the GraphiQL component itself is components/explorer.

/** The example the explorer opens with when the browser has no saved tabs yet. */
export const EXPLORER_DEFAULT_QUERY = `# The ConvScope GraphQL API, with your dashboard session.
#
# Run a query: Ctrl-Enter (Cmd-Enter on a Mac) or the play button.
# Docs: the book icon on the left, or Ctrl/Cmd-click a field or type.
# Autocomplete: Ctrl-Space. Every list is paged (first/after; at most 100 at once).

query RecentRuns {
  runs(first: 5) {
    totalCount
    nodes {
      id
      name
      status
      createdAt
      project {
        name
      }
      summary {
        name
        last
        min
        max
      }
    }
  }
}
`;

/** What GraphiQL passes a fetcher: the operation and, from its headers editor, extra headers. */
export interface ExplorerRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A GraphQL response as the explorer shows it (errors included, never thrown). */
export interface ExplorerResponse {
  data?: unknown;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Options of {@link createExplorerFetcher}. */
export interface ExplorerFetcherOptions {
  /** Endpoint; the dashboard's same-origin `/graphql`, which next.config.ts forwards to the API. */
  endpoint?: string;
  /** The fetch to use (tests inject one). */
  fetch?: typeof fetch;
}

/**
 * A GraphiQL fetcher posting JSON to the dashboard's own `/graphql` with the session cookie
 * (same origin), so queries run as the signed-in user. Headers typed into GraphiQL's headers
 * editor (e.g. `Authorization: Bearer <key>`) are sent too. A non-JSON answer (a proxy error
 * page, the API down) becomes a GraphQL error naming the HTTP status rather than a parse crash.
 */
export function createExplorerFetcher(options: ExplorerFetcherOptions = {}) {
  const endpoint = options.endpoint ?? '/graphql';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async (
    request: ExplorerRequest,
    opts?: { headers?: Record<string, unknown> },
  ): Promise<ExplorerResponse> => {
    const extra: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts?.headers ?? {}))
      if (value !== undefined && value !== null) extra[name] = String(value);
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...extra, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          query: request.query,
          variables: request.variables ?? undefined,
          operationName: request.operationName ?? undefined,
        }),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { errors: [{ message: `The dashboard did not answer: ${message}` }] };
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as ExplorerResponse;
    } catch {
      const excerpt = text.trim().slice(0, 200);
      return {
        errors: [
          {
            message: `HTTP ${response.status} ${response.statusText}: the answer is not JSON${excerpt ? ` (${excerpt})` : ''}`,
            extensions: { code: 'BAD_RESPONSE', status: response.status },
          },
        ],
      };
    }
  };
}
