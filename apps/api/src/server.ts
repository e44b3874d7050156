// The API server: GraphQL (Apollo) at /graphql plus artifact, export and sample-image routes
// and /healthz on the same express app, the heartbeat reaper, and migrations applied before
// anything else.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
// eslint-disable-next-line @nx/enforce-module-boundaries -- prisma/ is the shared, non-project schema folder (generated clients, migrations)
import { applyMigrations } from '../../../prisma/migrate.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- prisma/ is the shared, non-project schema folder (generated clients, migrations)
import { DEFAULT_DATABASE_URL, repoRoot } from '../../../prisma/database-url.js';
import { artifactRoutes } from './artifact/artifact.routes.js';
import { createApp, createContext, type ApiContext } from './common/context.js';
import { exportRoutes } from './export/export.routes.js';
import { explainJobRoutes } from './explain-job/explain-job.routes.js';
import { createDatabase } from './db/prisma.js';
import { sampleRoutes } from './sample/sample.routes.js';
import { loadApiSchema } from './schema-loader.js';

/** Options of {@link startApiServer}; each defaults from the environment. */
export interface ApiServerOptions {
  /** Port (0 = random). Default env API_PORT or 4000. */
  port?: number;
  /** Interface to bind. Default env API_HOST, else all interfaces (IPv4 and IPv6). */
  host?: string;
  /** Default env DATABASE_URL or file:./data/convscope.db (relative to the repo root). */
  databaseUrl?: string;
  /** Default env ARTIFACTS_DIR or ./data/artifacts (relative to the repo root). */
  artifactsDir?: string;
  /** Origin used in Artifact.url. Default env API_PUBLIC_URL or http://localhost:<port>. */
  publicUrl?: string;
  /** Upload limit. Default env MAX_ARTIFACT_BYTES or 256 MiB. */
  maxArtifactBytes?: number;
  /** RUNNING runs silent this long are failed. Default env RUN_HEARTBEAT_TIMEOUT_S or 60. */
  heartbeatTimeoutS?: number;
  /** How often the reaper runs. Default env RUN_REAPER_INTERVAL_MS or min(timeout/4, 15 s). */
  reaperIntervalMs?: number;
  /** Largest image POST /runs/:id/explain accepts (413 above). Default env MAX_EXPLAIN_IMAGE_BYTES or 16 MiB. */
  maxExplainImageBytes?: number;
  /** A claimed explanation job without a result this long is requeued. Default env EXPLAIN_JOB_TIMEOUT_S or 120. */
  explainJobTimeoutS?: number;
  /** Claims of an explanation job before a lost worker fails it. Default env EXPLAIN_MAX_ATTEMPTS or 2. */
  explainMaxAttempts?: number;
  /** Default long-poll of POST /runs/:id/explain in seconds. Default env EXPLAIN_WAIT_S or 10. */
  explainWaitS?: number;
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
          const list = m ? vars[m[1]] : undefined;
          if (!m || !Array.isArray(list)) return e;
          const point = list[Number(m[2])] as { name?: unknown; step?: unknown } | undefined;
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

/** Starts the API (migrating the database first). */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const artifactsDir = path.resolve(
    repoRoot,
    options.artifactsDir ?? process.env.ARTIFACTS_DIR ?? './data/artifacts',
  );
  const maxArtifactBytes =
    options.maxArtifactBytes ?? envNumber('MAX_ARTIFACT_BYTES') ?? 256 * 1024 * 1024;
  const heartbeatTimeoutS = options.heartbeatTimeoutS ?? envNumber('RUN_HEARTBEAT_TIMEOUT_S') ?? 60;
  const reaperIntervalMs =
    options.reaperIntervalMs ??
    envNumber('RUN_REAPER_INTERVAL_MS') ??
    Math.max(100, Math.min((heartbeatTimeoutS * 1000) / 4, 15_000));
  const requestedPort = options.port ?? envNumber('API_PORT') ?? 4000;
  if (!(heartbeatTimeoutS > 0))
    throw new Error(`heartbeatTimeoutS must be > 0, got ${heartbeatTimeoutS}`);
  if (!(maxArtifactBytes > 0))
    throw new Error(`maxArtifactBytes must be > 0, got ${maxArtifactBytes}`);
  const host = options.host ?? process.env.API_HOST;

  await applyMigrations(databaseUrl);
  const db = createDatabase(databaseUrl);
  let publicUrl = (options.publicUrl ?? process.env.API_PUBLIC_URL ?? '').replace(/\/+$/, '');
  const app = createApp(db.prisma, db.kind, {
    artifactsDir,
    maxArtifactBytes,
    publicUrl: () => publicUrl,
    explain: {
      maxImageBytes: options.maxExplainImageBytes ?? envNumber('MAX_EXPLAIN_IMAGE_BYTES'),
      jobTimeoutS: options.explainJobTimeoutS ?? envNumber('EXPLAIN_JOB_TIMEOUT_S'),
      maxAttempts: options.explainMaxAttempts ?? envNumber('EXPLAIN_MAX_ATTEMPTS'),
      waitS: options.explainWaitS ?? envNumber('EXPLAIN_WAIT_S'),
    },
  });
  const reap = async () => {
    const failed = await app.services.run.reapStale(heartbeatTimeoutS);
    if (failed.length)
      console.warn(
        `[api] reaper failed ${failed.length} run(s) without heartbeat: ${failed.join(', ')}`,
      );
    // Explanation jobs whose worker died go back to the queue (or fail after their last claim).
    const jobs = await app.services.explainJob.recoverStale();
    if (jobs.requeued.length || jobs.failed.length)
      console.warn(
        `[api] explanation jobs without a result: ${jobs.requeued.length} requeued, ${jobs.failed.length} failed`,
      );
    return failed;
  };
  // Runs left RUNNING by a previous API process or a dead worker are failed right away.
  await reap();

  const schema = await loadApiSchema();
  const expressApp = express();
  const httpServer = http.createServer(expressApp);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: true,
    // Stack traces only on request: clients branch on extensions.code, not on internals.
    includeStacktraceInErrorResponses: process.env.API_DEBUG_ERRORS === '1',
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), invalidMetricValuePlugin],
    formatError(formatted, error) {
      // Our own errors carry a code; anything else is a bug or an infrastructure failure.
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR')
        console.error('[api] internal error', error);
      return formatted;
    },
  });
  await apollo.start();

  expressApp.disable('x-powered-by');
  // CORS: the dashboard runs on another origin and polls this API.
  expressApp.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ??
        'Content-Type, Authorization, If-None-Match, apollo-require-preflight',
    );
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Length, Content-Disposition');
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  expressApp.get('/healthz', (_req, res) => {
    res.json({ ok: true, database: db.kind });
  });
  expressApp.use(artifactRoutes(app.services.artifact));
  expressApp.use(exportRoutes(app.services.export));
  expressApp.use(sampleRoutes(app.services.sample));
  expressApp.use(explainJobRoutes(app.services.explainJob));
  expressApp.use(
    '/graphql',
    express.json({ limit: '64mb' }),
    expressMiddleware(apollo, { context: async () => createContext(app) }),
  );

  // Malformed or oversized JSON bodies: answer in GraphQL's error shape instead of HTML.
  expressApp.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    const code =
      status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status < 500
          ? 'BAD_USER_INPUT'
          : 'INTERNAL_SERVER_ERROR';
    if (status >= 500) console.error('[api] request failed', err);
    res.status(status).json({
      errors: [{ message: (err as Error).message ?? 'Request failed', extensions: { code } }],
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(requestedPort, host, () => resolve());
    });
  } catch (err) {
    // e.g. EADDRINUSE: release what was opened so the caller can retry or exit cleanly.
    await apollo.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const displayHost =
    !host || host === '0.0.0.0' || host === '::'
      ? 'localhost'
      : host.includes(':')
        ? `[${host}]`
        : host;
  if (!publicUrl) publicUrl = `http://${displayHost}:${port}`;

  const timer = setInterval(() => {
    reap().catch((err: unknown) => console.error('[api] heartbeat reaper failed', err));
  }, reaperIntervalMs);
  timer.unref();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost}:${port}/graphql`,
    port,
    queryCount: db.queryCount,
    reapNow: reap,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await apollo.stop();
        await db.close();
      })();
      return closing;
    },
  };
}
