// Saved runs-table views end to end on both databases: upsert by project and name, listing by
// readers, roles (a viewer cannot save or delete, an outsider cannot read a private project's
// views), and BAD_USER_INPUT for a malformed or oversized state and past 100 views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, databases, startTestApi, uniq, type TestApi } from './helpers';

/** Signs a user in through a one-time login link and returns an owner-capped API key of theirs. */
async function keyOf(api: TestApi, email: string): Promise<string> {
  const link = (
    await api.ok<{ createLoginLink: string }>(
      'mutation($e: String!) { createLoginLink(email: $e) }',
      { e: email },
    )
  ).createLoginLink;
  const url = new URL(link);
  const res = await fetch(`${api.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('convscope.session_token='));
  expect(cookie, 'login link sets a session cookie').toBeTruthy();
  const created = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie! },
    body: JSON.stringify({
      query: 'mutation { createApiKey(input: { name: "t", role: OWNER }) { key } }',
    }),
  });
  const body = (await created.json()) as { data: { createApiKey: { key: string } } };
  return body.data.createApiKey.key;
}

const SAVE = `mutation($i: SaveViewInput!) { saveView(input: $i) { id name state createdAt updatedAt } }`;
const LIST = `query($p: String!) { savedViews(project: $p) { id name state } }`;
const DELETE = `mutation($id: ID!) { deleteView(id: $id) { id name } }`;

describe.each(databases)('saved views on $label', (db) => {
  let api: TestApi;
  const project = uniq('views');
  const other = uniq('other');
  const keys = { editor: '', viewer: '', outsider: '' };

  beforeAll(async () => {
    api = await startTestApi(db);
    for (const n of [project, other])
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n });
    const emails = { editor: 'ed@lab.test', viewer: 'vi@lab.test', outsider: 'out@lab.test' };
    for (const [who, email] of Object.entries(emails))
      await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email, name: who },
      });
    await api.ok(
      `mutation($p: String!, $o: String!) {
        a: setProjectMember(project: $p, email: "${emails.editor}", role: EDITOR) { email }
        b: setProjectMember(project: $p, email: "${emails.viewer}", role: VIEWER) { email }
        c: setProjectMember(project: $o, email: "${emails.outsider}", role: OWNER) { email }
      }`,
      { p: project, o: other },
    );
    for (const who of ['editor', 'viewer', 'outsider'] as const)
      keys[who] = await keyOf(api, emails[who]);
  });
  afterAll(() => api?.stop());

  it('upserts by project and name, and readers list them by name', async () => {
    const state = {
      query: 'hp.lr < 0.01',
      columns: ['status', 'name', 'hp.lr', 'best.val_accuracy', 'tags'],
      sort: { key: 'best', dir: 'desc' },
      groupBy: 'optimizer',
    };
    const first = await api.gql(
      SAVE,
      { i: { project, name: ' lr sweep ', state } },
      { key: keys.editor },
    );
    expect(first.errors).toBeUndefined();
    expect(first.data.saveView.name).toBe('lr sweep');
    expect(first.data.saveView.state).toEqual(state);
    const again = await api.gql(
      SAVE,
      { i: { project, name: 'lr sweep', state: { ...state, groupBy: null } } },
      { key: keys.editor },
    );
    expect(again.data.saveView.id).toBe(first.data.saveView.id);
    await api.gql(SAVE, { i: { project, name: 'all', state: {} } }, { key: keys.editor });

    const listed = await api.gql(LIST, { p: project }, { key: keys.viewer });
    expect(listed.errors).toBeUndefined();
    expect(listed.data.savedViews.map((v: { name: string }) => v.name)).toEqual([
      'all',
      'lr sweep',
    ]);
    expect(listed.data.savedViews[1].state.groupBy).toBeNull();
    expect(listed.data.savedViews[1].state.columns).toEqual(state.columns);
  });

  it('refuses a viewer saving or deleting, and an outsider reading a private project', async () => {
    const saved = await api.ok(SAVE, { i: { project, name: 'keep', state: { query: 'x' } } });
    const id = saved.saveView.id as string;
    const byViewer = await api.gql(
      SAVE,
      { i: { project, name: 'keep', state: {} } },
      { key: keys.viewer },
    );
    expect(codeOf(byViewer)).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(DELETE, { id }, { key: keys.viewer }))).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(LIST, { p: project }, { key: keys.outsider }))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(DELETE, { id }, { key: keys.outsider }))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(LIST, { p: project }, { key: null }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(DELETE, { id }, { key: null }))).toBe('UNAUTHENTICATED');
    const after = await api.ok(LIST, { p: project });
    const kept = after.savedViews.find((v: { id: string }) => v.id === id);
    expect(kept.state).toEqual({ query: 'x' });
  });

  it('deletes with the editor role; a second delete is NOT_FOUND', async () => {
    const saved = await api.ok(SAVE, { i: { project, name: 'gone', state: {} } });
    const id = saved.saveView.id as string;
    const del = await api.gql(DELETE, { id }, { key: keys.editor });
    expect(del.errors).toBeUndefined();
    expect(del.data.deleteView).toEqual({ id, name: 'gone' });
    expect(codeOf(await api.gql(DELETE, { id }, { key: keys.editor }))).toBe('NOT_FOUND');
    const names = (await api.ok(LIST, { p: project })).savedViews.map(
      (v: { name: string }) => v.name,
    );
    expect(names).not.toContain('gone');
  });

  it.each([
    ['a string instead of an object', 'not json'],
    ['a list', [1, 2]],
    ['an unknown key', { colums: ['status'] }],
    ['a bad sort direction', { sort: { key: 'best', dir: 'up' } }],
    ['columns that are not strings', { columns: [1, 2] }],
    [
      'more than 16 KiB',
      {
        query: 'x'.repeat(4000),
        columns: Array.from({ length: 200 }, (_, i) => `hp.${'p'.repeat(90)}${i}`),
      },
    ],
  ])('answers BAD_USER_INPUT for %s and stores nothing', async (_label, state) => {
    const name = uniq('bad');
    const r = await api.gql(SAVE, { i: { project, name, state } });
    expect(codeOf(r), JSON.stringify(r.errors)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.field).toBe('state');
    const names = (await api.ok(LIST, { p: project })).savedViews.map(
      (v: { name: string }) => v.name,
    );
    expect(names).not.toContain(name);
  });

  it('refuses a bad name', async () => {
    for (const name of ['', ' ', 'x'.repeat(101), 'a\u0000b'])
      expect(codeOf(await api.gql(SAVE, { i: { project, name, state: {} } }))).toBe(
        'BAD_USER_INPUT',
      );
    expect(
      codeOf(await api.gql(SAVE, { i: { project: uniq('nope'), name: 'v', state: {} } })),
    ).toBe('NOT_FOUND');
  });

  it('holds at most 100 views per project; replacing one still works at the limit', async () => {
    const full = uniq('full');
    await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: full });
    for (let i = 0; i < 100; i += 10)
      await api.ok(
        `mutation($p: String!) { ${Array.from(
          { length: 10 },
          (_, j) => `v${j}: saveView(input: { project: $p, name: "v${i + j}", state: {} }) { id }`,
        ).join(' ')} }`,
        { p: full },
      );
    const over = await api.gql(SAVE, { i: { project: full, name: 'v100', state: {} } });
    expect(codeOf(over)).toBe('BAD_USER_INPUT');
    expect(over.errors?.[0]?.message).toMatch(/at most 100/);
    const replaced = await api.gql(SAVE, {
      i: { project: full, name: 'v7', state: { query: 'a' } },
    });
    expect(replaced.errors).toBeUndefined();
    const listed = (await api.ok(LIST, { p: full })).savedViews;
    expect(listed).toHaveLength(100);
  });
});
