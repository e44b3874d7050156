// On-demand explanations: POST /runs/:id/explain validation (corrupt, oversized, wrong channels,
// unknown run, run without a model), caching by image hash + parameters, long-polling, the
// atomic claim a worker uses (the old claimExplanationJob and the job queue's claimJob, kind
// EXPLAIN), and recovery of jobs whose worker died (the queue's lease expiry), on both
// databases. No worker runs here: the tests play the worker through the GraphQL mutations.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/common/clock';
import {
  codeOf,
  createRun,
  databases,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A LayersModel model.json the API can read (the API never loads the weights). */
function modelJson(channels: number): string {
  return JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'tiny',
        layers: [
          {
            class_name: 'Conv2D',
            config: { name: 'conv1', filters: 2, batch_input_shape: [null, 8, 8, channels] },
          },
          { class_name: 'Flatten', config: { name: 'flatten' } },
          { class_name: 'Dense', config: { name: 'dense', units: 3 } },
        ],
      },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
  });
}

/** A fetch body of bytes (a copy on a plain ArrayBuffer, what BodyInit's type wants). */
const body = (b: Uint8Array | string): BodyInit => (typeof b === 'string' ? b : new Uint8Array(b));

/** A PNG of `channels` (1 or 3) channels with distinct pixels per seed. */
function png(channels: 1 | 3, seed = 0, size = 8): Promise<Buffer> {
  const raw = Buffer.from(
    Array.from({ length: size * size * channels }, (_, i) => (i * 37 + seed * 11) % 256),
  );
  let img = sharp(raw, { raw: { width: size, height: size, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  return img.png().toBuffer();
}

const CLAIM = `mutation($w: String!) { claimExplanationJob(workerId: $w) { id runId status attempts workerId params imageUrl claimToken } }`;
const COMPLETE = `mutation($id: ID!, $t: String!, $r: JSON!) { completeExplanationJob(id: $id, claimToken: $t, result: $r) { id status result } }`;
const FAIL = `mutation($id: ID!, $t: String!, $e: String!) { failExplanationJob(id: $id, claimToken: $t, error: $e) { id status error } }`;
const JOB = `query($id: ID!) { explanationJob(id: $id) { id status attempts error result workerId } }`;

describe.each(databases)('explanation jobs on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db, { maxExplainImageBytes: 4096, explainWaitS: 0 });
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function putArtifact(runId: string, name: string, bytes: string | Uint8Array) {
    const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}?kind=model`, {
      method: 'PUT',
      body: body(bytes),
    });
    expect(res.status).toBe(201);
  }

  async function runWithModel(channels = 1): Promise<string> {
    const runId = await createRun(api, {
      project: uniq('xpl'),
      datasetInfo: { classNames: ['a', 'b', 'c'] },
    });
    await putArtifact(runId, 'weights.bin', Buffer.alloc(16));
    await putArtifact(runId, 'model.json', modelJson(channels));
    return runId;
  }

  function explain(runId: string, bytes: Uint8Array | string, type = 'image/png', qs = '') {
    return api.fetch(`${api.origin}/runs/${runId}/explain${qs}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: body(bytes),
    });
  }

  it('refuses bad uploads with the status and a message naming the problem', async () => {
    const gray = await png(1);
    const unknown = await explain('no-such-run', gray);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('RUN_NOT_FOUND');

    const bare = await createRun(api, { project: uniq('xpl') });
    const noModel = await explain(bare, gray);
    expect(noModel.status).toBe(409);
    const noModelBody = await noModel.json();
    expect(noModelBody.code).toBe('MODEL_NOT_FOUND');
    expect(noModelBody.message).toContain('model.json');
    // A model.json without the weights it names is no model either.
    await putArtifact(bare, 'model.json', modelJson(1));
    const noWeights = await (await explain(bare, gray)).json();
    expect(noWeights).toMatchObject({ code: 'MODEL_NOT_FOUND', artifact: 'weights.bin' });

    const runId = await runWithModel(1);
    // Truncated: the header still reads, the pixel data does not.
    const corrupt = await explain(runId, gray.subarray(0, gray.length - 20));
    expect(corrupt.status).toBe(400);
    expect((await corrupt.json()).message).toMatch(/PNG image is corrupt/);
    const garbage = await explain(runId, Buffer.from('certainly not a png'));
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).message).toMatch(/not a readable image/);

    const big = await explain(runId, Buffer.alloc(5000, 7));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'IMAGE_TOO_LARGE', limit: 4096 });

    // Another channel count is no longer refused: the worker converts it (result.conversion).
    const rgb = await explain(runId, await png(3));
    expect(rgb.status).toBe(202);
    const rgbJob = (await rgb.json()).job;
    expect(rgbJob).toMatchObject({ kind: 'IMAGE', status: 'QUEUED', source: null });

    const gif = await explain(runId, gray, 'image/gif');
    expect(gif.status).toBe(415);
    const badMethod = await explain(runId, gray, 'image/png', '?method=lime');
    expect(badMethod.status).toBe(400);
    expect((await badMethod.json()).message).toContain('method must be one of gradcam');
    const badLayer = await (await explain(runId, gray, 'image/png', '?layer=conv9')).json();
    expect(badLayer).toMatchObject({ code: 'BAD_USER_INPUT', field: 'layer' });
    expect(badLayer.message).toContain('conv1');
    const badClass = await (await explain(runId, gray, 'image/png', '?classIndex=3')).json();
    expect(badClass.message).toContain('3 classes');
    // Nothing but the RGB image was queued by any of these.
    expect((await api.ok(CLAIM, { w: 'w-validate' })).claimExplanationJob.id).toBe(rgbJob.id);
    expect(await api.ok(CLAIM, { w: 'w-validate' })).toEqual({ claimExplanationJob: null });
  });

  it('queues once per image and parameters, hands the job to a worker and answers later requests from the cache', async () => {
    const runId = await runWithModel(1);
    const image = await png(1, 5);
    const first = await explain(runId, image, 'image/png', '?method=gradcampp&topK=2');
    expect(first.status).toBe(202);
    const queued = await first.json();
    expect(queued.job).toMatchObject({ runId, status: 'QUEUED', imageMime: 'image/png' });
    expect(first.headers.get('location')).toBe(queued.job.url);
    expect(queued.job.params).toEqual({
      method: 'gradcampp',
      methods: ['gradcampp'],
      classIndex: null,
      layer: null,
      topK: 2,
      activationsLayer: null,
    });
    // The same request while queued joins the job instead of adding one.
    const again = await (
      await explain(runId, image, 'image/png', '?topK=2&method=gradcampp')
    ).json();
    expect(again.job.id).toBe(queued.job.id);

    const claimed = (await api.ok(CLAIM, { w: 'worker-1' })).claimExplanationJob;
    expect(claimed).toMatchObject({ id: queued.job.id, status: 'RUNNING', attempts: 1 });
    const fetched = Buffer.from(await (await api.fetch(claimed.imageUrl)).arrayBuffer());
    expect(fetched.equals(image)).toBe(true);
    const result = { predictions: [{ classIndex: 1, className: 'b', probability: 0.9 }] };
    expect(
      (await api.ok(COMPLETE, { id: claimed.id, t: claimed.claimToken, r: result }))
        .completeExplanationJob,
    ).toMatchObject({ status: 'DONE', result });
    // Completing again is idempotent; failing a DONE job is not allowed.
    expect(
      (await api.gql(COMPLETE, { id: claimed.id, t: claimed.claimToken, r: result })).errors,
    ).toBeUndefined();
    expect(codeOf(await api.gql(FAIL, { id: claimed.id, t: claimed.claimToken, e: 'late' }))).toBe(
      'INVALID_STATE',
    );

    const cached = await explain(runId, image, 'image/png', '?method=gradcampp&topK=2');
    expect(cached.status).toBe(200);
    expect(await cached.json()).toMatchObject({ cached: true, job: { id: claimed.id, result } });
    // Multipart with the parameters as fields hashes the same bytes and parameters.
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'x.png');
    form.set('method', 'gradcampp');
    form.set('topK', '2');
    const multipart = await api.fetch(`${api.origin}/runs/${runId}/explain`, {
      method: 'POST',
      body: form,
    });
    expect(multipart.status).toBe(200);
    expect((await multipart.json()).job.id).toBe(claimed.id);
    // Other parameters or another image: a new job.
    const other = await (await explain(runId, image, 'image/png', '?topK=3')).json();
    expect(other.job.id).not.toBe(claimed.id);
    const otherImage = await (
      await explain(runId, await png(1, 6), 'image/png', '?method=gradcampp&topK=2')
    ).json();
    expect(otherImage.job.id).not.toBe(claimed.id);

    const listed = await api.ok(
      `query($id: ID!) { run(id: $id) { explanationJobs { nodes { id status } } } }`,
      { id: runId },
    );
    expect(listed.run.explanationJobs.nodes.map((j: Loose) => j.id)).toEqual([
      otherImage.job.id,
      other.job.id,
      claimed.id,
    ]);
    const polled = await (await api.fetch(`${api.origin}/explain-jobs/${claimed.id}`)).json();
    expect(polled.job).toMatchObject({ id: claimed.id, status: 'DONE', result });
    expect((await api.fetch(`${api.origin}/explain-jobs/nope`)).status).toBe(404);
    // Drain the queue for the other tests.
    for (;;) {
      const j = (await api.ok(CLAIM, { w: 'drain' })).claimExplanationJob;
      if (!j) break;
      await api.ok(FAIL, { id: j.id, t: j.claimToken, e: 'drained' });
    }
  });

  it('pages explanation jobs newest first, forward and backward, also while new ones are queued', async () => {
    const runId = await runWithModel(1);
    const submit = async (seed: number): Promise<string> => {
      const res = await explain(runId, await png(1, 100 + seed));
      expect(res.status).toBeLessThan(300);
      return (await res.json()).job.id;
    };
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await submit(i));
    const newestFirst = [...ids].reverse();
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      run(id: $id) { explanationJobs(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } nodes { id createdAt }
        pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } } }`;
    const page = async (vars: Record<string, unknown>) =>
      (await api.ok(q, { id: runId, ...vars })).run.explanationJobs;

    const forward: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const p = await page({ first: 3, after });
      expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(p.edges.map((e: Loose) => e.node.id)).toEqual(p.nodes.map((n: Loose) => n.id));
      forward.push(...p.nodes.map((n: Loose) => n.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(forward).toEqual(newestFirst);

    const backward: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const p = await page({ last: 2, before });
      expect(p.pageInfo.hasNextPage).toBe(before !== null);
      backward.unshift(...p.nodes.map((n: Loose) => n.id));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(backward).toEqual(newestFirst);

    // Jobs queued between pages are newer than the cursor: the walk neither repeats nor skips.
    const first = await page({ first: 3 });
    const added = [await submit(20), await submit(21)];
    const rest: string[] = [];
    let cursor: string | null = first.pageInfo.endCursor;
    while (cursor !== null) {
      const p = await page({ first: 3, after: cursor });
      rest.push(...p.nodes.map((n: Loose) => n.id));
      cursor = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
    }
    expect([...first.nodes.map((n: Loose) => n.id), ...rest]).toEqual(newestFirst);
    // The new ones lead the list now; going back from the first page's start finds them.
    const newer = await page({ last: 10, before: first.pageInfo.startCursor });
    expect(newer.nodes.map((n: Loose) => n.id)).toEqual([...added].reverse());
    expect(newer.pageInfo.hasPreviousPage).toBe(false);

    // Default 20 per page, at most 100; cursors of another field or garbage are refused.
    expect((await page({})).nodes).toHaveLength(9);
    const otherField = Buffer.from(JSON.stringify(['artifact:name', 'a', 'b'])).toString(
      'base64url',
    );
    for (const vars of [
      { first: 101 },
      { after: otherField },
      { before: '%%%' },
      { first: 1, last: 1 },
    ])
      expect(codeOf(await api.gql(q, { id: runId, ...vars })), JSON.stringify(vars)).toBe(
        'BAD_USER_INPUT',
      );
    // An unknown job id answers null.
    expect((await api.ok(JOB, { id: 'no-such-job' })).explanationJob).toBeNull();
    // Drain the queue for the other tests.
    for (;;) {
      const j = (await api.ok(CLAIM, { w: 'drain' })).claimExplanationJob;
      if (!j) break;
      await api.ok(FAIL, { id: j.id, t: j.claimToken, e: 'drained' });
    }
  });

  it('pages the jobs of a page of runs in a constant number of queries', async () => {
    const queriesFor = async (runs: number) => {
      const project = uniq('xplq');
      const expected: string[][] = [];
      for (let i = 0; i < runs; i++) {
        const runId = await createRun(api, { project, name: `r${i}` });
        await putArtifact(runId, 'weights.bin', Buffer.alloc(16));
        await putArtifact(runId, 'model.json', modelJson(1));
        const ids: string[] = [];
        for (let k = 0; k < 3; k++)
          ids.push((await (await explain(runId, await png(1, 200 + 10 * i + k))).json()).job.id);
        expected.push(ids.reverse().slice(0, 2));
      }
      const q = `query($p: String!) { runs(filter: { projects: [$p] }, orderBy: { by: { field: NAME }, direction: ASC }) {
        nodes { explanationJobs(first: 2) { nodes { id } pageInfo { hasNextPage } } } } }`;
      const before = api.server.queryCount();
      const data = await api.ok(q, { p: project });
      const count = api.server.queryCount() - before;
      expect(
        data.runs.nodes.map((n: Loose) => n.explanationJobs.nodes.map((j: Loose) => j.id)),
      ).toEqual(expected);
      for (const n of data.runs.nodes) expect(n.explanationJobs.pageInfo.hasNextPage).toBe(true);
      return count;
    };
    expect(await queriesFor(4)).toBe(await queriesFor(2));
    // Drain the queue for the other tests.
    for (;;) {
      const j = (await api.ok(CLAIM, { w: 'drain' })).claimExplanationJob;
      if (!j) break;
      await api.ok(FAIL, { id: j.id, t: j.claimToken, e: 'drained' });
    }
  });

  it('long-polls: the request returns the result as soon as the worker posts it', async () => {
    const runId = await runWithModel(1);
    const image = await png(1, 9);
    const pending = explain(runId, image, 'image/png', '?wait=20');
    let claimed: Loose = null;
    for (let i = 0; i < 100 && !claimed; i++) {
      claimed = (await api.ok(CLAIM, { w: 'poller' })).claimExplanationJob;
      if (!claimed) await sleep(50);
    }
    expect(claimed?.runId).toBe(runId);
    const started = Date.now();
    await api.ok(COMPLETE, { id: claimed.id, t: claimed.claimToken, r: { ok: 1 } });
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      cached: false,
      job: { status: 'DONE', result: { ok: 1 } },
    });
    // A failed job answers 422 with the worker's error, and a new request retries it.
    const failing = explain(runId, image, 'image/png', '?method=eigencam&wait=20');
    let job: Loose = null;
    for (let i = 0; i < 100 && !job; i++) {
      job = (await api.ok(CLAIM, { w: 'poller' })).claimExplanationJob;
      if (!job) await sleep(50);
    }
    await api.ok(FAIL, { id: job.id, t: job.claimToken, e: 'layer exploded' });
    const failed = await failing;
    expect(failed.status).toBe(422);
    expect(await failed.json()).toMatchObject({
      code: 'EXPLANATION_FAILED',
      message: 'layer exploded',
    });
    const retried = await explain(runId, image, 'image/png', '?method=eigencam');
    expect(retried.status).toBe(202);
    expect((await retried.json()).job).toMatchObject({ id: job.id, status: 'QUEUED', error: null });
    const again = (await api.ok(CLAIM, { w: 'poller' })).claimExplanationJob;
    await api.ok(FAIL, { id: again.id, t: again.claimToken, e: 'drained' });
  });

  it('gives each queued job to exactly one of many concurrent claims', async () => {
    const runId = await runWithModel(1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await (await explain(runId, await png(1, 100 + i))).json();
      ids.push(r.job.id);
    }
    const claims = await Promise.all(
      Array.from({ length: 16 }, (_, i) => api.ok(CLAIM, { w: `racer-${i}` })),
    );
    const won = claims.map((c) => c.claimExplanationJob).filter(Boolean);
    expect(won.map((j: Loose) => j.id).sort()).toEqual([...ids].sort());
    for (const j of won) {
      const row = (await api.ok(JOB, { id: j.id })).explanationJob;
      expect(row).toMatchObject({ status: 'RUNNING', attempts: 1, workerId: j.workerId });
      await api.ok(FAIL, { id: j.id, t: j.claimToken, e: 'drained' });
    }
  });

  it('takes a result only from the worker that claimed the job, with its claim token', async () => {
    const runId = await runWithModel(1);
    const image = await png(1, 77);
    const queued = await (await explain(runId, image)).json();
    const forged = { predictions: [{ classIndex: 2, className: 'c', probability: 1 }] };
    // Nobody claimed it: a result is refused, whatever the token. (Before claim tokens the API
    // stored this, and the next upload of the image got the forged answer with cached: true.)
    const unclaimed = await api.gql(COMPLETE, { id: queued.job.id, t: 'guess', r: forged });
    expect(unclaimed.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      status: 'QUEUED',
    });
    expect(unclaimed.errors?.[0]?.message).toMatch(
      /is QUEUED; only a RUNNING job can be completed/,
    );
    const again = await (await explain(runId, image)).json();
    expect(again).toMatchObject({ cached: false, job: { status: 'QUEUED', result: null } });

    const claimed = (await api.ok(CLAIM, { w: 'honest' })).claimExplanationJob;
    expect(claimed.id).toBe(queued.job.id);
    expect(claimed.claimToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another token (or none) for the RUNNING job: refused, the job keeps running.
    for (const t of ['guess', `${claimed.claimToken}x`]) {
      const wrong = await api.gql(COMPLETE, { id: claimed.id, t, r: forged });
      expect(wrong.errors?.[0]?.extensions).toMatchObject({
        code: 'INVALID_STATE',
        reason: 'CLAIM_TOKEN_MISMATCH',
      });
      expect(wrong.errors?.[0]?.message).toMatch(/claimToken does not match/);
      expect(codeOf(await api.gql(FAIL, { id: claimed.id, t, e: 'sabotage' }))).toBe(
        'INVALID_STATE',
      );
    }
    expect(codeOf(await api.gql(COMPLETE, { id: claimed.id, r: forged }))).toBe('BAD_USER_INPUT');
    expect((await api.ok(JOB, { id: claimed.id })).explanationJob).toMatchObject({
      status: 'RUNNING',
      result: null,
    });
    // The token is shown only in the claim's answer: not on ExplanationJob, not over HTTP.
    expect(
      codeOf(
        await api.gql(`query($id: ID!) { explanationJob(id: $id) { claimToken } }`, {
          id: claimed.id,
        }),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    const polled = await (await api.fetch(`${api.origin}/explain-jobs/${claimed.id}`)).json();
    expect(JSON.stringify(polled)).not.toContain(claimed.claimToken);
    expect(polled.job.claimToken).toBeUndefined();
    // The right token completes it; the next upload is answered from the real result.
    const real = { predictions: [{ classIndex: 0, className: 'a', probability: 0.6 }] };
    await api.ok(COMPLETE, { id: claimed.id, t: claimed.claimToken, r: real });
    expect(await (await explain(runId, image)).json()).toMatchObject({
      cached: true,
      job: { result: real },
    });
  });
});

const LEASE_S = 30;
const REGISTER = `mutation($n: String!) { registerWorker(input: { name: $n, host: "h", backend: "cpu", gpu: false, memoryMb: 1024, concurrency: 1, kinds: [EXPLAIN] }) { id kinds } }`;
const CLAIM_JOB = `mutation($w: ID!) { claimJob(workerId: $w) { id kind runId attempt leaseExpiresAt payload } }`;
const BEAT = `mutation($w: ID!, $j: [ID!]!) { heartbeatWorker(workerId: $w, jobIds: $j) { cancelJobIds } }`;
const COMPLETE_JOB = `mutation($w: ID!, $j: ID!) { completeJob(workerId: $w, jobId: $j) }`;
const FAIL_JOB = `mutation($w: ID!, $j: ID!, $e: String!, $r: Boolean) { failJob(workerId: $w, jobId: $j, error: $e, retryable: $r) }`;

describe.each(databases)('explanation jobs of a lost worker on $label', (db) => {
  let api: TestApi;
  // The server's time: moved past the 1 s claim timeout and the 30 s lease by advance(), not by
  // sleeping.
  const clock = new FakeClock();
  beforeAll(async () => {
    api = await startTestApi(db, {
      explainJobTimeoutS: 1,
      jobLeaseS: LEASE_S,
      jobMaxAttempts: 2,
      explainWaitS: 0,
      clock,
    });
  });

  /** A run with a stored model and an uploaded image queued for it; the job. */
  async function queuedExplanation(seed: number): Promise<Loose> {
    const runId = await createRun(api, { project: uniq('lost') });
    for (const [name, bytes] of [
      ['weights.bin', Buffer.alloc(4)],
      ['model.json', modelJson(3)],
    ] as const) {
      const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
        method: 'PUT',
        body: body(bytes),
      });
      expect(res.status).toBe(201);
    }
    const res = await api.fetch(`${api.origin}/runs/${runId}/explain`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: body(await png(3, seed)),
    });
    expect(res.status).toBe(202);
    return (await res.json()).job;
  }

  it('retries the job of a queue worker that died (lease expired) on another worker, refusing the dead one', async () => {
    const job = await queuedExplanation(41);
    const a = (await api.ok(REGISTER, { n: 'a' })).registerWorker;
    expect(a.kinds).toEqual(['EXPLAIN']);
    const b = (await api.ok(REGISTER, { n: 'b' })).registerWorker.id;
    const first = (await api.ok(CLAIM_JOB, { w: a.id })).claimJob;
    expect(first).toMatchObject({ id: job.id, kind: 'EXPLAIN', runId: null, attempt: 1 });
    expect(first.payload).toMatchObject({
      explanationJobId: job.id,
      runId: job.runId,
      explainKind: 'IMAGE',
      params: { method: 'gradcam' },
    });
    expect(first.payload.claimToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await api.ok(JOB, { id: job.id })).explanationJob).toMatchObject({
      status: 'RUNNING',
      attempts: 1,
      workerId: 'a',
    });
    // Worker a dies: no heartbeat. Within the lease nothing moves; past it the reaper requeues.
    clock.advance((LEASE_S - 5) * 1000);
    await api.server.reapNow();
    expect((await api.ok(CLAIM_JOB, { w: b })).claimJob).toBeNull();
    clock.advance(10_000);
    await api.server.reapNow();
    expect((await api.ok(JOB, { id: job.id })).explanationJob).toMatchObject({
      status: 'QUEUED',
      attempts: 1,
    });
    const second = (await api.ok(CLAIM_JOB, { w: b })).claimJob;
    expect(second).toMatchObject({ id: job.id, kind: 'EXPLAIN', attempt: 2 });
    expect(second.payload.claimToken).not.toBe(first.payload.claimToken);
    expect((await api.ok(JOB, { id: job.id })).explanationJob).toMatchObject({
      status: 'RUNNING',
      attempts: 2,
      workerId: 'b',
    });
    // The dead worker, back: its heartbeat and its result are refused.
    const stale = await api.gql(BEAT, { w: a.id, j: [job.id] });
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
    });
    const late = await api.gql(COMPLETE, { id: job.id, t: first.payload.claimToken, r: { x: 1 } });
    expect(late.errors?.[0]?.extensions).toMatchObject({ reason: 'CLAIM_TOKEN_MISMATCH' });
    // completeJob without the result is refused: the result comes with completeExplanationJob.
    expect(codeOf(await api.gql(COMPLETE_JOB, { w: b, j: job.id }))).toBe('INVALID_STATE');
    const result = { predictions: [{ classIndex: 0, className: 'a', probability: 1 }] };
    const done = await api.ok(COMPLETE, { id: job.id, t: second.payload.claimToken, r: result });
    expect(done.completeExplanationJob).toMatchObject({ status: 'DONE', result });
    // The result ended the queue's job too: nothing left to beat, claim or retry.
    expect(codeOf(await api.gql(BEAT, { w: b, j: [job.id] }))).toBe('INVALID_STATE');
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    expect((await api.ok(JOB, { id: job.id })).explanationJob.status).toBe('DONE');
    expect((await api.ok(CLAIM_JOB, { w: b })).claimJob).toBeNull();
  });

  it('fails the job past the retry limit, and a retryable failJob puts it back in the queue', async () => {
    const job = await queuedExplanation(42);
    const w = (await api.ok(REGISTER, { n: 'flaky' })).registerWorker.id;
    const first = (await api.ok(CLAIM_JOB, { w })).claimJob;
    // A worker stopping (SIGTERM) hands the job back: retryable, queued again.
    await api.ok(FAIL_JOB, { w, j: first.id, e: 'the worker is stopping', r: true });
    expect((await api.ok(JOB, { id: job.id })).explanationJob.status).toBe('QUEUED');
    const second = (await api.ok(CLAIM_JOB, { w })).claimJob;
    expect(second).toMatchObject({ id: job.id, attempt: 2 });
    // The last attempt (jobMaxAttempts 2) dies too: the explanation fails, saying why.
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    const failed = (await api.ok(JOB, { id: job.id })).explanationJob;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(failed.error).toMatch(/lease expired.*gave up after 2 attempts/);
    const polled = await (await api.fetch(`${api.origin}/explain-jobs/${job.id}`)).json();
    expect(polled.job.status).toBe('FAILED');
    // Asking again queues it anew on the queue, with fresh attempts.
    const again = await api.fetch(`${api.origin}/runs/${job.runId}/explain`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: body(await png(3, 42)),
    });
    expect((await again.json()).job).toMatchObject({ id: job.id, status: 'QUEUED', attempts: 0 });
    const third = (await api.ok(CLAIM_JOB, { w })).claimJob;
    expect(third).toMatchObject({ id: job.id, attempt: 1 });
    await api.ok(FAIL, { id: job.id, t: third.payload.claimToken, e: 'drained' });
    expect((await api.ok(CLAIM_JOB, { w })).claimJob).toBeNull();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('requeues a RUNNING job without a result after the timeout, then fails it after the last attempt', async () => {
    const runId = await createRun(api, { project: uniq('lost') });
    for (const [name, bytes] of [
      ['weights.bin', Buffer.alloc(4)],
      ['model.json', modelJson(3)],
    ] as const) {
      const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
        method: 'PUT',
        body: body(bytes),
      });
      expect(res.status).toBe(201);
    }
    const res = await api.fetch(`${api.origin}/runs/${runId}/explain`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: body(await png(3)),
    });
    const { job } = await res.json();
    const first = (await api.ok(CLAIM, { w: 'dies' })).claimExplanationJob;
    expect(first).toMatchObject({ id: job.id, attempts: 1 });
    // Not stale yet: nothing to claim.
    await api.server.reapNow();
    expect((await api.ok(CLAIM, { w: 'second' })).claimExplanationJob).toBeNull();
    // The old claim has no heartbeats: its lease is EXPLAIN_JOB_TIMEOUT_S (1 s here).
    clock.advance(1300);
    await api.server.reapNow();
    const second = (await api.ok(CLAIM, { w: 'second' })).claimExplanationJob;
    expect(second).toMatchObject({ id: job.id, attempts: 2, workerId: 'second' });
    clock.advance(1300);
    await api.server.reapNow();
    const failed = (await api.ok(JOB, { id: job.id })).explanationJob;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(failed.error).toMatch(/^worker lost: .*lease expired.* \(gave up after 2 attempts\)$/);
    // The lost worker's late result is refused; polling shows the failure.
    for (const t of [first.claimToken, second.claimToken])
      expect(codeOf(await api.gql(COMPLETE, { id: job.id, t, r: { late: true } }))).toBe(
        'INVALID_STATE',
      );
    const polled = await (await api.fetch(`${api.origin}/explain-jobs/${job.id}`)).json();
    expect(polled.job.status).toBe('FAILED');
  });
});
