// The GraphQL-over-HTTP spec's audit (graphql-http's serverAudits, the suite its authors run
// against servers): every MUST and SHOULD passes, so stock clients need no workaround.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApi, type TestApi } from './helpers';

const sqlite = databases.find((d) => d.label === 'sqlite')!;
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi(sqlite);
});
afterAll(async () => {
  await api.stop();
});

describe('graphql-http audit', () => {
  const audits = serverAudits({
    url: () => `${api.origin}/graphql`,
    // As a client with an API key would call it (anonymous callers see only public projects).
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${api.key}`);
      return fetch(input, { ...init, headers });
    },
  });
  for (const audit of audits) {
    // MAY items are optional behaviour; MUST and SHOULD are the contract.
    if (audit.name.startsWith('MAY')) continue;
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});
