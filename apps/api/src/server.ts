// The API server: GraphQL (Apollo) at /graphql plus artifact, export and sample-image routes
// and /healthz on the same express app, the heartbeat reaper, and migrations applied before
// anything else.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { applyMigrations, DEFAULT_DATABASE_URL, repoRoot } from '@convscope/prisma';
import { toNodeHandler } from 'better-auth/node';
import { artifactRoutes } from './artifact/artifact.routes';
import { parseArtifactsUrl } from './artifact/create-artifact-store';
import { authSecret, ensureLocalKey } from './auth/bootstrap';
import { principalMiddleware, principalOf } from './auth/http-guard';
import { rateLimitMiddleware } from './auth/rate-limit';
import { createApp, createContext, type ApiContext } from './common/context';
import type { RunLimits } from './common/limits';
import {
  corsMiddleware,
  httpErrorHandler,
  requireJsonBody,
  resolveAllowedOrigins,
  securityHeaders,
} from './common/http-security';
import { debugErrorsEnabled, formatGraphQLError } from './common/internal-error';
import {
  documentNestingGuard,
  graphqlLimits,
  pointsBudgetPlugin,
  resolveRequestLimits,
  type RequestLimits,
} from './common/request-limits';
import { exportRoutes } from './export/export.routes';
import { explainJobRoutes } from './explain-job/explain-job.routes';
import { systemClock, type Clock } from './common/clock';
import { createDatabase, type Database } from './db/prisma';
import { sampleRoutes } from './sample/sample.routes';
import { loadApiSchema } from './schema-loader';
import { responseMediaTypePlugin } from './common/response-media-type';
import { pageBudgetPlugin } from './common/page-budget';
import { landingPagePlugin, resolveExplorerUrl } from './common/landing-page';
import { createLiveBus } from './live/live-bus';
import { LiveHub, resolveLiveLimits, type LiveLimits } from './live/live-hub';
import { LivePublisher } from './live/live-publisher';
import { liveRoutes } from './live/live.routes';

/** Options of {@link startApiServer}; each defaults from the environment. */
export interface ApiServerOptions {
  /** Port (0 = random). Default env API_PORT or 4000. */
  port?: number;
  /** Interface to bind. Default env API_HOST, else 127.0.0.1 (this machine only). */
  host?: string;
  /** Limits of one GraphQL request; each defaults from its env variable (see request-limits.ts). */
  requestLimits?: Partial<RequestLimits>;
  /**
   * Rows one run may hold: evaluations, uncertainty evaluations, distinct metric names. Default
   * LIMITS (1,000 each, see common/limits.ts); tests lower them.
   */
  runLimits?: Partial<RunLimits>;
  /** Default env DATABASE_URL or file:./data/convscope.db (relative to the repo root). */
  databaseUrl?: string;
  /** Default env ARTIFACTS_DIR or ./data/artifacts (relative to the repo root). */
  artifactsDir?: string;
  /**
   * `s3://bucket/prefix`: artifacts in S3-compatible object storage (endpoint, region and
   * credentials from AWS_*; artifactsDir then only spools uploads in flight). Default env
   * ARTIFACTS_URL, else the local folder.
   */
  artifactsUrl?: string;
  /**
   * Downloads redirect to presigned URLs of this many seconds when the store can make them.
   * Default: env ARTIFACTS_PRESIGN=1 gives ARTIFACTS_PRESIGN_TTL_S or 300; otherwise off.
   */
  artifactsPresignTtlS?: number | null;
  /** Origin used in Artifact.url. Default env API_PUBLIC_URL or http://localhost:<port>. */
  publicUrl?: string;
  /** Upload limit. Default env MAX_ARTIFACT_BYTES or 256 MiB. */
  maxArtifactBytes?: number;
  /** RUNNING runs silent this long are failed. Default env RUN_HEARTBEAT_TIMEOUT_S or 60. */
  heartbeatTimeoutS?: number;
  /** How often the reaper runs. Default env RUN_REAPER_INTERVAL_MS or min(timeout/4, 15 s). */
  reaperIntervalMs?: number;
  /**
   * Time of the reaper (its timer, the grace period after a start, heartbeat ages) and of the
   * explanation-job time-outs. Default: the system clock; tests pass a FakeClock.
   */
  clock?: Clock;
  /** Largest image POST /runs/:id/explain accepts (413 above). Default env MAX_EXPLAIN_IMAGE_BYTES or 16 MiB. */
  maxExplainImageBytes?: number;
  /** A claimed explanation job without a result this long is requeued. Default env EXPLAIN_JOB_TIMEOUT_S or 120. */
  explainJobTimeoutS?: number;
  /** Default long-poll of POST /runs/:id/explain in seconds. Default env EXPLAIN_WAIT_S or 10. */
  explainWaitS?: number;
  /**
   * Where the local admin key is kept (mode 0600) for CLIs and workers on this machine.
   * Default env CONVSCOPE_KEY_FILE or ./data/local-api-key (relative to the repo root).
   */
  keyFile?: string;
  /** The dashboard's origin: base of login links, allowed by CORS. Default env WEB_ORIGIN or http://localhost:<WEB_PORT or 3000>. */
  webOrigin?: string;
  /** Requests per minute per API key or user. Default env RATE_LIMIT_PER_MIN or 6000. */
  rateLimitPerMin?: number;
  /** Requests per minute per address without credentials. Default env RATE_LIMIT_ANON_PER_MIN or 600. */
  rateLimitAnonPerMin?: number;
  /** A queued job's lease in seconds (workers heartbeat within it). Default env JOB_LEASE_S or 30. */
  jobLeaseS?: number;
  /** Claims of a queued job (training or explanation) before it fails. Default env JOB_MAX_ATTEMPTS or 3. */
  jobMaxAttempts?: number;
  /** How often each instance ticks the RUNNING and PAUSED sweeps. Default env SWEEP_TICK_MS or 5000. */
  sweepTickMs?: number;
  /** Budget of GET /live/events streams; each defaults from its LIVE_* env variable (live/live-hub.ts). */
  liveLimits?: Partial<LiveLimits>;
}

/** A running API server. */
export interface ApiServer {
  /** GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** SQL statements sent so far (tests use it to check DataLoader batching). */
  queryCount(): number;
  /** Runs the heartbeat reaper once; returns the ids of the runs it failed. */
  reapNow(): Promise<string[]>;
  /** Ticks every RUNNING or PAUSED sweep once (queue more runs, ASHA stops); returns their ids. */
  tickSweeps(): Promise<string[]>;
  /** The local admin key (also in the key file). */
  localKey: string;
  /** E-mail of the owner account. */
  ownerEmail: string;
  /** A one-time dashboard login link (15 minutes) for a user, by default the owner. */
  loginLink(email?: string): Promise<string>;
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${raw}`);
  return n;
}

/**
 * Re-codes variable-coercion failures of `logMetrics(points: [{ value: null }])` — what a
 * JSON client sends for NaN/Infinity — as INVALID_METRIC_VALUE naming the metric and step.
 */
const invalidMetricValuePlugin: ApolloServerPlugin<ApiContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, request }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        const vars = request.variables ?? {};
        response.body.singleResult.errors = response.body.singleResult.errors.map((e) => {
          const m = /^Variable "\$(\w+)" got invalid value .* at "\w+\[(\d+)\]\.value"/s.exec(
            e.message,
          );
          const [, variable, index] = m ?? [];
          const list = variable === undefined ? undefined : vars[variable];
          if (!Array.isArray(list)) return e;
          const point = list[Number(index)] as { name?: unknown; step?: unknown } | undefined;
          const metric = String(point?.name ?? '?');
          const step = point?.step ?? null;
          return {
            ...e,
            message: `Metric "${metric}" at step ${String(step)} has a non-finite value (NaN/Infinity are sent as null in JSON)`,
            extensions: { ...e.extensions, code: 'INVALID_METRIC_VALUE', metric, step },
          };
        });
      },
    };
  },
};

/** Extra origins allowed by CORS and the auth routes (env CORS_ORIGINS, comma-separated). */
function corsOrigins(): string[] {
  return (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/** What {@link startApiServer} runs with: its options, filled in from the environment and checked. */
interface ServerSettings {
  databaseUrl: string;
  artifactsDir: string;
  artifactsUrl: string | null;
  artifactsPresignTtlS: number | null;
  maxArtifactBytes: number;
  heartbeatTimeoutS: number;
  clock: Clock;
  reaperIntervalMs: number;
  requestedPort: number;
  /** The host as configured (empty or absent: none, so links say localhost). */
  hostSetting: string | undefined;
  host: string;
  limits: RequestLimits;
  allowedOrigins: string[];
  debugErrors: boolean;
  keyFile: string;
  webOrigin: string;
}

/** The options with their defaults (reading the environment in a fixed order); throws on bad values. */
function resolveSettings(options: ApiServerOptions): ServerSettings {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const artifactsDir = path.resolve(
    repoRoot,
    options.artifactsDir ?? process.env.ARTIFACTS_DIR ?? './data/artifacts',
  );
  const artifactsUrl = options.artifactsUrl ?? (process.env.ARTIFACTS_URL || null);
  parseArtifactsUrl(artifactsUrl, artifactsDir); // a bad ARTIFACTS_URL stops the start here
  const artifactsPresignTtlS =
    options.artifactsPresignTtlS !== undefined
      ? options.artifactsPresignTtlS
      : process.env.ARTIFACTS_PRESIGN === '1'
        ? (envNumber('ARTIFACTS_PRESIGN_TTL_S') ?? 300)
        : null;
  if (artifactsPresignTtlS !== null && !(artifactsPresignTtlS > 0))
    throw new Error(`ARTIFACTS_PRESIGN_TTL_S must be > 0, got ${artifactsPresignTtlS}`);
  const maxArtifactBytes =
    options.maxArtifactBytes ?? envNumber('MAX_ARTIFACT_BYTES') ?? 256 * 1024 * 1024;
  const heartbeatTimeoutS = options.heartbeatTimeoutS ?? envNumber('RUN_HEARTBEAT_TIMEOUT_S') ?? 60;
  const clock = options.clock ?? systemClock;
  const reaperIntervalMs =
    options.reaperIntervalMs ??
    envNumber('RUN_REAPER_INTERVAL_MS') ??
    Math.max(100, Math.min((heartbeatTimeoutS * 1000) / 4, 15_000));
  const requestedPort = options.port ?? envNumber('API_PORT') ?? 4000;
  if (!(heartbeatTimeoutS > 0))
    throw new Error(`heartbeatTimeoutS must be > 0, got ${heartbeatTimeoutS}`);
  if (!(maxArtifactBytes > 0))
    throw new Error(`maxArtifactBytes must be > 0, got ${maxArtifactBytes}`);
  const hostSetting = options.host ?? process.env.API_HOST;
  // Only this machine by default: the dashboard proxies to it, and nothing here is meant for the network.
  const host = hostSetting || '127.0.0.1';
  const limits = resolveRequestLimits(options.requestLimits);
  // The dashboard's origin (WEB_ORIGIN) and CORS_ORIGINS.
  const allowedOrigins = resolveAllowedOrigins({ webOrigin: options.webOrigin });
  const debugErrors = debugErrorsEnabled();
  const keyFile = path.resolve(
    repoRoot,
    options.keyFile ?? process.env.CONVSCOPE_KEY_FILE ?? './data/local-api-key',
  );
  const webOrigin = (
    options.webOrigin ??
    process.env.WEB_ORIGIN ??
    `http://localhost:${process.env.WEB_PORT ?? 3000}`
  ).replace(/\/+$/, '');
  return {
    databaseUrl,
    artifactsDir,
    artifactsUrl,
    artifactsPresignTtlS,
    maxArtifactBytes,
    heartbeatTimeoutS,
    clock,
    reaperIntervalMs,
    requestedPort,
    hostSetting,
    host,
    limits,
    allowedOrigins,
    debugErrors,
    keyFile,
    webOrigin,
  };
}

type App = ReturnType<typeof createApp>;

/** Repositories and services on the database; `publicUrl` is read lazily (the port comes later). */
function buildApp(
  db: Database,
  settings: ServerSettings,
  options: ApiServerOptions,
  publicUrl: () => string,
  live?: LivePublisher,
): App {
  const { keyFile, webOrigin } = settings;
  return createApp(db.prisma, db.kind, {
    artifactsDir: settings.artifactsDir,
    artifactsUrl: settings.artifactsUrl,
    artifactsPresignTtlS: settings.artifactsPresignTtlS,
    maxArtifactBytes: settings.maxArtifactBytes,
    runLimits: options.runLimits,
    publicUrl,
    clock: settings.clock,
    live,
    // pg-boss on PostgreSQL (its own schema in the same database); the Job table on SQLite.
    queue: {
      databaseUrl: settings.databaseUrl,
      leaseS: options.jobLeaseS ?? envNumber('JOB_LEASE_S'),
      maxAttempts: options.jobMaxAttempts ?? envNumber('JOB_MAX_ATTEMPTS'),
    },
    explain: {
      maxImageBytes: options.maxExplainImageBytes ?? envNumber('MAX_EXPLAIN_IMAGE_BYTES'),
      jobTimeoutS: options.explainJobTimeoutS ?? envNumber('EXPLAIN_JOB_TIMEOUT_S'),
      waitS: options.explainWaitS ?? envNumber('EXPLAIN_WAIT_S'),
    },
    auth: {
      // Beside the key file; set CONVSCOPE_AUTH_SECRET to share it between API instances.
      secret: authSecret(path.join(path.dirname(keyFile), 'auth-secret')),
      baseUrl: webOrigin,
      trustedOrigins: [webOrigin, ...corsOrigins()],
    },
  });
}

/**
 * The heartbeat reaper: fails RUNNING runs silent for `heartbeatTimeoutS` and requeues (or fails)
 * explanation jobs whose worker died; returns the ids of the runs it failed.
 */
function createReaper(app: App, clock: Clock, heartbeatTimeoutS: number): () => Promise<string[]> {
  // A restart is an outage for every worker: their heartbeats were refused while the API was
  // away. Runs are judged only once the API has been up for a whole timeout, so a live worker
  // gets one full period to reach the new process (an orphan of a dead worker fails then).
  const upSince = clock.now();
  return async () => {
    const inGrace = clock.now() - upSince < heartbeatTimeoutS * 1000;
    const failed = inGrace ? [] : await app.services.run.reapStale(heartbeatTimeoutS);
    if (failed.length)
      console.warn(
        `[api] reaper failed ${failed.length} run(s) without heartbeat: ${failed.join(', ')}`,
      );
    // Queued jobs whose lease expired: retried on another worker, or their run fails.
    const leases = await app.services.queue.reapLeases();
    if (leases.retried.length || leases.failed.length || leases.cancelled.length)
      console.warn(
        `[api] expired job leases: ${leases.retried.length} retried, ${leases.failed.length} failed, ${leases.cancelled.length} cancelled`,
      );
    failed.push(...leases.failed);
    // Explanation jobs whose worker died go back to the queue (or fail after their last claim).
    const jobs = await app.services.explainJob.recoverStale();
    if (jobs.requeued.length || jobs.failed.length)
      console.warn(
        `[api] explanation jobs without a result: ${jobs.requeued.length} requeued, ${jobs.failed.length} failed`,
      );
    return failed;
  };
}

/** The started Apollo server, with the query limits and error formatting of `settings`. */
async function startApollo(
  httpServer: http.Server,
  { limits, debugErrors, webOrigin }: ServerSettings,
): Promise<ApolloServer<ApiContext>> {
  const schema = await loadApiSchema();
  // Depth, alias, cost, directive and token limits: checked before any resolver runs.
  const queryLimits = graphqlLimits(limits);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: true,
    // Stack traces only on request and never in production: clients branch on extensions.code.
    includeStacktraceInErrorResponses: debugErrors,
    validationRules: queryLimits.validationRules,
    parseOptions: queryLimits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      invalidMetricValuePlugin,
      responseMediaTypePlugin,
      ...queryLimits.plugins,
      pointsBudgetPlugin(limits),
      pageBudgetPlugin(),
      // GET /graphql in a browser: a page of ours linking the dashboard's explorer (Apollo's
      // default landing page loads its explorer from a CDN, so offline it had none).
      landingPagePlugin({ explorerUrl: resolveExplorerUrl({ webOrigin }) }),
    ],
    // Internal errors (no code of ours) are logged by id and answered with the id only.
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, { limits, debug: debugErrors }),
  });
  await apollo.start();
  return apollo;
}

/** What {@link mountRoutes} mounts. */
interface RouteParts {
  app: App;
  db: Database;
  apollo: ApolloServer<ApiContext>;
  allowedOrigins: string[];
  options: ApiServerOptions;
  /** This instance's live streams (GET /live/events). */
  hub: LiveHub;
}

/** Security headers, CORS, /healthz and the auth routes: before the caller is known. */
function mountPublicRoutes(
  expressApp: express.Express,
  { app, db, allowedOrigins }: RouteParts,
): void {
  expressApp.disable('x-powered-by');
  expressApp.use(securityHeaders());
  // CORS: the dashboard's origin (and CORS_ORIGINS) only, with credentials.
  expressApp.use(corsMiddleware(allowedOrigins));
  expressApp.get('/healthz', (_req, res) => {
    res.json({ ok: true, database: db.kind });
  });
  // Sign-in, sessions and sign-out (better-auth). Login links are minted by the server only.
  const authHandler = toNodeHandler(app.identity.auth);
  expressApp.all('/api/auth/{*rest}', (req, res) => {
    if (/^\/api\/auth\/(sign-in\/magic-link|sign-up)/.test(req.path)) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'Not available' });
      return;
    }
    void authHandler(req, res);
  });
}

/** Every route, in order: public ones, then the caller and rate limit, REST routes, /graphql, errors. */
function mountRoutes(expressApp: express.Express, parts: RouteParts): void {
  const { app, apollo, options } = parts;
  mountPublicRoutes(expressApp, parts);
  // Everything below knows its caller (and refuses a bad key with 401 before doing anything).
  expressApp.use(principalMiddleware(app.identity.principals, app.repos.access));
  expressApp.use(
    rateLimitMiddleware({
      perMinute: options.rateLimitPerMin ?? envNumber('RATE_LIMIT_PER_MIN') ?? 6000,
      anonymousPerMinute:
        options.rateLimitAnonPerMin ?? envNumber('RATE_LIMIT_ANON_PER_MIN') ?? 600,
    }),
  );
  expressApp.use(artifactRoutes(app.services.artifact));
  expressApp.use(exportRoutes(app.services.export));
  expressApp.use(sampleRoutes(app.services.sample));
  expressApp.use(explainJobRoutes(app.services.explainJob));
  expressApp.use(
    liveRoutes(parts.hub, { projects: app.services.project, access: app.repos.access }),
  );
  expressApp.use(
    '/graphql',
    requireJsonBody(),
    express.json({ limit: '64mb' }),
    documentNestingGuard(),
    expressMiddleware(apollo, {
      context: ({ res }) => Promise.resolve(createContext(app, principalOf(res), closeSignal(res))),
    }),
  );
  // Malformed or oversized bodies: 400/413/415 with a code in GraphQL's error shape; anything
  // else: 500 with an error id only.
  expressApp.use(httpErrorHandler());
}

/** Aborts when the response closes: sent, or the client went away (long-poll claims stop). */
function closeSignal(res: express.Response): AbortSignal {
  const closed = new AbortController();
  res.once('close', () => closed.abort());
  return closed.signal;
}

/** Binds the port; on failure (e.g. EADDRINUSE) stops Apollo and closes the database, then throws. */
async function listen(
  httpServer: http.Server,
  { requestedPort, host }: ServerSettings,
  opened: { apollo: ApolloServer<ApiContext>; db: Database },
): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(requestedPort, host, () => resolve());
    });
  } catch (err) {
    // Release what was opened so the caller can retry or exit cleanly.
    await opened.apollo.stop().catch(() => undefined);
    await opened.db.close().catch(() => undefined);
    throw err;
  }
  return (httpServer.address() as AddressInfo).port;
}

/** The host as links show it: localhost when unset or a wildcard, IPv6 in brackets. */
function displayHostOf({ hostSetting, host }: ServerSettings): string {
  if (!hostSetting || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The express app on an HTTP server whose keep-alive outlasts the dashboard proxy's. */
function createHttpServer(): { expressApp: express.Express; httpServer: http.Server } {
  const expressApp = express();
  const httpServer = http.createServer(expressApp);
  // The dashboard's proxy keeps connections open between requests; Node's 5 s default closed
  // them under it, and a request sent on a just-closed socket failed with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  return { expressApp, httpServer };
}

/**
 * Sweeps queue their next runs from the database on every instance's tick (no leader needed:
 * run indexes are claimed with compare-and-swap). One tick at a time per instance.
 */
function startSweepTicker(app: ReturnType<typeof buildApp>, clock: Clock, tickMs?: number) {
  let sweepTick: Promise<string[]> | undefined;
  const tickSweeps = () =>
    (sweepTick ??= app.services.sweep.tickAll().finally(() => {
      sweepTick = undefined;
    }));
  const timer = clock.setInterval(
    () => {
      tickSweeps().catch((err: unknown) => console.error('[api] sweep tick failed', err));
    },
    tickMs ?? envNumber('SWEEP_TICK_MS') ?? 5000,
  );
  timer.unref();
  return { tickSweeps, timer, idle: () => sweepTick?.catch(() => undefined) };
}

/** Starts the API (migrating the database first). */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const settings = resolveSettings(options);
  const { clock } = settings;
  await applyMigrations(settings.databaseUrl);
  const db = createDatabase(settings.databaseUrl);
  let publicUrl = (options.publicUrl ?? process.env.API_PUBLIC_URL ?? '').replace(/\/+$/, '');
  // Live notices: LISTEN/NOTIFY between instances on PostgreSQL, in-process on SQLite.
  const bus = createLiveBus(settings.databaseUrl);
  await bus.start();
  const live = new LivePublisher(bus);
  const app = buildApp(db, settings, options, () => publicUrl, live);
  // Long-poll claims wake on the queue notices of every instance.
  app.services.workers.waits.listenTo(bus);
  // A key revoked on one instance must stop working on all of them, not after their caches expire.
  const forgetHere = app.services.identity.onKeyRevoked;
  app.services.identity.onKeyRevoked = () => {
    forgetHere?.();
    live.keysRevoked();
  };
  bus.subscribe((m) => {
    if (m.kind === 'keys.revoked' || m.kind === 'resync') app.identity.principals.forgetKeys();
  });
  const hub = new LiveHub(bus, resolveLiveLimits(options.liveLimits));
  const local = await ensureLocalKey({
    identity: app.services.identity,
    principals: app.identity.principals,
    keyFile: settings.keyFile,
  });
  // pg-boss creates or migrates its schema (once across instances) before any job is queued.
  await app.services.queue.queue.start();
  const reap = createReaper(app, clock, settings.heartbeatTimeoutS);
  // Explanation jobs of a dead worker go back to the queue now; runs after the grace period.
  await reap();
  // Temp files of uploads a crashed process left behind.
  await app.services.artifact.sweepTemp();

  const { expressApp, httpServer } = createHttpServer();
  const apollo = await startApollo(httpServer, settings);
  mountRoutes(expressApp, {
    app,
    db,
    apollo,
    allowedOrigins: settings.allowedOrigins,
    options,
    hub,
  });
  const port = await listen(httpServer, settings, { apollo, db }).catch(async (err: unknown) => {
    hub.close();
    await bus.close();
    throw err;
  });
  const displayHost = displayHostOf(settings);
  if (!publicUrl) publicUrl = `http://${displayHost}:${port}`;

  const timer = clock.setInterval(() => {
    reap().catch((err: unknown) => console.error('[api] heartbeat reaper failed', err));
  }, settings.reaperIntervalMs);
  timer.unref();
  const sweeps = startSweepTicker(app, clock, options.sweepTickMs);
  const { tickSweeps, timer: sweepTimer } = sweeps;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost}:${port}/graphql`,
    port,
    queryCount: db.queryCount,
    reapNow: reap,
    tickSweeps,
    localKey: local.key,
    ownerEmail: local.ownerEmail,
    loginLink: (email) => app.services.identity.loginLink(email ?? local.ownerEmail),
    close() {
      closing ??= (async () => {
        clock.clear(timer);
        clock.clear(sweepTimer);
        // Waiting claims answer null now instead of holding the drain for up to 25 s.
        app.services.workers.waits.close();
        await sweeps.idle();
        // Open streams would hold the HTTP server's drain: end them first.
        hub.close();
        live.close();
        await bus.close();
        await apollo.stop();
        await app.services.queue.queue.stop();
        await db.close();
      })();
      return closing;
    },
  };
}
