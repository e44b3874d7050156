// Shared fixture of the integration tests: a real API on a throwaway SQLite file and artifact
// folder, plus a GraphQL helper that fails the test on any error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../apps/api/src/server';

/** A started API and what tests need around it. */
export interface TestApi {
  api: ApiServer;
  /** Temporary folder holding the database and the artifacts. */
  dir: string;
  /** http://localhost:<port> */
  base: string;
  /** The server's local admin key (gql sends it; pass it to clients as apiKey). */
  key: string;
  /** Sends a GraphQL request; expects no errors. */
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stops the API and removes the folder. */
  stop(): Promise<void>;
}

/** Starts an API on a fresh temporary database (`prefix` names the folder). */
export async function startTestApi(
  prefix: string,
  options: Omit<ApiServerOptions, 'databaseUrl' | 'artifactsDir'> = {},
): Promise<TestApi> {
  const dir = await mkdtemp(path.join(tmpdir(), `convscope-${prefix}-`));
  const api = await startApiServer({
    port: 0,
    databaseUrl: `file:${path.join(dir, 'db.sqlite')}`,
    artifactsDir: path.join(dir, 'artifacts'),
    keyFile: path.join(dir, 'local-api-key'),
    ...options,
  });
  const base = api.url.replace(/\/graphql$/, '');
  // Clients created by the code under test (trackers, workers, CLIs) find the key like a user's
  // scripts do: through CONVSCOPE_API_KEY. Integration files run one at a time.
  const previousKey = process.env.CONVSCOPE_API_KEY;
  process.env.CONVSCOPE_API_KEY = api.localKey;
  return {
    api,
    dir,
    base,
    key: api.localKey,
    async gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.localKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: T; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    },
    async stop() {
      await api.close();
      if (previousKey === undefined) delete process.env.CONVSCOPE_API_KEY;
      else process.env.CONVSCOPE_API_KEY = previousKey;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
