// The GraphQL/HTTP client every libs/ml process uses to talk to the API: credentials
// (resolveApiKey), retries that ride out an API outage (time-budgeted exponential back-off with
// full jitter), and errors that say what to do. Deliberately free of TensorFlow.js so the
// heartbeat worker thread can load it cheaply.
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentString } from './gql/graphql';

export { TypedDocumentString } from './gql/graphql';

/** A GraphQL error returned by the API, with its `extensions.code` (e.g. `STEP_CONFLICT`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    /** The error's other `extensions` (e.g. `reason`, the ids it names), when the API sent any. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Environment variable holding an API key (`cs_...`). */
export const API_KEY_ENV = 'CONVSCOPE_API_KEY';
/** Environment variable naming the local API's key file. */
export const KEY_FILE_ENV = 'CONVSCOPE_KEY_FILE';
/** Environment variable: how long, in seconds, one call keeps retrying while the API is down. */
export const RETRY_BUDGET_ENV = 'CONVSCOPE_RETRY_BUDGET_S';
/** The repository root: a relative CONVSCOPE_KEY_FILE means the same file as for the API. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where the local API writes its admin key by default: `<repo root>/data/local-api-key`. */
export const DEFAULT_KEY_FILE = path.join(REPO_ROOT, 'data', 'local-api-key');

/** Where a client's key came from, for error messages. */
export interface ApiCredentials {
  /** The key sent as `Authorization: Bearer <key>`; undefined: no key is sent. */
  key?: string;
  source: 'option' | 'env' | 'key-file' | 'none';
  /** Human-readable origin, e.g. `the key file /repo/data/local-api-key`. */
  description: string;
}

/** Options of {@link resolveApiKey}. */
export interface ResolveApiKeyOptions {
  /** An explicit key (the `--api-key` flag or the `apiKey` option); wins over everything. */
  apiKey?: string;
  /** The API the key will be sent to: the key file is read only for a loopback host. */
  apiUrl: string;
  /** Environment to read (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Reads a key file; undefined when it is missing (default: `readFileSync`, trimmed). */
  readKeyFile?: (path: string) => string | undefined;
}

function readKeyFileSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // missing or unreadable: as if there were no key file
  }
}

/**
 * True when `apiUrl` points at this machine: `localhost`, 127.0.0.0/8 or `[::1]` (also the
 * IPv4-mapped `[::ffff:127.x.x.x]`). Names that merely resolve to a loopback address do not count.
 */
export function isLoopbackUrl(apiUrl: string): boolean {
  let host: string;
  try {
    host = new URL(apiUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.split('.')[0] === '127';
  if (host === '[::1]') return true;
  // WHATWG URLs normalise ::ffff:127.0.0.1 to [::ffff:7f00:1]: 127.0.0.0/8 is 7f00:0-7fff:ffff.
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/**
 * Picks the API key of a client: the explicit `apiKey` (the `--api-key` flag), else env
 * `CONVSCOPE_API_KEY`, else the local API's key file (env `CONVSCOPE_KEY_FILE`, default
 * `<repo root>/data/local-api-key`) — the key file only when `apiUrl` is a loopback address, so
 * the local admin key is never sent to another machine. Empty values count as absent.
 */
export function resolveApiKey(options: ResolveApiKeyOptions): ApiCredentials {
  const env = options.env ?? process.env;
  const explicit = options.apiKey?.trim();
  if (explicit)
    return { key: explicit, source: 'option', description: 'the --api-key option (apiKey)' };
  const fromEnv = env[API_KEY_ENV]?.trim();
  if (fromEnv)
    return { key: fromEnv, source: 'env', description: `the ${API_KEY_ENV} environment variable` };
  const file = path.resolve(REPO_ROOT, env[KEY_FILE_ENV]?.trim() || DEFAULT_KEY_FILE);
  if (!isLoopbackUrl(options.apiUrl))
    return {
      source: 'none',
      description: `no key (no --api-key or ${API_KEY_ENV}; the local key file is only used for an API on this machine)`,
    };
  const fromFile = (options.readKeyFile ?? readKeyFileSync)(file)?.trim();
  if (fromFile) return { key: fromFile, source: 'key-file', description: `the key file ${file}` };
  return {
    source: 'none',
    description: `no key (no --api-key, no ${API_KEY_ENV}, no key file at ${file})`,
  };
}

/** How a client retries; every duration in ms. */
export interface RetryPolicy {
  /**
   * How long one call keeps retrying once the API has answered this client at least once
   * (default env `CONVSCOPE_RETRY_BUDGET_S`, else 15 minutes): an outage shorter than this is
   * ridden out.
   */
  budgetMs: number;
  /**
   * Budget before the API ever answered this client (default 10 s): a wrong `--api` fails fast,
   * before any work is done.
   */
  connectBudgetMs: number;
  /** First back-off cap; the cap doubles each attempt (default 500). */
  baseDelayMs: number;
  /** Largest back-off cap (default 20 s). */
  maxDelayMs: number;
}

/** Time as the client sees it; injectable so tests of long outages run in milliseconds. */
export interface ClientClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter. */
  random(): number;
}

/** What {@link GraphqlClientOptions.onRetry} is told before each wait. */
export interface RetryInfo {
  /** The call, e.g. `GraphQL request` or `PUT /runs/1/artifacts/model.json`. */
  what: string;
  /** Attempts made so far. */
  attempt: number;
  /** Why the last attempt failed, e.g. `HTTP 503` or `connect ECONNREFUSED 127.0.0.1:4000`. */
  error: string;
  /** Wait before the next attempt. */
  delayMs: number;
  /** Time spent on this call so far. */
  elapsedMs: number;
  /** The budget of this call. */
  budgetMs: number;
}

/** Options of {@link createGraphqlClient}. */
export interface GraphqlClientOptions {
  /** Base URL of the API, e.g. `http://localhost:4000` (with or without `/graphql`). */
  apiUrl: string;
  /** API key; default: resolved by {@link resolveApiKey}. */
  apiKey?: string;
  /** Already resolved credentials (a copy of another client's); win over `apiKey`. */
  credentials?: ApiCredentials;
  /** Retry policy; unset fields take their defaults. */
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout of GraphQL requests in ms (default 30 s; raw HTTP calls get 4x). */
  timeoutMs?: number;
  /** Clock for the back-off (default: real time, Math.random). */
  clock?: Partial<ClientClock>;
  /** Told before every wait, e.g. to print that the API is unreachable. */
  onRetry?(info: RetryInfo): void;
  /** Aborts every request and back-off wait of the client (they fail with code `ABORTED`). */
  signal?: AbortSignal;
}

/** A request body, or a function making a fresh one per attempt (required for streams). */
export type RetryableBody = BodyInit | (() => BodyInit);

/** `RequestInit` for {@link GraphqlClient.http}: the client owns the signal (per-attempt timeout). */
export interface HttpInit extends Omit<RequestInit, 'body' | 'signal'> {
  body?: RetryableBody | null;
}

/**
 * The variables argument of a typed document: optional when the operation declares none or only
 * optional ones, required otherwise.
 */
export type VariablesArg<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** Minimal typed GraphQL client over fetch. */
export interface GraphqlClient {
  /** Origin of the API, without `/graphql`. */
  baseUrl: string;
  /** The key this client sends and where it came from. */
  credentials: ApiCredentials;
  /** The retry policy in effect (for clients made elsewhere with the same behaviour). */
  retry: RetryPolicy;
  /** Per-attempt GraphQL timeout in ms. */
  timeoutMs: number;
  /**
   * Runs one operation: a `graphql(...)` document of tracking/gql, whose result and variables
   * types it carries (codegen checks it against the API's schema).
   */
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): Promise<TResult>;
  /**
   * Raw HTTP call, retried like GraphQL calls: a path of the API (`/runs/...`) or an absolute
   * URL (the key is sent only to the API's own origin). 4xx answers are returned, not thrown,
   * except 401/403.
   */
  http(pathOrUrl: string, init?: HttpInit): Promise<Response>;
}

const MINUTE = 60_000;

function envBudgetMs(): number | undefined {
  const raw = process.env[RETRY_BUDGET_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0)
    throw new Error(`${RETRY_BUDGET_ENV} must be a number of seconds >= 0, got "${raw}"`);
  return s * 1000;
}

/** The policy with defaults filled in. */
export function retryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    budgetMs: partial.budgetMs ?? envBudgetMs() ?? 15 * MINUTE,
    connectBudgetMs: partial.connectBudgetMs ?? 10_000,
    baseDelayMs: partial.baseDelayMs ?? 500,
    maxDelayMs: partial.maxDelayMs ?? 20_000,
  };
}

/**
 * Back-off before attempt `attempt + 1` (`attempt` counts from 0): "full jitter", a uniform
 * draw in [0, min(maxDelay, baseDelay * 2^attempt)), so clients that lost the same server do not
 * come back in lockstep.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random * cap);
}

/** `Retry-After` (seconds or an HTTP date) in ms from `now`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Statuses worth another attempt: the server is down, overloaded or restarting. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** A readable reason of a failed fetch (undici hides the socket error in `cause`). */
function networkReason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return err.message;
  }
  return String(err);
}

/** A sleep that ends early (without error) when `signal` aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The error of a refused credential: what was refused, where the key came from, what to do.
 * @param code `UNAUTHENTICATED` (no or unknown key) or `FORBIDDEN` (role too low)
 */
export function credentialError(
  what: string,
  code: 'UNAUTHENTICATED' | 'FORBIDDEN',
  serverMessage: string,
  credentials: ApiCredentials,
  baseUrl: string,
  status?: number,
): ApiError {
  const problem =
    code === 'FORBIDDEN'
      ? `the API at ${baseUrl} refused ${what}: the key's role is too low`
      : `the API at ${baseUrl} refused ${what}: ${credentials.key ? 'the key is not valid' : 'it needs an API key'}`;
  const fix =
    'Pass a key with --api-key KEY or the CONVSCOPE_API_KEY environment variable; ' +
    'create one with `npm run keys -- create`' +
    (code === 'FORBIDDEN' ? ' (a role that may write runs)' : '') +
    '.';
  return new ApiError(
    `${problem} (${serverMessage || code}). Key used: ${credentials.description}. ${fix}`,
    code,
    status,
  );
}

async function responseMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      message?: string;
      error?: { message?: string };
      errors?: { message?: string }[];
    };
    return body.errors?.[0]?.message ?? body.error?.message ?? body.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

/** What the parts of one client share: its resolved settings and whether the API ever answered. */
interface ClientContext {
  baseUrl: string;
  /** The API's origin: the key is sent to it only. */
  origin: string;
  credentials: ApiCredentials;
  retry: RetryPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
  clock: ClientClock;
  /** Calls the options' `onRetry`, if any. */
  notifyRetry(info: RetryInfo): void;
  /** Until the API answers once, a failure is more likely a wrong URL than an outage. */
  answered: boolean;
}

function clientContext(options: GraphqlClientOptions): ClientContext {
  const baseUrl = options.apiUrl.replace(/\/+$/, '').replace(/\/graphql$/, '');
  const signal = options.signal;
  return {
    baseUrl,
    origin: new URL(baseUrl).origin,
    credentials: options.credentials ?? resolveApiKey({ apiKey: options.apiKey, apiUrl: baseUrl }),
    retry: retryPolicy(options.retry),
    timeoutMs: options.timeoutMs ?? 30_000,
    signal,
    clock: {
      now: options.clock?.now ?? (() => Date.now()),
      sleep: options.clock?.sleep ?? ((ms) => abortableSleep(ms, signal)),
      random: options.clock?.random ?? Math.random,
    },
    notifyRetry: (info) => options.onRetry?.(info),
    answered: false,
  };
}

/** The client's abort signal combined with a per-attempt timeout. */
function attemptSignal(ctx: ClientContext, ms: number): AbortSignal {
  return ctx.signal
    ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ms)])
    : AbortSignal.timeout(ms);
}

/** `headers` plus the bearer key when `url` is on the API's own origin. */
function withKey(ctx: ClientContext, headers: HeadersInit | undefined, url: string): Headers {
  const h = new Headers(headers);
  if (ctx.credentials.key && new URL(url).origin === ctx.origin)
    h.set('authorization', `Bearer ${ctx.credentials.key}`);
  return h;
}

/** One attempt's outcome: a final response, or why it failed and when the server asked us back. */
type AttemptOutcome =
  { res: Response } | { res?: undefined; reason: string; retryAfterMs?: number };

/** Runs one attempt; 401/403 and aborts throw, retryable failures are returned. */
async function attemptOnce(
  ctx: ClientContext,
  what: string,
  attempt: () => Promise<Response>,
): Promise<AttemptOutcome> {
  try {
    const res = await attempt();
    if (res.status === 401 || res.status === 403) {
      ctx.answered = true;
      throw credentialError(
        what,
        res.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        await responseMessage(res),
        ctx.credentials,
        ctx.baseUrl,
        res.status,
      );
    }
    if (!retryableStatus(res.status)) {
      ctx.answered = true;
      return { res };
    }
    return {
      reason: `HTTP ${res.status} ${(await responseMessage(res)).slice(0, 120)}`.trim(),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), ctx.clock.now()),
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return { reason: networkReason(err) };
  }
}

/** Repeats `attempt` with back-off until it gives a final response or the budget is spent. */
async function send(
  ctx: ClientContext,
  what: string,
  attempt: () => Promise<Response>,
): Promise<Response> {
  const { clock, retry } = ctx;
  const started = clock.now();
  for (let n = 0; ; n++) {
    if (ctx.signal?.aborted) throw new ApiError(`${what} aborted`, 'ABORTED');
    const outcome = await attemptOnce(ctx, what, attempt);
    if (outcome.res) return outcome.res;
    const { reason, retryAfterMs } = outcome;
    const budget = ctx.answered ? retry.budgetMs : retry.connectBudgetMs;
    const elapsed = clock.now() - started;
    if (elapsed >= budget)
      throw new ApiError(
        `${what} failed after ${n + 1} attempts in ${seconds(elapsed)}: ${reason} (is the API running at ${ctx.baseUrl}?)`,
        'UNREACHABLE',
      );
    const delayMs = Math.min(
      retryAfterMs ?? backoffDelay(n, retry, clock.random()),
      budget - elapsed,
    );
    ctx.notifyRetry({
      what,
      attempt: n + 1,
      error: reason,
      delayMs,
      elapsedMs: elapsed,
      budgetMs: budget,
    });
    await clock.sleep(delayMs);
  }
}

/** The client's `request`: a GraphQL POST whose first error is thrown as an {@link ApiError}. */
function createRequest(ctx: ClientContext): GraphqlClient['request'] {
  return async <TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArg<TVariables>
  ): Promise<TResult> => {
    const query = document.toString();
    const url = `${ctx.baseUrl}/graphql`;
    const payload = JSON.stringify({ query, variables });
    const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const what = op ? `GraphQL ${op}` : 'GraphQL request';
    const res = await send(ctx, what, () =>
      fetch(url, {
        method: 'POST',
        headers: withKey(ctx, { 'content-type': 'application/json' }, url),
        body: payload,
        signal: attemptSignal(ctx, ctx.timeoutMs),
      }),
    );
    const body = (await res.json().catch(() => null)) as {
      data?: TResult;
      errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
    } | null;
    if (!body)
      throw new ApiError(
        `GraphQL response was not JSON (HTTP ${res.status})`,
        'BAD_RESPONSE',
        res.status,
      );
    const e = body.errors?.[0];
    if (e !== undefined) {
      const code = e.extensions?.code ?? 'GRAPHQL_ERROR';
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
        throw credentialError(what, code, e.message, ctx.credentials, ctx.baseUrl, res.status);
      throw new ApiError(e.message, code, res.status, e.extensions);
    }
    return body.data as TResult;
  };
}

/** The client's `http`: a raw call with a body made fresh for every attempt. */
function createHttp(ctx: ClientContext): GraphqlClient['http'] {
  const { baseUrl } = ctx;
  return (pathOrUrl: string, init: HttpInit = {}): Promise<Response> => {
    const url = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
    const { body, ...rest } = init;
    if (body instanceof ReadableStream)
      throw new ApiError(
        'a stream body cannot be sent again on a retry: pass a function that creates it',
        'BAD_REQUEST_BODY',
      );
    const what = `${init.method ?? 'GET'} ${url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url}`;
    return send(ctx, what, () => {
      const fresh = typeof body === 'function' ? body() : body;
      return fetch(url, {
        ...rest,
        headers: withKey(ctx, rest.headers, url),
        body: fresh,
        // Node's fetch wants this for stream bodies (made fresh by the factory each attempt).
        ...(fresh instanceof ReadableStream ? { duplex: 'half' } : {}),
        signal: attemptSignal(ctx, ctx.timeoutMs * 4),
      });
    });
  };
}

/**
 * Creates a client that rides out an API outage: network errors, timeouts, 5xx, 408 and 429 are
 * retried with exponential back-off and full jitter (honouring `Retry-After`) until the call's
 * time budget is spent. GraphQL errors (bad input, conflicts) are never retried: they would fail
 * again. 401/403 fail at once with a message naming the key's origin. Mutations sent through it
 * must be idempotent (the API's createRun, logMetrics, logEvaluation and artifact PUTs are).
 */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const ctx = clientContext(options);
  return {
    baseUrl: ctx.baseUrl,
    credentials: ctx.credentials,
    retry: ctx.retry,
    timeoutMs: ctx.timeoutMs,
    request: createRequest(ctx),
    http: createHttp(ctx),
  };
}
