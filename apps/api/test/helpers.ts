// Test fixtures: a real API server on port 0 against a fresh SQLite file or a fresh
// PostgreSQL schema, plus a small GraphQL client.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../src/server';

/** PostgreSQL used by the suite (trust auth). Override with TEST_POSTGRES_URL. */
export const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';

/** A database the suite runs against. */
export interface TestDatabase {
  label: 'sqlite' | 'postgresql';
  /** Creates a fresh, empty database and returns its URL plus a cleanup. */
  create(): Promise<{ url: string; dispose(): Promise<void> }>;
}

/** The two backends every suite runs against (describe.each). */
export const databases: TestDatabase[] = [
  {
    label: 'sqlite',
    async create() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-api-'));
      return {
        url: `file:${path.join(dir, 'nested', 'test.db')}`,
        dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    label: 'postgresql',
    async create() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      return {
        url: `${POSTGRES_URL}?schema=${schema}`,
        async dispose() {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await client.end();
        },
      };
    },
  },
];

/** Loosely typed response data: tests assert on shapes with expect(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** A GraphQL response. */
export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A started server with helpers. */
export interface TestApi {
  server: ApiServer;
  /** http://localhost:<port> */
  origin: string;
  databaseUrl: string;
  artifactsDir: string;
  /** The server's local admin key (sent by gql/ok/fetch unless told otherwise). */
  key: string;
  /** Sends a GraphQL request with the admin key (or `as`: another key, or null for none); never throws on GraphQL errors. */
  gql<T = Loose>(
    query: string,
    variables?: Record<string, unknown>,
    as?: { key: string | null },
  ): Promise<GqlResult<T>>;
  /** fetch() of a path or full URL on the server, with the admin key in Authorization (unless init sets one). */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  /** Sends a request and fails the test on any GraphQL error. */
  ok<T = Loose>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** Starts a server on a fresh database (or on `reuse` when given). */
export async function startTestApi(
  db: TestDatabase,
  options: ApiServerOptions = {},
  reuse?: { url: string; dispose(): Promise<void> },
): Promise<TestApi> {
  const fresh = reuse ?? (await db.create());
  const artifactsDir =
    options.artifactsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-art-'));
  const server = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: fresh.url,
    artifactsDir,
    keyFile: path.join(artifactsDir, '..', `${path.basename(artifactsDir)}-key`, 'local-api-key'),
    // The reaper's timer would add queries at random moments (query-count tests); tests of the
    // reaper set their own interval or call reapNow().
    reaperIntervalMs: 3_600_000,
    ...options,
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const key = server.localKey;
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    as: { key: string | null } = { key },
  ): Promise<GqlResult<T>> => {
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(as.key ? { authorization: `Bearer ${as.key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  };
  return {
    server,
    origin,
    key,
    fetch(p: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
      return fetch(/^https?:/.test(p) ? p : `${origin}${p}`, { ...init, headers });
    },
    databaseUrl: fresh.url,
    artifactsDir,
    gql,
    async ok<T>(query: string, variables?: Record<string, unknown>) {
      const r = await gql<T>(query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    async stop() {
      await server.close();
      if (!reuse) await fresh.dispose();
      if (!options.artifactsDir) fs.rmSync(artifactsDir, { recursive: true, force: true });
      fs.rmSync(path.join(artifactsDir, '..', `${path.basename(artifactsDir)}-key`), {
        recursive: true,
        force: true,
      });
    },
  };
}

/** The extensions.code of the first error. */
export function codeOf(r: GqlResult<unknown>): unknown {
  return r.errors?.[0]?.extensions?.code;
}

/** A unique name so tests never depend on each other's fixtures. */
export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a run and returns its id. */
export async function createRun(api: TestApi, input: Record<string, unknown>): Promise<string> {
  const d = await api.ok<{ createRun: { id: string } }>(
    'mutation($input: CreateRunInput!) { createRun(input: $input) { id } }',
    { input },
  );
  return d.createRun.id;
}

/** GraphQL documents used by several files. */
export const LOG_METRICS = `mutation($runId: ID!, $points: [MetricPointInput!]!) {
  logMetrics(runId: $runId, points: $points) { accepted duplicates }
}`;
