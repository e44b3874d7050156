// Identity and project roles end to end: login links, sessions, API keys, and every mutation and
// write route refused without a credential, with a viewer's key and with another project's key;
// reads filtered the same way; a public project readable without login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

/** Signs a user in through a one-time login link and returns their session cookie. */
async function signInByLink(api: TestApi, email: string): Promise<string> {
  const link = (
    await api.ok<{ createLoginLink: string }>(
      'mutation($e: String!) { createLoginLink(email: $e) }',
      { e: email },
    )
  ).createLoginLink;
  const url = new URL(link);
  // The link points at the dashboard, which proxies /api/auth; here we go to the API directly.
  const res = await fetch(`${api.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
  expect([200, 302, 303, 307]).toContain(res.status);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('convscope.session_token='));
  expect(cookie, 'login link sets a session cookie').toBeTruthy();
  return cookie!;
}

/** A GraphQL call with a session cookie. */
async function gqlAs(
  api: TestApi,
  cookie: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Loose;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

const REFUSED = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'];

describe.each(databases)('permissions on $label', (db) => {
  let api: TestApi;
  const pa = uniq('alpha');
  const pb = uniq('beta');
  const emails = { alice: 'alice@lab.test', bob: 'bob@lab.test', carol: 'carol@lab.test' };
  const keys: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
  let cookieAlice = '';
  let runId = '';
  let jobLessRunId = '';
  let projectAId = '';

  beforeAll(async () => {
    api = await startTestApi(db);
    for (const name of [pa, pb])
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: name });
    for (const [who, email] of Object.entries(emails))
      await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email, name: who },
      });
    await api.ok(
      `mutation($a: String!, $b: String!) {
        a: setProjectMember(project: $a, email: "${emails.alice}", role: EDITOR) { email }
        b: setProjectMember(project: $a, email: "${emails.bob}", role: VIEWER) { email }
        c: setProjectMember(project: $b, email: "${emails.carol}", role: EDITOR) { email }
      }`,
      { a: pa, b: pb },
    );
    for (const who of ['alice', 'bob', 'carol'] as const) {
      const cookie = await signInByLink(api, emails[who]);
      if (who === 'alice') cookieAlice = cookie;
      const created = await gqlAs(
        api,
        cookie,
        'mutation { createApiKey(input: { name: "script", role: OWNER }) { key apiKey { id role start } } }',
      );
      expect(created.errors).toBeUndefined();
      keys[who] = created.data.createApiKey.key;
      expect(keys[who]).toMatch(/^cs_/);
    }
    const asAlice = { key: keys.alice };
    const made = await api.gql(
      'mutation($p: String!) { createRun(input: { project: $p, status: RUNNING, clientRequestId: "k1" }) { id } }',
      { p: pa },
      asAlice,
    );
    expect(made.errors).toBeUndefined();
    runId = made.data.createRun.id;
    await api.gql(LOG_METRICS, { runId, points: [{ name: 'loss', step: 0, value: 1 }] }, asAlice);
    const put = await api.fetch(`/runs/${runId}/artifacts/notes.txt?kind=text`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${keys.alice}` },
      body: 'stored',
    });
    expect(put.status).toBe(201);
    const other = await api.gql(
      'mutation($p: String!) { createRun(input: { project: $p, status: RUNNING }) { id } }',
      { p: pa },
      asAlice,
    );
    jobLessRunId = other.data.createRun.id;
    const found = await api.ok<{ project: { id: string } }>(
      'query($p: String!) { project(name: $p) { id } }',
      { p: pa },
    );
    projectAId = found.project.id;
  });
  afterAll(() => api?.stop());

  /** What one mutation is called with, aimed at project alpha and its run. */
  function mutationCases(): Record<string, { query: string; variables?: Record<string, unknown> }> {
    return {
      createProject: { query: `mutation { createProject(name: "${pa}") { id } }` },
      createRun: { query: `mutation { createRun(input: { project: "${pa}" }) { id } }` },
      startRun: { query: `mutation { startRun(id: "${jobLessRunId}") { id } }` },
      heartbeat: { query: `mutation { heartbeat(id: "${runId}") { id } }` },
      finishRun: { query: `mutation { finishRun(id: "${runId}", status: FAILED) { id } }` },
      updateRun: { query: `mutation { updateRun(id: "${runId}", notes: "hijacked") { id } }` },
      archiveRun: { query: `mutation { archiveRun(id: "${runId}") { id } }` },
      unarchiveRun: { query: `mutation { unarchiveRun(id: "${runId}") { id } }` },
      deleteRun: { query: `mutation { deleteRun(id: "${runId}") { id } }` },
      moveRun: { query: `mutation { moveRun(id: "${runId}", project: "${pb}") { id } }` },
      saveView: {
        query: `mutation { saveView(input: { project: "${pa}", name: "v", state: {} }) { id } }`,
      },
      deleteView: { query: 'mutation { deleteView(id: "nope") { id } }' },
      logMetrics: {
        query: LOG_METRICS,
        variables: { runId, points: [{ name: 'loss', step: 1, value: 9 }] },
      },
      logMetricSeries: {
        query: `mutation($r: ID!) { logMetricSeries(runId: $r, series: [{ name: "loss", steps: [1], values: [9] }]) { accepted } }`,
        variables: { r: runId },
      },
      logEvaluation: {
        query: `mutation($r: ID!) { logEvaluation(runId: $r, input: { labels: [0, 1], probabilities: { rows: [[0.9, 0.1], [0.2, 0.8]] }, report: { accuracy: 1, calibration: [], confusionMatrix: [[1, 0], [0, 1]], ece: 0, logLoss: 0.1, macro: { f1: 1, precision: 1, recall: 1 }, weighted: { f1: 1, precision: 1, recall: 1 }, perClass: [], topK: [] } }) { id } }`,
        variables: { r: runId },
      },
      logPredictions: {
        query: `mutation($r: ID!) { logPredictions(runId: $r, input: { classNames: ["a", "b"], labels: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]] }) { id } }`,
        variables: { r: runId },
      },
      logUncertainty: {
        query: `mutation($r: ID!) { logUncertainty(runId: $r, input: { method: "mc-dropout", passes: 2, accuracy: 1, labels: [0], meanProbabilities: [0.6, 0.4], std: [0.1, 0.1], quantiles: [], entropy: [0.67], mutualInformation: [0.01] }) { id } }`,
        variables: { r: runId },
      },
      registerModel: {
        query: `mutation($r: ID!) { registerModel(runId: $r, input: { format: TFJS, artifactName: "notes.txt" }) { id } }`,
        variables: { r: runId },
      },
      claimExplanationJob: { query: 'mutation { claimExplanationJob(workerId: "w") { id } }' },
      completeExplanationJob: {
        query:
          'mutation { completeExplanationJob(id: "nope", claimToken: "t", result: {}) { id } }',
      },
      failExplanationJob: {
        query: 'mutation { failExplanationJob(id: "nope", claimToken: "t", error: "x") { id } }',
      },
      explainSample: {
        query: `mutation($r: ID!) { explainSample(runId: $r, input: { index: 0 }) { cached job { id } } }`,
        variables: { r: runId },
      },
      requestProjection: {
        query: `mutation($r: ID!) { requestProjection(runId: $r) { id } }`,
        variables: { r: runId },
      },
      createUser: {
        query: 'mutation { createUser(input: { email: "mallory@lab.test", name: "m" }) { id } }',
      },
      setUserAdmin: { query: 'mutation { setUserAdmin(userId: "x", admin: true) { id } }' },
      createLoginLink: { query: `mutation { createLoginLink(email: "${emails.alice}") }` },
      createApiKey: {
        query: `mutation { createApiKey(input: { name: "x", role: OWNER, projects: ["${pa}"] }) { key } }`,
      },
      revokeApiKey: { query: 'mutation { revokeApiKey(id: "x") { id } }' },
      setProjectMember: {
        query: `mutation { setProjectMember(project: "${pa}", email: "${emails.carol}", role: OWNER) { email } }`,
      },
      removeProjectMember: {
        query: `mutation { removeProjectMember(project: "${pa}", email: "${emails.alice}") { email } }`,
      },
      setProjectVisibility: {
        query: `mutation { setProjectVisibility(project: "${pa}", visibility: PUBLIC) { id } }`,
      },
      queueRun: {
        query: `mutation($p: ID!) { queueRun(input: { projectId: $p, config: { preset: "fmnist-cnn" } }) { id } }`,
        variables: { p: projectAId },
      },
      cancelRun: { query: `mutation { cancelRun(id: "${runId}") { id } }` },
      registerWorker: {
        query:
          'mutation { registerWorker(input: { name: "w", host: "h", backend: "cpu", gpu: false, memoryMb: 1024, concurrency: 1 }) { id } }',
      },
      claimJob: { query: 'mutation { claimJob(workerId: "w") { id } }' },
      heartbeatWorker: {
        query: 'mutation { heartbeatWorker(workerId: "w", jobIds: []) { cancelJobIds } }',
      },
      startQueuedRun: {
        query: `mutation { startQueuedRun(runId: "${jobLessRunId}", workerId: "w") { id } }`,
      },
      completeJob: { query: 'mutation { completeJob(workerId: "w", jobId: "j") }' },
      failJob: { query: 'mutation { failJob(workerId: "w", jobId: "j", error: "x") }' },
      acknowledgeCancel: { query: 'mutation { acknowledgeCancel(workerId: "w", jobId: "j") }' },
      createSweep: {
        query:
          'mutation($p: ID!, $c: String!) { createSweep(projectId: $p, name: "s", config: $c) { id } }',
        variables: {
          p: projectAId,
          c: JSON.stringify({
            method: 'grid',
            metric: { name: 'val_accuracy', goal: 'maximize' },
            parameters: { learningRate: { values: [0.01] } },
            budget: { maxRuns: 1, parallel: 1 },
            base: { preset: 'fmnist-cnn' },
          }),
        },
      },
      pauseSweep: { query: 'mutation { pauseSweep(id: "nope") { id } }' },
      resumeSweep: { query: 'mutation { resumeSweep(id: "nope") { id } }' },
      stopSweep: { query: 'mutation { stopSweep(id: "nope") { id } }' },
    };
  }

  /** What the stored run looks like (to prove refused calls changed nothing). */
  async function snapshot(): Promise<Loose> {
    return api.ok(
      `query($id: ID!, $p: String!) {
        run(id: $id) { status notes tags cancelRequested metrics { name points { step value } } artifacts { nodes { name sha256 } } evaluations { id } uncertainties { id } explanationJobs { nodes { id status } } }
        project(name: $p) { visibility members { email role } }
      }`,
      { id: runId, p: pa },
    );
  }

  it('lists a case for every mutation of the schema', async () => {
    const schema = await api.ok<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
      '{ __schema { mutationType { fields { name } } } }',
    );
    const names = schema.__schema.mutationType.fields.map((f) => f.name).sort();
    expect(Object.keys(mutationCases()).sort()).toEqual(names);
  });

  const callers: [string, () => string | null, string[]][] = [
    ['no credential', () => null, ['UNAUTHENTICATED']],
    ['a viewer key', () => keys.bob, ['FORBIDDEN', 'NOT_FOUND']],
    ["another project's key", () => keys.carol, ['NOT_FOUND', 'FORBIDDEN']],
  ];
  it.each(callers)(
    'refuses every mutation with %s and changes nothing',
    async (_label, key, codes) => {
      const before = await snapshot();
      const asKey = { key: key() };
      for (const [name, c] of Object.entries(mutationCases())) {
        const r = await api.gql(c.query, c.variables, asKey);
        // createApiKey for your own user is allowed with any credential, but not for alpha by Carol.
        if (name === 'createApiKey' && key() === keys.bob) {
          expect(r.errors, name).toBeUndefined();
          continue;
        }
        // Any signed-in caller may register a worker: it can only claim jobs of projects it edits.
        if (name === 'registerWorker' && key()) {
          expect(r.errors, name).toBeUndefined();
          continue;
        }
        // claiming with a key that may write no project hands out nothing, which is a refusal too.
        if (name === 'claimExplanationJob' && key()) {
          expect(r.data?.claimExplanationJob ?? null, name).toBeNull();
          continue;
        }
        expect(codes, `${name}: ${JSON.stringify(r.errors)}`).toContain(codeOf(r));
        expect(REFUSED).toContain(codeOf(r));
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it('refuses write routes without a credential, with a viewer key and with another project key', async () => {
    const attempts: [string | null, number][] = [
      [null, 401],
      [keys.bob, 403],
      [keys.carol, 404],
    ];
    for (const [key, status] of attempts) {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (key) headers.authorization = `Bearer ${key}`;
      else headers.authorization = '';
      const put = await fetch(`${api.origin}/runs/${runId}/artifacts/notes.txt`, {
        method: 'PUT',
        headers: key ? headers : { 'content-type': 'text/plain' },
        body: 'overwritten',
      });
      expect(put.status, `PUT with ${key ? 'key' : 'nothing'}`).toBe(status);
      const body = (await put.json()) as { code: string; message: string };
      expect(body.message.length).toBeGreaterThan(10);
      const explain = await fetch(`${api.origin}/runs/${runId}/explain`, {
        method: 'POST',
        headers: key
          ? { 'content-type': 'image/png', authorization: `Bearer ${key}` }
          : { 'content-type': 'image/png' },
        body: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      });
      expect(explain.status, `explain with ${key ? 'key' : 'nothing'}`).toBe(status);
    }
    const text = await (await api.fetch(`/runs/${runId}/artifacts/notes.txt`)).text();
    expect(text).toBe('stored');
  });

  it('filters reads across projects by role', async () => {
    const carol = { key: keys.carol };
    const runs = await api.gql(
      '{ runs(first: 100) { totalCount nodes { id project { name } } } }',
      {},
      carol,
    );
    expect(runs.data.runs.nodes.map((r: Loose) => r.project.name)).not.toContain(pa);
    expect((await api.gql(`{ run(id: "${runId}") { id } }`, {}, carol)).data.run).toBeNull();
    expect((await api.gql(`{ project(name: "${pa}") { id } }`, {}, carol)).data.project).toBeNull();
    const projects = await api.gql('{ projects { totalCount nodes { name myRole } } }', {}, carol);
    expect(projects.data.projects).toEqual({
      totalCount: 1,
      nodes: [{ name: pb, myRole: 'EDITOR' }],
    });
    const compare = await api.gql(`{ compareRuns(ids: ["${runId}"]) { runs { id } } }`, {}, carol);
    expect(codeOf(compare)).toBe('NOT_FOUND');
    for (const path of [
      `/runs/${runId}/artifacts/notes.txt`,
      `/runs/${runId}/export/metrics.csv`,
      `/runs/${runId}/samples/0.png`,
    ]) {
      expect(
        (
          await fetch(`${api.origin}${path}`, {
            headers: { authorization: `Bearer ${keys.carol}` },
          })
        ).status,
        path,
      ).toBe(404);
      expect((await fetch(`${api.origin}${path}`)).status, path).toBe(401);
    }
    // The viewer reads but does not write.
    const bob = await api.gql(
      `{ run(id: "${runId}") { id project { myRole } } }`,
      {},
      { key: keys.bob },
    );
    expect(bob.data.run.project.myRole).toBe('VIEWER');
    // Anonymous callers see no private project at all.
    expect(
      (await api.gql('{ projects { totalCount nodes { name } } }', {}, { key: null })).data
        .projects,
    ).toEqual({ totalCount: 0, nodes: [] });
    expect((await api.gql('{ me { email } }', {}, { key: null })).data.me).toBeNull();
  });

  it('opens a public project to anonymous readers, never to anonymous writers', async () => {
    // An editor may not change visibility; the owner (the admin who created it) may.
    const denied = await api.gql(
      `mutation { setProjectVisibility(project: "${pa}", visibility: PUBLIC) { id } }`,
      {},
      { key: keys.alice },
    );
    expect(codeOf(denied)).toBe('FORBIDDEN');
    const made = await api.ok<{ setProjectVisibility: { visibility: string } }>(
      `mutation { setProjectVisibility(project: "${pa}", visibility: PUBLIC) { visibility } }`,
    );
    // Project.visibility is the ProjectVisibility enum (stored lower case, answered upper case).
    expect(made.setProjectVisibility.visibility).toBe('PUBLIC');
    expect(
      (await api.gql(`{ project(name: "${pa}") { visibility } }`, {}, { key: null })).data.project,
    ).toEqual({ visibility: 'PUBLIC' });
    const anon = { key: null };
    expect((await api.gql(`{ run(id: "${runId}") { id notes } }`, {}, anon)).data.run.id).toBe(
      runId,
    );
    expect((await fetch(`${api.origin}/runs/${runId}/artifacts/notes.txt`)).status).toBe(200);
    expect((await fetch(`${api.origin}/runs/${runId}/export/metrics.csv`)).status).toBe(200);
    expect(
      codeOf(await api.gql(`mutation { updateRun(id: "${runId}", notes: "x") { id } }`, {}, anon)),
    ).toBe('UNAUTHENTICATED');
    // Public readers who are not members do not see the member list.
    expect(
      (await api.gql(`{ project(name: "${pa}") { members { email } } }`, {}, anon)).data.project
        .members,
    ).toEqual([]);
    const hidden = await api.ok<{ setProjectVisibility: { visibility: string } }>(
      `mutation { setProjectVisibility(project: "${pa}", visibility: PRIVATE) { visibility } }`,
    );
    expect(hidden.setProjectVisibility.visibility).toBe('PRIVATE');
    expect((await api.gql(`{ run(id: "${runId}") { id } }`, {}, anon)).data.run).toBeNull();
  });

  it('scopes keys by project and role, and revokes them', async () => {
    // A key limited to beta and the viewer role, created by Carol.
    const carolCookie = await signInByLink(api, emails.carol);
    const limited = await gqlAs(
      api,
      carolCookie,
      `mutation { createApiKey(input: { name: "ro", role: VIEWER, projects: ["${pb}"] }) { key apiKey { id role projectIds } } }`,
    );
    expect(limited.errors).toBeUndefined();
    const ro = { key: limited.data.createApiKey.key as string };
    expect(limited.data.createApiKey.apiKey.role).toBe('VIEWER');
    expect(
      codeOf(await api.gql(`mutation { createRun(input: { project: "${pb}" }) { id } }`, {}, ro)),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await api.gql(
          `mutation { createRun(input: { project: "${uniq('new')}" }) { id } }`,
          {},
          ro,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect((await api.gql('{ me { email keyRole } }', {}, ro)).data.me).toEqual({
      email: emails.carol,
      keyRole: 'VIEWER',
    });
    // Revoked: refused at once on this instance.
    const revoked = await gqlAs(
      api,
      carolCookie,
      `mutation($id: ID!) { revokeApiKey(id: $id) { enabled } }`,
      { id: limited.data.createApiKey.apiKey.id },
    );
    expect(revoked.data.revokeApiKey.enabled).toBe(false);
    expect(codeOf(await api.gql('{ me { email } }', {}, ro))).toBe('UNAUTHENTICATED');
    // A garbage key or header is refused with 401, not treated as anonymous.
    const bad = await fetch(`${api.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer cs_not-a-key' },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(bad.status).toBe(401);
    const badBody = (await bad.json()) as { errors: { extensions: { code: string } }[] };
    expect(badBody.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('scopes idempotency keys to the project', async () => {
    const again = await api.gql(
      `mutation { createRun(input: { project: "${pa}", clientRequestId: "k1" }) { id } }`,
      {},
      { key: keys.alice },
    );
    expect(again.data.createRun.id).toBe(runId);
    const other = await api.gql(
      `mutation { createRun(input: { project: "${pb}", clientRequestId: "k1" }) { id project { name } } }`,
      {},
      { key: keys.carol },
    );
    expect(other.data.createRun.id).not.toBe(runId);
    expect(other.data.createRun.project.name).toBe(pb);
    const blank = await api.gql(
      `mutation { createRun(input: { project: "${pb}", clientRequestId: "   " }) { id } }`,
      {},
      { key: keys.carol },
    );
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
  });

  it('keeps sessions to the dashboard origin (CSRF) and signs out', async () => {
    const foreign = await fetch(`${api.origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: cookieAlice,
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(foreign.status).toBe(401);
    const mine = await gqlAs(api, cookieAlice, '{ me { email via isAdmin } }');
    expect(mine.data.me).toEqual({ email: emails.alice, via: 'session', isAdmin: false });
    // Public sign-up and self-service login links are closed.
    for (const path of ['/api/auth/sign-up/email', '/api/auth/sign-in/magic-link']) {
      const r = await fetch(`${api.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x@lab.test', password: 'aaaaaaaaaaaa', name: 'x' }),
      });
      expect(r.status, path).toBe(404);
    }
  });
});
