// Keyset paging of Query.projects (by name), Query.users (by e-mail) and Query.apiKeys (newest
// first) forward and backward while items are created between pages, their permission rules,
// Project.visibility as an enum and the member order, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, databases, startTestApi, uniq, type Loose, type TestApi } from './helpers';

const PAGE_FIELDS = `
    totalCount
    edges { cursor node { ...N } }
    nodes { ...N }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const PROJECTS = `query($first: Int, $after: String, $last: Int, $before: String) {
  list: projects(first: $first, after: $after, last: $last, before: $before) {${PAGE_FIELDS} }
}
fragment N on Project { id name visibility }`;

const USERS = `query($first: Int, $after: String, $last: Int, $before: String) {
  list: users(first: $first, after: $after, last: $last, before: $before) {${PAGE_FIELDS} }
}
fragment N on User { id email }`;

const API_KEYS = `query($all: Boolean, $first: Int, $after: String, $last: Int, $before: String) {
  list: apiKeys(all: $all, first: $first, after: $after, last: $last, before: $before) {${PAGE_FIELDS} }
}
fragment N on ApiKey { id name userId createdAt }`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: Loose }[];
  nodes: Loose[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

type Caller = { key: string | null };

/** Signs a user in through a one-time login link and returns their session cookie. */
async function signInByLink(api: TestApi, email: string): Promise<string> {
  const { createLoginLink: link } = await api.ok<{ createLoginLink: string }>(
    'mutation($e: String!) { createLoginLink(email: $e) }',
    { e: email },
  );
  const url = new URL(link);
  const res = await fetch(`${api.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('convscope.session_token='));
  expect(cookie, 'login link sets a session cookie').toBeTruthy();
  return cookie!;
}

describe.each(databases)('projects, users and API keys paging on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function page(
    query: string,
    vars: Record<string, unknown>,
    as: Caller = { key: api.key },
  ): Promise<Page> {
    const r = await api.gql<{ list: Page }>(query, vars, as);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const list = r.data!.list;
    // edges and nodes agree, and the cursors are those of the page's ends.
    expect(list.edges.map((e) => e.node)).toEqual(list.nodes);
    expect(list.pageInfo.startCursor).toBe(list.edges[0]?.cursor ?? null);
    expect(list.pageInfo.endCursor).toBe(list.edges.at(-1)?.cursor ?? null);
    return list;
  }

  /**
   * Walks a whole list `size` at a time, forward (first/after) or backward (last/before),
   * calling `between` after the first page. Returns the nodes in list order.
   */
  async function walk(
    query: string,
    options: {
      size: number;
      backward?: boolean;
      vars?: Record<string, unknown>;
      as?: Caller;
      between?: () => Promise<void>;
    },
  ): Promise<Loose[]> {
    const { size, backward = false, vars = {}, as } = options;
    const out: Loose[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const args: Record<string, unknown> = backward
        ? { last: size, before: cursor }
        : { first: size, after: cursor };
      const p: Page = await page(query, { ...vars, ...args }, as);
      expect(p.nodes.length).toBeLessThanOrEqual(size);
      if (backward) out.unshift(...p.nodes);
      else out.push(...p.nodes);
      const more = backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage;
      // The side the walk came from: a cursor was given (false on the first page).
      expect(backward ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage).toBe(i > 0);
      if (i === 0) await options.between?.();
      if (!more) return out;
      cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages');
  }

  const createProject = (name: string) =>
    api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: name });
  const createUser = (email: string) =>
    api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { email, name: email.split('@')[0] },
    });

  it('pages projects by name forward: created after the cursor seen once, before it not', async () => {
    const tag = uniq('pf');
    const name = (s: string) => `${tag}-${s}`;
    for (const s of ['b', 'd', 'f', 'h', 'j']) await createProject(name(s));
    const seen = await walk(PROJECTS, {
      size: 2,
      // The first page ends at d (every other project sorts before this tag or after it).
      between: async () => {
        for (const s of ['a', 'c', 'e', 'k']) await createProject(name(s));
      },
    });
    const mine = seen.map((p) => p.name).filter((n: string) => n.startsWith(tag));
    // a and c sort before the first page's cursor, so a forward walk does not reach them.
    expect(mine).toEqual(['b', 'd', 'e', 'f', 'h', 'j', 'k'].map(name));
    const all = seen.map((p) => p.name);
    expect(all).toEqual([...all].sort());
    expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length);
    expect(seen.every((p) => p.visibility === 'PRIVATE')).toBe(true);
  });

  it('pages projects backward with last/before while projects are created', async () => {
    // "zz" sorts after every other test's projects, so the last page is this tag's.
    const tag = `zz${uniq('pb')}`;
    const name = (s: string) => `${tag}-${s}`;
    for (const s of ['b', 'd', 'f', 'h', 'j']) await createProject(name(s));
    const first = await page(PROJECTS, { last: 2 });
    expect(first.nodes.map((p) => p.name)).toEqual([name('h'), name('j')]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const seen = await walk(PROJECTS, {
      size: 2,
      backward: true,
      between: async () => {
        for (const s of ['a', 'g', 'i', 'k']) await createProject(name(s));
      },
    });
    const mine = seen.map((p) => p.name).filter((n: string) => n.startsWith(tag));
    // i and k sort after the first page's start cursor (h): a backward walk does not reach them.
    expect(mine).toEqual(['a', 'b', 'd', 'f', 'g', 'h', 'j'].map(name));
    const total = (await page(PROJECTS, { first: 0 })).totalCount;
    expect(total).toBe(seen.length + 2);
  });

  it('pages users by e-mail forward and backward while users are created', async () => {
    const tag = uniq('u');
    const email = (s: string) => `${tag}-${s}@lab.test`;
    for (const s of ['b', 'd', 'f', 'h']) await createUser(email(s));
    // Forward 1 at a time: the first page is the owner (owner@...), so c and g sort after it.
    const forward = await walk(USERS, {
      size: 1,
      between: async () => {
        for (const s of ['c', 'g']) await createUser(email(s));
      },
    });
    const mine = (list: Loose[]) =>
      list.map((u) => u.email as string).filter((e) => e.startsWith(tag));
    expect(mine(forward)).toEqual(['b', 'c', 'd', 'f', 'g', 'h'].map(email));
    const emails = forward.map((u) => u.email as string);
    expect(new Set(emails).size).toBe(emails.length);
    // Backward 2 at a time from the end; users created meanwhile sort before the cursor
    // unless their e-mail sorts after every other (z...): those are past it.
    const backward = await walk(USERS, {
      size: 2,
      backward: true,
      between: async () => {
        await createUser(email('a'));
        await createUser(`zzz-${tag}@lab.test`);
      },
    });
    expect(mine(backward)).toEqual(['a', 'b', 'c', 'd', 'f', 'g', 'h'].map(email));
    expect(backward.some((u) => u.email === `zzz-${tag}@lab.test`)).toBe(false);
    const total = (await page(USERS, { first: 0 })).totalCount;
    expect(total).toBe(backward.length + 1);
  });

  it('pages API keys newest first; created keys are new, so only a backward walk meets them', async () => {
    const create = async (name: string) =>
      api.ok('mutation($n: String!) { createApiKey(input: { name: $n, role: VIEWER }) { key } }', {
        n: name,
      });
    const tag = uniq('k');
    for (let i = 0; i < 5; i++) await create(`${tag}-${i}`);
    const listed = await walk(API_KEYS, {
      size: 2,
      between: () => create(`${tag}-new-forward`).then(() => undefined),
    });
    // Reference order: createdAt descending (a stable sort keeps the API's order of keys created
    // in the same millisecond, which the id decides in the database's collation).
    const byNewest = (a: Loose, b: Loose) => Date.parse(b.createdAt) - Date.parse(a.createdAt);
    const names = (list: Loose[]) =>
      list.map((k) => k.name as string).filter((n) => n.startsWith(tag));
    expect(listed.map((k) => k.id)).toEqual([...listed].sort(byNewest).map((k) => k.id));
    expect(names(listed).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${tag}-${i}`));
    const backward = await walk(API_KEYS, {
      size: 2,
      backward: true,
      between: () => create(`${tag}-new-backward`).then(() => undefined),
    });
    expect(backward.map((k) => k.id)).toEqual([...backward].sort(byNewest).map((k) => k.id));
    expect(names(backward).sort()).toEqual(
      [
        ...[0, 1, 2, 3, 4].map((i) => `${tag}-${i}`),
        `${tag}-new-backward`,
        `${tag}-new-forward`,
      ].sort(),
    );
    expect(new Set(backward.map((k) => k.id)).size).toBe(backward.length);
    // every key of the server's (admin) user, the local key included
    expect((await page(API_KEYS, { first: 0 })).totalCount).toBe(backward.length);
  });

  it('refuses bad page arguments and cursors of another list with BAD_USER_INPUT', async () => {
    const usersCursor = (await page(USERS, { first: 1 })).pageInfo.endCursor;
    const keysCursor = (await page(API_KEYS, { first: 1 })).pageInfo.endCursor;
    const bad: [string, Record<string, unknown>, string][] = [
      [PROJECTS, { first: 501 }, 'first'],
      [PROJECTS, { first: 1, last: 1 }, 'last'],
      [PROJECTS, { after: usersCursor }, 'after'],
      [USERS, { last: 2, before: keysCursor }, 'before'],
      [USERS, { first: -1 }, 'first'],
      [API_KEYS, { after: 'not a cursor' }, 'after'],
      [API_KEYS, { last: 501 }, 'last'],
    ];
    for (const [query, vars, field] of bad) {
      const r = await api.gql(query, vars);
      expect(codeOf(r), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field, JSON.stringify(vars)).toBe(field);
    }
  });

  describe('permissions', () => {
    const tag = uniq('perm');
    const viewerEmail = `${tag}-viewer@lab.test`;
    const names = { mine: `${tag}-mine`, other: `${tag}-other`, open: `${tag}-open` };
    let viewer: Caller = { key: null };
    let viewerId = '';

    beforeAll(async () => {
      for (const n of Object.values(names)) await createProject(n);
      viewerId = (await createUser(viewerEmail)).createUser.id;
      await api.ok(
        `mutation { setProjectMember(project: "${names.mine}", email: "${viewerEmail}", role: VIEWER) { email } }`,
      );
      await api.ok(
        `mutation { setProjectVisibility(project: "${names.open}", visibility: PUBLIC) { id } }`,
      );
      const cookie = await signInByLink(api, viewerEmail);
      const res = await fetch(`${api.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          query:
            'mutation { a: createApiKey(input: { name: "a", role: OWNER }) { key } b: createApiKey(input: { name: "b", role: VIEWER }) { key } }',
        }),
      });
      const created = await res.json();
      expect(created.errors).toBeUndefined();
      viewer = { key: created.data.a.key };
    });

    it('lists only the projects the caller may read, on every page', async () => {
      const seen = await walk(PROJECTS, { size: 1, as: viewer });
      const mine = seen.map((p) => p.name).filter((n: string) => n.startsWith(tag));
      expect(mine).toEqual([names.mine, names.open].sort());
      expect(seen.find((p) => p.name === names.open).visibility).toBe('PUBLIC');
      // Every other project the viewer sees is public (other tests make none): none here.
      expect(seen).toHaveLength(2);
      expect((await page(PROJECTS, { last: 1 }, viewer)).totalCount).toBe(2);
      const anonymous = await walk(PROJECTS, { size: 1, as: { key: null } });
      expect(anonymous.map((p) => p.name)).toEqual([names.open]);
    });

    it('lists users to server admins only and keys to their owner (every key to admins)', async () => {
      expect(codeOf(await api.gql(USERS, {}, viewer))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(USERS, {}, { key: null }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await api.gql(API_KEYS, { all: true }, viewer))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(API_KEYS, {}, { key: null }))).toBe('UNAUTHENTICATED');
      const own = await walk(API_KEYS, { size: 1, as: viewer });
      expect(own.map((k) => k.name).sort()).toEqual(['a', 'b']);
      expect(own.every((k) => k.userId === viewerId)).toBe(true);
      const everyone = await walk(API_KEYS, { size: 3, vars: { all: true } });
      expect(everyone.filter((k) => k.userId === viewerId)).toHaveLength(2);
      expect(everyone.length).toBeGreaterThan(2);
      expect((await page(API_KEYS, { all: true, first: 0 })).totalCount).toBe(everyone.length);
    });
  });

  it('lists members owners first, then editors, then viewers, each by when they were added', async () => {
    const project = uniq('members');
    await createProject(project);
    const tag = uniq('m');
    const emails = ['v1', 'e1', 'o1', 'v2'].map((s) => `${tag}-${s}@lab.test`);
    for (const e of emails) await createUser(e);
    const roles = ['VIEWER', 'EDITOR', 'OWNER', 'VIEWER'];
    for (const [i, e] of emails.entries())
      await api.ok(
        `mutation { setProjectMember(project: "${project}", email: "${e}", role: ${roles[i]}) { email } }`,
      );
    const { project: p } = await api.ok<Loose>(
      `{ project(name: "${project}") { members { email role } } }`,
    );
    // The admin who created the project is its first owner.
    expect(p.members.map((m: Loose) => m.role)).toEqual([
      'OWNER',
      'OWNER',
      'EDITOR',
      'VIEWER',
      'VIEWER',
    ]);
    expect(p.members.slice(1).map((m: Loose) => m.email)).toEqual([
      emails[2],
      emails[1],
      emails[0],
      emails[3],
    ]);
  });
});
