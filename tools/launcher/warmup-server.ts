// The warm-up server: while `npm start` builds the dashboard, it serves the warm-up page
// (warmup-page.ts) on the dashboard's port, on loopback only, and its status endpoint, which
// forwards ONE fixed GraphQL query (the demo run's curves) to the API with the launcher's key.
// Nothing from the request reaches the API: the run id is the launcher's own (from the demo
// worker's output). It is closed, connections included, before the dashboard binds the port.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  WARMUP_HEADER,
  WARMUP_METRICS,
  WARMUP_STATUS_PATH,
  renderWarmupPage,
  shapeCharts,
  type MetricSeriesIn,
  type WarmupState,
} from './warmup-page';

/** The fixed query of the status endpoint: the run, and its curves (downsampled, bounded). */
export const DEMO_METRICS_QUERY = `query WarmupDemoRun($id: ID!, $names: [String!]!) {
  run(id: $id) { id name status metrics(names: $names, maxPoints: 300) { name points { step value } } }
}`;

/** The demo run as the API answers the fixed query. */
export interface DemoRunMetrics {
  id: string;
  name: string;
  status: string;
  metrics: MetricSeriesIn[];
}

/**
 * Fetches the demo run's curves from the API's GraphQL endpoint with `key()` (the launcher's
 * local key, read at each call: the API writes it at its first start); null when the API knows
 * no such run. Rejects on a network error or a GraphQL error.
 */
export async function fetchDemoRun(options: {
  apiUrl: string;
  key: () => string | null;
  runId: string;
}): Promise<DemoRunMetrics | null> {
  const key = options.key();
  const res = await fetch(`${options.apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({
      query: DEMO_METRICS_QUERY,
      variables: { id: options.runId, names: WARMUP_METRICS },
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    data?: { run: DemoRunMetrics | null } | null;
    errors?: { message: string }[];
  };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data?.run ?? null;
}

/** Options of {@link startWarmupServer}. */
export interface WarmupServerOptions {
  /** The dashboard's port (0: any free port, for tests). */
  port: number;
  /** Where to listen (default: 127.0.0.1 and ::1 where available; the curves are private). */
  hosts?: string[];
  /** The latest `[web]` lines (the server keeps the last {@link MAX_BUILD_LINES}). */
  buildLines: () => readonly string[];
  /** The demo run's id once known, else null. */
  runId: () => string | null;
  /** Fetches the demo run (default {@link fetchDemoRun}); injected by tests. */
  fetchRun: (runId: string) => Promise<DemoRunMetrics | null>;
  /** Why no demo runs (e.g. DEMO=0, or the database had runs); null when one is expected. */
  noDemoNote?: () => string | null;
}

/** A started warm-up server. */
export interface WarmupServer {
  /** The port it listens on. */
  port: number;
  /** Stops listening and ends every open connection; resolves once the port is free. */
  close(): Promise<void>;
}

/** Build lines kept for the page. */
export const MAX_BUILD_LINES = 40;

/** The page's state now: build lines, and the demo run's curves when it exists. */
async function currentState(options: WarmupServerOptions): Promise<WarmupState> {
  const build = options.buildLines().slice(-MAX_BUILD_LINES);
  const runId = options.runId();
  if (!runId) return { build, run: null, charts: [], note: options.noDemoNote?.() ?? null };
  try {
    const run = await options.fetchRun(runId);
    if (!run) return { build, run: null, charts: [], note: 'The demo run is not in the API yet.' };
    return {
      build,
      run: { id: run.id, name: run.name, status: run.status },
      charts: shapeCharts(run.metrics),
      note: null,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { build, run: null, charts: [], note: `The API did not answer (${why}); retrying.` };
  }
}

/** Whether a Host header names this machine (localhost, 127.0.0.1, [::1]; any port). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    const name = new URL(`http://${host}`).hostname;
    return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
  } catch {
    return false;
  }
}

/** Starts the warm-up server; resolves once it listens on every host. */
export async function startWarmupServer(options: WarmupServerOptions): Promise<WarmupServer> {
  const handler: http.RequestListener = (req, res) => {
    // Every response says it is the warm-up's (the page navigates on one that does not) and
    // closes its connection, so nothing keeps the port busy at the hand-over.
    res.setHeader(WARMUP_HEADER, '1');
    res.setHeader('connection', 'close');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Loopback names only: a page on another site that rebinds its name to 127.0.0.1 must not
    // read the demo's curves through the launcher's key.
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('loopback only');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    void currentState(options).then(
      (state) => {
        if (url.pathname === WARMUP_STATUS_PATH) {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(state));
          return;
        }
        // Any other path (/, /runs/x, ...) gets the page: the user may open any dashboard URL.
        const nonce = randomBytes(16).toString('base64');
        res.writeHead(503, {
          'content-type': 'text/html; charset=utf-8',
          'retry-after': '2',
          'content-security-policy': [
            "default-src 'none'",
            `script-src 'nonce-${nonce}'`,
            `style-src 'nonce-${nonce}'`,
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
          ].join('; '),
        });
        res.end(renderWarmupPage(state, nonce));
      },
      () => res.writeHead(500).end(),
    );
  };
  const hosts = options.hosts ?? ['127.0.0.1', '::1'];
  const servers: http.Server[] = [];
  let port = options.port;
  for (const host of hosts) {
    const server = http.createServer(handler);
    const listened = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        // No IPv6 on this machine: 127.0.0.1 alone serves localhost.
        host === '::1' && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')
          ? resolve(false)
          : reject(err),
      );
      server.listen(port, host, () => resolve(true));
    });
    if (!listened) continue;
    servers.push(server);
    // Port 0: the other hosts take the port the first one got.
    port = (server.address() as AddressInfo).port;
  }
  return {
    port,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
