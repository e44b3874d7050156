// Run management over GraphQL: updateRun(input), archiveRun/unarchiveRun, deleteRun (with the
// artifact store's garbage collection of unreferenced blobs) and moveRun, each with the editor
// role, refused for a project reader (FORBIDDEN) and an outsider (NOT_FOUND), and bad input
// refused with BAD_USER_INPUT; archived runs hidden from `runs` unless asked for.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/prisma';
import {
  codeOf,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

/** Signs a user in through a one-time login link and returns their session cookie. */
async function signInByLink(api: TestApi, email: string): Promise<string> {
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
  if (!cookie) throw new Error(`no session cookie for ${email}`);
  return cookie;
}

/** Creates a user and an owner-capped API key for them (capped by their memberships). */
async function userKey(api: TestApi, email: string): Promise<string> {
  await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { email, name: email.split('@')[0] },
  });
  const cookie = await signInByLink(api, email);
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      query: 'mutation { createApiKey(input: { name: "t", role: OWNER }) { key } }',
    }),
  });
  const body: Loose = await res.json();
  if (!body.data?.createApiKey?.key) throw new Error(JSON.stringify(body));
  return body.data.createApiKey.key as string;
}

const UPDATE = `mutation($id: ID!, $input: UpdateRunInput) {
  updateRun(id: $id, input: $input) { id name tags notes }
}`;
const ARCHIVE = `mutation($id: ID!) { archiveRun(id: $id) { id archived archivedAt } }`;
const UNARCHIVE = `mutation($id: ID!) { unarchiveRun(id: $id) { id archived archivedAt } }`;
const DELETE = `mutation($id: ID!) { deleteRun(id: $id) { id projectName artifactsDeleted blobsRemoved } }`;
const MOVE = `mutation($id: ID!, $p: String!) { moveRun(id: $id, project: $p) { id project { name } } }`;
const RUN = `query($id: ID!) { run(id: $id) { id name tags notes archived archivedAt project { name } } }`;
const RUNS = `query($f: RunFilter, $first: Int, $after: String) {
  runs(filter: $f, first: $first, after: $after) { totalCount nodes { id archived } pageInfo { hasNextPage endCursor } }
}`;

const EVALUATION = `mutation($r: ID!) { logPredictions(runId: $r, input: { classNames: ["a", "b"], labels: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]] }) { id } }`;
const UNCERTAINTY = `mutation($r: ID!) { logUncertainty(runId: $r, input: { method: "mc-dropout", passes: 2, accuracy: 1, labels: [0], meanProbabilities: [0.6, 0.4], std: [0.1, 0.1], quantiles: [0.4, 0.5, 0.6, 0.7, 0.8, 0.2, 0.3, 0.4, 0.5, 0.6], entropy: [0.67], mutualInformation: [0.01] }) { id } }`;

describe.each(databases)('run management on $label', (db) => {
  let api: TestApi;
  let database: Database;
  const pa = uniq('alpha');
  const pb = uniq('beta');
  const pc = uniq('gamma');
  const keys = { alice: '', bob: '', carol: '' };
  const as = (who: keyof typeof keys) => ({ key: keys[who] });

  /** A run of project `project` created by Alice (editor of alpha and beta). */
  async function aliceRun(project = pa, input: Record<string, unknown> = {}): Promise<string> {
    const r = await api.gql(
      'mutation($i: CreateRunInput!) { createRun(input: $i) { id } }',
      { i: { project, ...input } },
      as('alice'),
    );
    expect(r.errors).toBeUndefined();
    return r.data.createRun.id as string;
  }

  async function finish(id: string): Promise<void> {
    const r = await api.gql(
      'mutation($id: ID!) { finishRun(id: $id, status: FAILED, error: "done") { id } }',
      { id },
      as('alice'),
    );
    expect(r.errors).toBeUndefined();
  }

  async function put(runId: string, name: string, body: string): Promise<void> {
    const res = await api.fetch(`/runs/${runId}/artifacts/${name}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${keys.alice}`,
      },
      body,
    });
    expect([200, 201]).toContain(res.status);
  }

  const blobPath = (hash: string) => path.join(api.artifactsDir, hash.slice(0, 2), hash);

  beforeAll(async () => {
    api = await startTestApi(db);
    database = createDatabase(api.databaseUrl);
    for (const name of [pa, pb, pc])
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: name });
    keys.alice = await userKey(api, 'alice@mgmt.test');
    keys.bob = await userKey(api, 'bob@mgmt.test');
    keys.carol = await userKey(api, 'carol@mgmt.test');
    await api.ok(
      `mutation($a: String!, $b: String!, $c: String!) {
        a1: setProjectMember(project: $a, email: "alice@mgmt.test", role: EDITOR) { email }
        a2: setProjectMember(project: $b, email: "alice@mgmt.test", role: EDITOR) { email }
        a3: setProjectMember(project: $c, email: "alice@mgmt.test", role: VIEWER) { email }
        b1: setProjectMember(project: $a, email: "bob@mgmt.test", role: VIEWER) { email }
        c1: setProjectMember(project: $b, email: "carol@mgmt.test", role: EDITOR) { email }
      }`,
      { a: pa, b: pb, c: pc },
    );
  });
  afterAll(async () => {
    await database?.close();
    await api?.stop();
  });

  describe('updateRun(input)', () => {
    it('renames, replaces tags and notes, and leaves omitted fields unchanged', async () => {
      const id = await aliceRun(pa, { name: 'first', tags: ['a'], notes: 'old' });
      const r1 = await api.gql(UPDATE, { id, input: { name: '  renamed  ' } }, as('alice'));
      expect(r1.errors).toBeUndefined();
      expect(r1.data.updateRun).toEqual({ id, name: 'renamed', tags: ['a'], notes: 'old' });
      const r2 = await api.gql(
        UPDATE,
        { id, input: { tags: ['x', 'y', 'x'], notes: '# Title\n<b>not html</b>' } },
        as('alice'),
      );
      expect(r2.data.updateRun).toEqual({
        id,
        name: 'renamed',
        tags: ['x', 'y'],
        notes: '# Title\n<b>not html</b>',
      });
      // Finished runs stay editable; [] and null clear tags and notes.
      await finish(id);
      const r3 = await api.gql(UPDATE, { id, input: { tags: [], notes: null } }, as('alice'));
      expect(r3.errors).toBeUndefined();
      expect(r3.data.updateRun).toMatchObject({ tags: [], notes: null });
    });

    it('refuses a reader with FORBIDDEN and an outsider with NOT_FOUND, changing nothing', async () => {
      const id = await aliceRun(pa, { name: 'kept' });
      expect(codeOf(await api.gql(UPDATE, { id, input: { name: 'x' } }, as('bob')))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await api.gql(UPDATE, { id, input: { name: 'x' } }, as('carol')))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await api.gql(UPDATE, { id, input: { name: 'x' } }, { key: null }))).toBe(
        'UNAUTHENTICATED',
      );
      expect((await api.ok(RUN, { id })).run.name).toBe('kept');
    });

    it('refuses bad input with BAD_USER_INPUT naming the field and the limit', async () => {
      const id = await aliceRun(pa, { name: 'kept', tags: ['t'], notes: 'n' });
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ name: '   ' }, 'input.name', /must not be empty/],
        [{ name: 'n'.repeat(201) }, 'input.name', /201 characters long; the limit is 200/],
        [{ name: null }, 'input.name', /may not be null/],
        [{ name: 'a\u202eb' }, 'input.name', /right-to-left override/],
        [
          { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
          'input.tags',
          /51 items; the limit is 50/,
        ],
        [{ tags: ['ok', 't'.repeat(65)] }, 'input.tags', /tags\[1\] is 65 characters long/],
        [{ tags: null }, 'input.tags', /may not be null/],
        [
          { notes: 'n'.repeat(10_001) },
          'input.notes',
          /10,001 characters long; the limit is 10,000/,
        ],
        [{ notes: 'a\u0000b' }, 'input.notes', /NUL/],
        [{}, 'input', /names no field/],
      ];
      for (const [input, field, message] of cases) {
        const r = await api.gql(UPDATE, { id, input }, as('alice'));
        expect(codeOf(r), JSON.stringify(input).slice(0, 60)).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0]?.extensions?.field).toBe(field);
        expect(r.errors?.[0]?.message).toMatch(message);
      }
      // Exactly at the limits is accepted.
      const ok = await api.gql(
        UPDATE,
        {
          id,
          input: {
            name: 'n'.repeat(200),
            tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(64, 'x')),
            notes: 'n'.repeat(10_000),
          },
        },
        as('alice'),
      );
      expect(ok.errors).toBeUndefined();
      expect(ok.data.updateRun.tags).toHaveLength(50);
      const both = await api.gql(
        'mutation($id: ID!) { updateRun(id: $id, input: { name: "x" }, notes: "y") { id } }',
        { id },
        as('alice'),
      );
      expect(codeOf(both)).toBe('BAD_USER_INPUT');
      expect((await api.ok(RUN, { id })).run.name).toBe('n'.repeat(200));
    });
  });

  describe('archiveRun / unarchiveRun', () => {
    it('archives and unarchives; archived runs leave the runs list unless asked for, paging stays whole', async () => {
      const project = uniq('arch');
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: project });
      await api.ok(
        `mutation($p: String!) { setProjectMember(project: $p, email: "alice@mgmt.test", role: EDITOR) { email } }`,
        { p: project },
      );
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await aliceRun(project, { name: `r${i}` }));
      const archivedIds = [ids[1]!, ids[4]!, ids[5]!];
      for (const id of archivedIds) {
        const r = await api.gql(ARCHIVE, { id }, as('alice'));
        expect(r.errors).toBeUndefined();
        expect(r.data.archiveRun.archived).toBe(true);
        expect(Date.parse(r.data.archiveRun.archivedAt)).toBeGreaterThan(0);
      }
      // Archiving again keeps the first time.
      const first = (await api.ok(RUN, { id: ids[1] })).run.archivedAt;
      const again = await api.gql(ARCHIVE, { id: ids[1] }, as('alice'));
      expect(again.data.archiveRun.archivedAt).toBe(first);

      /** Every id of a filter, walking pages of 2 (each run once). */
      async function walk(f: Record<string, unknown>): Promise<{ ids: string[]; total: number }> {
        const seen: string[] = [];
        let after: string | null = null;
        let total = -1;
        for (;;) {
          const d: Loose = await api.ok(RUNS, { f, first: 2, after });
          total = d.runs.totalCount;
          seen.push(...d.runs.nodes.map((n: { id: string }) => n.id));
          if (!d.runs.pageInfo.hasNextPage) break;
          after = d.runs.pageInfo.endCursor;
        }
        return { ids: seen, total };
      }
      const active = ids.filter((id) => !archivedIds.includes(id));
      const byDefault = await walk({ projects: [project] });
      expect(byDefault.total).toBe(4);
      expect([...byDefault.ids].sort()).toEqual([...active].sort());
      expect(new Set(byDefault.ids).size).toBe(4);
      const onlyArchived = await walk({ projects: [project], archived: 'ARCHIVED' });
      expect(onlyArchived.total).toBe(3);
      expect([...onlyArchived.ids].sort()).toEqual([...archivedIds].sort());
      const all = await walk({ projects: [project], archived: 'ALL' });
      expect(all.total).toBe(7);
      expect([...all.ids].sort()).toEqual([...ids].sort());
      // The query-language path filters the same way.
      const queried = await walk({ projects: [project], query: 'name ~ "r"' });
      expect([...queried.ids].sort()).toEqual([...active].sort());
      const queriedArchived = await walk({
        projects: [project],
        query: 'name ~ "r"',
        archived: 'ARCHIVED',
      });
      expect([...queriedArchived.ids].sort()).toEqual([...archivedIds].sort());
      // run(id) still finds an archived run.
      expect((await api.ok(RUN, { id: ids[4] })).run.archived).toBe(true);

      const un = await api.gql(UNARCHIVE, { id: ids[4] }, as('alice'));
      expect(un.data.unarchiveRun).toEqual({ id: ids[4], archived: false, archivedAt: null });
      expect((await walk({ projects: [project] })).total).toBe(5);
    });

    it('refuses a reader with FORBIDDEN and an outsider with NOT_FOUND', async () => {
      const id = await aliceRun(pa);
      for (const doc of [ARCHIVE, UNARCHIVE]) {
        expect(codeOf(await api.gql(doc, { id }, as('bob')))).toBe('FORBIDDEN');
        expect(codeOf(await api.gql(doc, { id }, as('carol')))).toBe('NOT_FOUND');
        expect(codeOf(await api.gql(doc, { id: 'nope' }, as('alice')))).toBe('NOT_FOUND');
      }
      expect(codeOf(await api.gql(ARCHIVE, { id: '' }, as('alice')))).toBe('BAD_USER_INPUT');
      expect((await api.ok(RUN, { id })).run.archived).toBe(false);
    });
  });

  describe('deleteRun', () => {
    it('deletes the run with its rows, removes its unreferenced blobs and keeps a shared one', async () => {
      const doomed = await aliceRun(pa, { status: 'RUNNING' });
      const keeper = await aliceRun(pb, { status: 'RUNNING' });
      const shared = `shared bytes ${uniq('s')}`;
      const own = `own bytes ${uniq('o')}`;
      await put(doomed, 'shared.bin', shared);
      await put(doomed, 'own.bin', own);
      await put(keeper, 'same-content.bin', shared);
      const m = await api.gql(
        LOG_METRICS,
        { runId: doomed, points: [{ name: 'loss', step: 0, value: 1 }] },
        as('alice'),
      );
      expect(m.errors).toBeUndefined();
      expect((await api.gql(EVALUATION, { r: doomed }, as('alice'))).errors).toBeUndefined();
      expect((await api.gql(UNCERTAINTY, { r: doomed }, as('alice'))).errors).toBeUndefined();
      await finish(doomed);
      // The rows exist before the delete (so the counts below could fail).
      expect(await database.prisma.evaluation.count({ where: { runId: doomed } })).toBe(1);
      expect(await database.prisma.prediction.count()).toBe(2);
      expect(await database.prisma.metricPoint.count({ where: { runId: doomed } })).toBe(1);
      expect(fs.existsSync(blobPath(sha(own)))).toBe(true);
      expect(fs.existsSync(blobPath(sha(shared)))).toBe(true);

      const r = await api.gql(DELETE, { id: doomed }, as('alice'));
      expect(r.errors).toBeUndefined();
      expect(r.data.deleteRun).toEqual({
        id: doomed,
        projectName: pa,
        artifactsDeleted: 2,
        blobsRemoved: 1,
      });
      expect((await api.ok(RUN, { id: doomed })).run).toBeNull();
      expect(fs.existsSync(blobPath(sha(own)))).toBe(false);
      expect(fs.existsSync(blobPath(sha(shared)))).toBe(true);
      const kept = await api.fetch(`/runs/${keeper}/artifacts/same-content.bin`);
      expect(kept.status).toBe(200);
      expect(await kept.text()).toBe(shared);
      // Nothing of the run is left in any table.
      const p = database.prisma;
      const where = { runId: doomed };
      expect(await p.metricPoint.count({ where })).toBe(0);
      expect(await p.runMetricSummary.count({ where })).toBe(0);
      expect(await p.artifact.count({ where })).toBe(0);
      expect(await p.evaluation.count({ where })).toBe(0);
      expect(await p.uncertaintyEvaluation.count({ where })).toBe(0);
      expect(await p.prediction.count({ where: { evaluation: { runId: doomed } } })).toBe(0);
      expect(await p.prediction.count()).toBe(0); // the only evaluation's predictions went too
      expect(await p.run.count({ where: { id: doomed } })).toBe(0);
      // The keeper's rows are untouched; a second delete says NOT_FOUND.
      expect(await p.artifact.count({ where: { runId: keeper } })).toBe(1);
      expect(codeOf(await api.gql(DELETE, { id: doomed }, as('alice')))).toBe('NOT_FOUND');
    });

    it('refuses a RUNNING run with INVALID_STATE, a reader with FORBIDDEN, an outsider with NOT_FOUND', async () => {
      const running = await aliceRun(pa, { status: 'RUNNING' });
      const r = await api.gql(DELETE, { id: running }, as('alice'));
      expect(codeOf(r)).toBe('INVALID_STATE');
      expect(r.errors?.[0]?.message).toMatch(/RUNNING.*finishRun/);
      const done = await aliceRun(pa);
      expect(codeOf(await api.gql(DELETE, { id: done }, as('bob')))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(DELETE, { id: done }, as('carol')))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(DELETE, { id: done }, { key: null }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await api.gql(DELETE, { id: 'x'.repeat(101) }, as('alice')))).toBe(
        'BAD_USER_INPUT',
      );
      for (const id of [running, done]) expect((await api.ok(RUN, { id })).run?.id).toBe(id);
      // A QUEUED run (no worker yet) may be deleted.
      expect((await api.gql(DELETE, { id: done }, as('alice'))).errors).toBeUndefined();
    });
  });

  describe('moveRun', () => {
    it('moves a run between projects the caller may write, with its data', async () => {
      const id = await aliceRun(pa, { status: 'RUNNING' });
      await put(id, 'model.json', `{"m": "${uniq('m')}"}`);
      const r = await api.gql(MOVE, { id, p: pb }, as('alice'));
      expect(r.errors).toBeUndefined();
      expect(r.data.moveRun).toEqual({ id, project: { name: pb } });
      const listed: Loose = await api.ok(RUNS, { f: { projects: [pb], ids: [id] } });
      expect(listed.runs.nodes.map((n: { id: string }) => n.id)).toEqual([id]);
      expect((await api.fetch(`/runs/${id}/artifacts/model.json`)).status).toBe(200);
      // Carol (editor of beta only) may now write it.
      expect((await api.gql(ARCHIVE, { id }, as('carol'))).errors).toBeUndefined();
      // Moving into its own project changes nothing.
      expect((await api.gql(MOVE, { id, p: pb }, as('alice'))).data.moveRun.project.name).toBe(pb);
    });

    it('needs the editor role on the target too; unknown targets are NOT_FOUND', async () => {
      const id = await aliceRun(pa);
      const toReader = await api.gql(MOVE, { id, p: pc }, as('alice'));
      expect(codeOf(toReader)).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(MOVE, { id, p: uniq('nowhere') }, as('alice')))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await api.gql(MOVE, { id, p: pb }, as('bob')))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(MOVE, { id, p: pb }, as('carol')))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(MOVE, { id, p: '' }, as('alice')))).toBe('BAD_USER_INPUT');
      expect((await api.ok(RUN, { id })).run.project.name).toBe(pa);
    });

    it('drops the idempotency key only when the target already uses it', async () => {
      const key = uniq('crid');
      const a = await aliceRun(pa, { clientRequestId: key });
      const b = await aliceRun(pb, { clientRequestId: key });
      const moved = await api.gql(MOVE, { id: a, p: pb }, as('alice'));
      expect(moved.errors).toBeUndefined();
      const rows = await database.prisma.run.findMany({
        where: { id: { in: [a, b] } },
        select: { id: true, clientRequestId: true },
      });
      expect(Object.fromEntries(rows.map((r) => [r.id, r.clientRequestId]))).toEqual({
        [a]: null,
        [b]: key,
      });
      const other = uniq('crid');
      const c = await aliceRun(pa, { clientRequestId: other });
      expect((await api.gql(MOVE, { id: c, p: pb }, as('alice'))).errors).toBeUndefined();
      // The key moved with it: a retried createRun in beta returns the moved run.
      expect(await aliceRun(pb, { clientRequestId: other })).toBe(c);
    });
  });
});
