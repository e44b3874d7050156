/** A GraphQL error returned by the API, with its `extensions.code` (e.g. `STEP_CONFLICT`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Options of {@link createGraphqlClient}. */
export interface GraphqlClientOptions {
  /** Base URL of the API, e.g. `http://localhost:4000` (with or without `/graphql`). */
  apiUrl: string;
  /** Attempts for a call that fails on the network or with a 5xx (default 6). */
  retries?: number;
  /** First back-off delay in ms, doubled each attempt (default 250). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

/** Minimal typed GraphQL client over fetch. */
export interface GraphqlClient {
  /** Origin of the API, without `/graphql`. */
  baseUrl: string;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Raw HTTP call to the same server, retried like GraphQL calls. */
  http(path: string, init: RequestInit): Promise<Response>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates a client that retries transient failures (network errors, 5xx, timeouts) with
 * exponential back-off. GraphQL errors (bad input, conflicts) are never retried: they would fail again.
 * Mutations sent through it must be idempotent (the API's createRun and logMetrics are).
 */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const baseUrl = options.apiUrl.replace(/\/+$/, '').replace(/\/graphql$/, '');
  const retries = options.retries ?? 6;
  const backoff = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function withRetry(what: string, call: () => Promise<Response>): Promise<Response> {
    let lastError: unknown;
    for (let attempt = 0; attempt < retries; attempt++) {
      if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1));
      try {
        const res = await call();
        if (res.status >= 500) {
          lastError = new ApiError(
            `${what}: HTTP ${res.status} ${await res.text().catch(() => '')}`,
            'SERVER_ERROR',
            res.status,
          );
          continue;
        }
        return res;
      } catch (err) {
        lastError = err;
      }
    }
    const msg = lastError instanceof Error ? lastError.message : String(lastError);
    throw new ApiError(
      `${what} failed after ${retries} attempts: ${msg} (is the API running at ${baseUrl}?)`,
      'UNREACHABLE',
    );
  }

  return {
    baseUrl,
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await withRetry('GraphQL request', () =>
        fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
      const body = (await res.json().catch(() => null)) as {
        data?: T;
        errors?: { message: string; extensions?: { code?: string } }[];
      } | null;
      if (!body)
        throw new ApiError(
          `GraphQL response was not JSON (HTTP ${res.status})`,
          'BAD_RESPONSE',
          res.status,
        );
      if (body.errors?.length) {
        const e = body.errors[0];
        throw new ApiError(e.message, e.extensions?.code ?? 'GRAPHQL_ERROR', res.status);
      }
      return body.data as T;
    },
    http(path: string, init: RequestInit): Promise<Response> {
      return withRetry(`${init.method ?? 'GET'} ${path}`, () =>
        fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs * 4) }),
      );
    },
  };
}
