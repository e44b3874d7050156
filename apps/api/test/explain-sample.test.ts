// On-demand work beyond uploads: explainSample (a stored sample explained through the same
// cache and workers as an upload, its source recorded on the job) and requestProjection (one
// PROJECTION job per run, forced again on request), and the kinds a worker claims, on both
// databases. No worker runs here: the tests play the worker through the GraphQL mutations.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/common/clock';
import { codeOf, createRun, databases, startTestApi, uniq, type TestApi } from './helpers';

/** A LayersModel model.json the API can read (8x8x`channels` input; the API never loads weights). */
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

/** Six 8x8 grayscale images with distinct pixels. */
const SAMPLES = Uint8Array.from({ length: 6 * 64 }, (_, k) => (k * 29 + (k >> 6) * 7) % 256);

const EXPLAIN = `mutation($r: ID!, $i: ExplainSampleInput!) {
  explainSample(runId: $r, input: $i) {
    cached
    job { id kind status runId source { split index } params imageMime imageWidth imageHeight imageUrl result }
  }
}`;
const CLAIM = `mutation($w: String!, $k: [ExplanationJobKind!]) { claimExplanationJob(workerId: $w, kinds: $k) { id kind claimToken imageUrl } }`;
const COMPLETE = `mutation($id: ID!, $t: String!, $r: JSON!) { completeExplanationJob(id: $id, claimToken: $t, result: $r) { id status } }`;
const FAIL = `mutation($id: ID!, $t: String!, $e: String!) { failExplanationJob(id: $id, claimToken: $t, error: $e) { id status } }`;
const PROJECT = `mutation($r: ID!, $f: Boolean) { requestProjection(runId: $r, force: $f) { id kind status params result imageSha256 imageMime imageBytes imageWidth imageHeight imageUrl source { index } } }`;

describe.each(databases)('explainSample and requestProjection on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db, { explainWaitS: 0 });
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function put(runId: string, name: string, bytes: string | Uint8Array, qs = 'kind=model') {
    const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}?${qs}`, {
      method: 'PUT',
      body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
    });
    expect(res.status).toBe(201);
  }

  async function run(options: { model?: boolean; samples?: boolean } = {}): Promise<string> {
    const runId = await createRun(api, {
      project: uniq('xs'),
      datasetInfo: { classNames: ['a', 'b', 'c'] },
    });
    if (options.model ?? true) {
      await put(runId, 'weights.bin', new Uint8Array(16));
      await put(runId, 'model.json', modelJson(1));
    }
    if (options.samples ?? true) {
      const meta = {
        format: 'uint8-nhwc',
        split: 'test',
        count: 6,
        total: 10,
        height: 8,
        width: 8,
        channels: 1,
      };
      await put(
        runId,
        'test-samples.bin',
        SAMPLES,
        `kind=samples&metadata=${encodeURIComponent(JSON.stringify(meta))}`,
      );
    }
    return runId;
  }

  /** Claims the oldest queued job of `kinds` (as a worker). */
  async function claim(kinds: string[] | null = null) {
    return (await api.ok(CLAIM, { w: uniq('w'), k: kinds })).claimExplanationJob;
  }

  it('queues a stored sample through the explain cache and records where it came from', async () => {
    const runId = await run();
    const input = { index: 2, methods: ['GRADCAM', 'SALIENCY'], topK: 2 };
    const first = (await api.ok(EXPLAIN, { r: runId, i: input })).explainSample;
    expect(first.cached).toBe(false);
    expect(first.job).toMatchObject({
      kind: 'IMAGE',
      status: 'QUEUED',
      runId,
      source: { split: 'test', index: 2 },
      imageMime: 'image/png',
      imageWidth: 8,
      imageHeight: 8,
      params: {
        method: 'gradcam',
        methods: ['gradcam', 'saliency'],
        classIndex: null,
        layer: null,
        topK: 2,
      },
      result: null,
    });
    // Asked again while queued: the same job, not a second one.
    const again = (await api.ok(EXPLAIN, { r: runId, i: input })).explainSample;
    expect(again).toMatchObject({ cached: false, job: { id: first.job.id } });

    const claimed = await claim(['IMAGE']);
    expect(claimed).toMatchObject({ id: first.job.id, kind: 'IMAGE' });
    // The worker's image is the sample's pixels, losslessly.
    const png = Buffer.from(await (await api.fetch(claimed.imageUrl)).arrayBuffer());
    const { data, info } = await sharp(png)
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([8, 8, 1]);
    expect([...data]).toEqual([...SAMPLES.subarray(2 * 64, 3 * 64)]);
    const result = {
      predictions: [{ classIndex: 1, className: 'b', probability: 0.7 }],
      methods: [],
    };
    await api.ok(COMPLETE, { id: claimed.id, t: claimed.claimToken, r: result });

    // Done: answered from the cache.
    const cached = (await api.ok(EXPLAIN, { r: runId, i: input })).explainSample;
    expect(cached).toMatchObject({
      cached: true,
      job: { id: first.job.id, status: 'DONE', result },
    });
    // Another sample, other methods, or the same pixels uploaded: other jobs.
    const other = (await api.ok(EXPLAIN, { r: runId, i: { ...input, index: 3 } })).explainSample;
    const methods = (await api.ok(EXPLAIN, { r: runId, i: { ...input, methods: ['SMOOTHGRAD'] } }))
      .explainSample;
    const upload = await (
      await api.fetch(
        `${api.origin}/runs/${runId}/explain?method=gradcam&methods=gradcam,saliency&topK=2`,
        {
          method: 'POST',
          headers: { 'content-type': 'image/png' },
          body: new Uint8Array(png),
        },
      )
    ).json();
    const ids = [first.job.id, other.job.id, methods.job.id, upload.job.id];
    expect(new Set(ids).size).toBe(4);
    expect(other.job.source).toEqual({ split: 'test', index: 3 });
    expect(methods.job.params).toMatchObject({ method: 'gradcam', methods: ['smoothgrad'] });
    expect(upload.job).toMatchObject({
      kind: 'IMAGE',
      source: null,
      imageSha256: expect.any(String),
    });
    // The default: GRADCAM only, the test split, top 5.
    const plain = (await api.ok(EXPLAIN, { r: runId, i: { index: 0 } })).explainSample;
    expect(plain.job.params).toEqual({
      method: 'gradcam',
      methods: ['gradcam'],
      classIndex: null,
      layer: null,
      topK: 5,
      activationsLayer: null,
    });
  });

  it('answers each mistake with its own error, naming the problem', async () => {
    const ask = async (runId: string, i: Record<string, unknown>) => {
      const r = await api.gql(EXPLAIN, { r: runId, i });
      return {
        code: codeOf(r),
        message: r.errors?.[0]?.message ?? '',
        ext: r.errors?.[0]?.extensions ?? {},
      };
    };
    expect((await ask('no-such-run', { index: 0 })).code).toBe('NOT_FOUND');

    const noModel = await ask(await run({ model: false }), { index: 0 });
    expect(noModel).toMatchObject({ code: 'INVALID_STATE', ext: { reason: 'MODEL_NOT_FOUND' } });
    expect(noModel.message).toContain('model.json');

    const noSamples = await ask(await run({ samples: false }), { index: 0 });
    expect(noSamples).toMatchObject({
      code: 'INVALID_STATE',
      ext: { reason: 'SAMPLES_NOT_FOUND' },
    });
    expect(noSamples.message).toContain('test-samples.bin');
    const runId = await run();
    const otherSplit = await ask(runId, { index: 0, split: 'val' });
    expect(otherSplit.message).toContain('val-samples.bin');

    const past = await ask(runId, { index: 6 });
    expect(past).toMatchObject({ code: 'BAD_USER_INPUT', ext: { field: 'index', count: 6 } });
    expect(past.message).toContain('stores 6 test samples (0 to 5) of the 10 evaluated');
    expect((await ask(runId, { index: -1 })).ext.field).toBe('index');
    expect((await ask(runId, { index: 0, split: '../x' })).ext.field).toBe('split');
    const tooMany = await ask(runId, {
      index: 0,
      methods: ['GRADCAM', 'SALIENCY', 'SMOOTHGRAD', 'EIGENCAM', 'LAYERCAM'],
    });
    expect(tooMany).toMatchObject({ code: 'BAD_USER_INPUT', ext: { field: 'methods' } });
    const layer = await ask(runId, { index: 0, layer: 'conv9' });
    expect(layer).toMatchObject({ code: 'BAD_USER_INPUT', ext: { field: 'layer' } });
    expect(layer.message).toContain('conv1');
    const cls = await ask(runId, { index: 0, classIndex: 3 });
    expect(cls.message).toContain('3 classes');
    const bad = await api.gql(EXPLAIN, { r: runId, i: { index: 0, methods: ['LIME'] } });
    expect(bad.errors?.[0]?.message).toMatch(/LIME/);
    // Nothing was queued by any of these.
    const jobs = await api.ok(
      `query($id: ID!) { run(id: $id) { explanationJobs { nodes { id } } } }`,
      { id: runId },
    );
    expect(jobs.run.explanationJobs.nodes).toEqual([]);
  });

  it('keeps one projection job per run: the same job while live or done, again when failed or forced', async () => {
    const noModel = await api.gql(PROJECT, { r: await run({ model: false }) });
    expect(noModel.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'MODEL_NOT_FOUND',
    });

    const runId = await run();
    const job = (await api.ok(PROJECT, { r: runId })).requestProjection;
    expect(job).toEqual({
      id: expect.any(String),
      kind: 'PROJECTION',
      status: 'QUEUED',
      params: {},
      result: null,
      imageSha256: null,
      imageMime: null,
      imageBytes: null,
      imageWidth: null,
      imageHeight: null,
      imageUrl: null,
      source: null,
    });
    expect((await api.ok(PROJECT, { r: runId })).requestProjection.id).toBe(job.id);
    // No image behind it.
    const image = await api.fetch(`${api.origin}/explain-jobs/${job.id}/image`);
    expect(image.status).toBe(404);
    expect((await image.json()).message).toContain('PROJECTION');

    // A worker of images only never gets it; one of projections does.
    // (the IMAGE jobs the first test left queued are drained here)
    for (let c = await claim(['IMAGE']); c; c = await claim(['IMAGE'])) {
      expect(c.kind).toBe('IMAGE');
      expect(c.id).not.toBe(job.id);
    }
    expect(await claim([])).toBeNull();
    const claimed = await claim(['PROJECTION']);
    expect(claimed).toMatchObject({ id: job.id, kind: 'PROJECTION', imageUrl: null });
    expect((await api.ok(PROJECT, { r: runId })).requestProjection.status).toBe('RUNNING');
    // Forcing a running job does not start a second one.
    expect((await api.ok(PROJECT, { r: runId, f: true })).requestProjection).toMatchObject({
      id: job.id,
      status: 'RUNNING',
    });
    const result = { artifacts: ['projector.json'] };
    await api.ok(COMPLETE, { id: job.id, t: claimed.claimToken, r: result });
    expect((await api.ok(PROJECT, { r: runId })).requestProjection).toMatchObject({
      id: job.id,
      status: 'DONE',
      result,
    });
    const forced = (await api.ok(PROJECT, { r: runId, f: true })).requestProjection;
    expect(forced).toMatchObject({ id: job.id, status: 'QUEUED', result: null });

    const again = await claim(null);
    expect(again.id).toBe(job.id);
    await api.ok(FAIL, { id: job.id, t: again.claimToken, e: 'out of memory' });
    expect((await api.ok(PROJECT, { r: runId })).requestProjection).toMatchObject({
      id: job.id,
      status: 'QUEUED',
    });
  });
});

describe.each(databases)('lost workers of projections on $label', (db) => {
  let api: TestApi;
  // The server's time: moved past the timeouts by advance(), not by sleeping.
  const clock = new FakeClock();
  beforeAll(async () => {
    api = await startTestApi(db, { explainJobTimeoutS: 1, explainWaitS: 0, clock });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('gives a projection 600 s before requeueing it, an image job its 1 s', async () => {
    const runId = await createRun(api, { project: uniq('xs') });
    for (const [name, bytes] of [
      ['weights.bin', new Uint8Array(16)],
      ['model.json', modelJson(1)],
    ] as const) {
      const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
        method: 'PUT',
        body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
      });
      expect(res.status).toBe(201);
    }
    const projection = (await api.ok(PROJECT, { r: runId })).requestProjection;
    const png = await sharp(Buffer.from(SAMPLES.subarray(0, 64)), {
      raw: { width: 8, height: 8, channels: 1 },
    })
      .png()
      .toBuffer();
    const upload = await (
      await api.fetch(`${api.origin}/runs/${runId}/explain`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(png),
      })
    ).json();
    const claimed = [
      (await api.ok(CLAIM, { w: 'a', k: null })).claimExplanationJob.id,
      (await api.ok(CLAIM, { w: 'b', k: null })).claimExplanationJob.id,
    ];
    expect(claimed.sort()).toEqual([projection.id, upload.job.id].sort());
    clock.advance(1300);
    await api.server.reapNow();
    const status = async (id: string) =>
      (await api.ok(`query($id: ID!) { explanationJob(id: $id) { status } }`, { id }))
        .explanationJob.status;
    expect(await status(upload.job.id)).toBe('QUEUED');
    expect(await status(projection.id)).toBe('RUNNING');
    clock.advance(600_000);
    await api.server.reapNow();
    expect(await status(projection.id)).toBe('QUEUED');
  });
});
