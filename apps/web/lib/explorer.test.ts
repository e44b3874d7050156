// The explorer's fetcher: JSON to the dashboard's own /graphql with the session cookie, headers
// from GraphiQL's editor passed on, and failures shown as GraphQL errors instead of crashes.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createExplorerFetcher, EXPLORER_DEFAULT_QUERY } from './explorer';

/** A fetch that records its calls and answers `body` with `status`. */
function recordingFetch(body: string, status = 200, statusText = 'OK') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(body, { status, statusText });
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('createExplorerFetcher', () => {
  it('posts the operation as JSON to same-origin /graphql with the cookie', async () => {
    const { calls, fetchFn } = recordingFetch('{"data":{"__typename":"Query"}}');
    const fetcher = createExplorerFetcher({ fetch: fetchFn });
    const result = await fetcher(
      { query: 'query Q($n: Int) { __typename }', variables: { n: 2 }, operationName: 'Q' },
      { headers: { Authorization: 'Bearer k', 'x-empty': undefined } },
    );
    expect(result).toEqual({ data: { __typename: 'Query' } });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('/graphql');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.credentials).toBe('same-origin');
    expect(call?.init.headers).toEqual({
      Authorization: 'Bearer k',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(JSON.parse(String(call?.init.body))).toEqual({
      query: 'query Q($n: Int) { __typename }',
      variables: { n: 2 },
      operationName: 'Q',
    });
  });

  it('passes GraphQL errors through as they came', async () => {
    const body = { errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }] };
    const { fetchFn } = recordingFetch(JSON.stringify(body), 200);
    expect(await createExplorerFetcher({ fetch: fetchFn })({ query: '{ a }' })).toEqual(body);
  });

  it('turns a non-JSON answer into an error naming the status', async () => {
    const { fetchFn } = recordingFetch('<html>Bad Gateway</html>', 502, 'Bad Gateway');
    const result = await createExplorerFetcher({ fetch: fetchFn })({ query: '{ a }' });
    expect(result.errors?.[0]?.message).toBe(
      'HTTP 502 Bad Gateway: the answer is not JSON (<html>Bad Gateway</html>)',
    );
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_RESPONSE', status: 502 });
  });

  it('turns a network failure into an error', async () => {
    const fetchFn = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const result = await createExplorerFetcher({ fetch: fetchFn })({ query: '{ a }' });
    expect(result.errors?.[0]?.message).toBe('The dashboard did not answer: Failed to fetch');
  });
});

describe('EXPLORER_DEFAULT_QUERY', () => {
  it('is one named query that parses', () => {
    const doc = parse(EXPLORER_DEFAULT_QUERY);
    expect(doc.definitions).toHaveLength(1);
    expect(doc.definitions[0]).toMatchObject({ operation: 'query', name: { value: 'RecentRuns' } });
  });

  it('is valid against the API schema', () => {
    const sdl = readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8');
    expect(validate(buildSchema(sdl), parse(EXPLORER_DEFAULT_QUERY))).toEqual([]);
  });
});
