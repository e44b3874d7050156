// A generic GraphQL client against the real API: Apollo Client 4 with the Relay pagination
// policy pages Query.runs by its cursors and keeps every page in its normalised cache.
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './test-api';

interface RunsData {
  runs: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const RUNS = gql`
  query Runs($filter: RunFilter, $orderBy: RunOrder, $first: Int, $after: String) {
    runs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

describe('Apollo Client against the API', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi('apollo');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('pages six runs two at a time with fetchMore and ends with all six cached, in order', async () => {
    const project = `apollo-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const d = await t.gql<{ createRun: { id: string } }>(
        'mutation($input: CreateRunInput!) { createRun(input: $input) { id } }',
        { input: { project, name: `run-${i}` } },
      );
      ids.push(d.createRun.id);
    }
    const client = new ApolloClient({
      link: new HttpLink({
        uri: `${t.base}/graphql`,
        headers: { authorization: `Bearer ${t.key}` },
      }),
      cache: new InMemoryCache({
        typePolicies: {
          Query: { fields: { runs: relayStylePagination(['filter', 'orderBy']) } },
        },
      }),
    });
    const variables = {
      filter: { projects: [project] },
      orderBy: { by: { field: 'NAME' }, direction: 'ASC' },
      first: 2,
    };
    const watched = client.watchQuery<RunsData>({ query: RUNS, variables });
    const results: RunsData[] = [];
    const subscription = watched.subscribe((result) => {
      if (result.dataState === 'complete') results.push(result.data);
    });
    try {
      const first = await client.query<RunsData>({ query: RUNS, variables });
      expect(first.data?.runs.edges.map((e) => e.node.name)).toEqual(['run-0', 'run-1']);
      let pageInfo = first.data?.runs.pageInfo;
      let fetches = 0;
      while (pageInfo?.hasNextPage) {
        const more = await watched.fetchMore<RunsData>({
          variables: { after: pageInfo.endCursor },
        });
        pageInfo = more.data?.runs.pageInfo;
        fetches += 1;
      }
      expect(fetches).toBe(2);
      // The cache merged the three pages into one list under the same filter/orderBy.
      const cached = client.readQuery<RunsData>({ query: RUNS, variables });
      expect(cached?.runs.edges.map((e) => e.node.name)).toEqual([
        'run-0',
        'run-1',
        'run-2',
        'run-3',
        'run-4',
        'run-5',
      ]);
      expect(cached?.runs.edges.map((e) => e.node.id)).toEqual(ids);
      expect(cached?.runs.pageInfo.hasNextPage).toBe(false);
      expect(cached?.runs.totalCount).toBe(6);
      // Each run is normalised once, by its id.
      const stored = client.cache.extract() as Record<string, unknown>;
      for (const id of ids) expect(stored[`Run:${id}`]).toMatchObject({ id });
      // The watching query (what a component renders) sees the merged list too.
      await vi.waitFor(() => expect(results.at(-1)?.runs.edges).toHaveLength(6));
      const current = watched.getCurrentResult();
      expect(current.dataState === 'complete' ? current.data.runs.edges : []).toHaveLength(6);
    } finally {
      subscription.unsubscribe();
      client.stop();
    }
  });
});
