// Hostile inputs against a seeded database, on SQLite and PostgreSQL: every case (GraphQL
// mutations and queries, the runs query language, artifact and explain uploads, exports) must
// be refused with a 4xx carrying a code and a message naming the problem, the server must keep
// answering /healthz, and at the end the stored data (a project with a COMPLETED, a RUNNING and
// a FAILED run, metrics, artifacts, an evaluation, a queued explanation job) must be exactly as
// seeded, with no upload temp file left behind. Each case that crashed the API (an internal
// error) or was stored before the limits is marked "was: ...".
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

/** What a refused request answered. */
interface Answer {
  status: number;
  code: unknown;
  message: string;
}

/** One hostile input and what it must be answered with. */
interface Case {
  name: string;
  send(): Promise<Answer>;
  /** Expected HTTP status (routes); GraphQL answers are checked to be < 500. */
  status?: number;
  code: string | RegExp;
  message: RegExp;
}

/** The seeded ids the cases aim at. */
interface Seed {
  project: string;
  /** COMPLETED, with metrics, model, samples, an evaluation and a queued explanation job. */
  done: string;
  /** RUNNING, with metrics, no model. */
  running: string;
  /** FAILED, with a weights file. */
  failed: string;
  jobId: string;
}

/** Characters no name may hold: C0/C1 controls, bidirectional controls, invisible characters. */
const BAD_CHARS: [string, string][] = [
  ['NUL', '\u0000'],
  ['SOH', '\u0001'],
  ['TAB', '\t'],
  ['LF', '\n'],
  ['ESC', '\u001b'],
  ['US', '\u001f'],
  ['DEL', '\u007f'],
  ['PAD', '\u0080'],
  ['NEL', '\u0085'],
  ['APC', '\u009f'],
  ['LRE', '\u202a'],
  ['RLE', '\u202b'],
  ['PDF', '\u202c'],
  ['LRO', '\u202d'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['RLI', '\u2067'],
  ['FSI', '\u2068'],
  ['PDI', '\u2069'],
  ['LRM', '\u200e'],
  ['RLM', '\u200f'],
  ['ALM', '\u061c'],
  ['ZWSP', '\u200b'],
  ['ZWNJ', '\u200c'],
  ['ZWJ', '\u200d'],
  ['WJ', '\u2060'],
  ['BOM', '\ufeff'],
  ['lone surrogate', '\ud800'],
];

const codePoint = (ch: string) =>
  `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const deepJsonText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepValue = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const cursor = (text: string) => Buffer.from(text).toString('base64url');

/** A LayersModel model.json of a 8x8 one-channel input (the API reads its topology only). */
const MODEL_JSON = JSON.stringify({
  format: 'layers-model',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'tiny',
      layers: [
        {
          class_name: 'Conv2D',
          config: { name: 'conv1', filters: 2, batch_input_shape: [null, 8, 8, 1] },
        },
        { class_name: 'Flatten', config: { name: 'flatten' } },
        { class_name: 'Dense', config: { name: 'dense', units: 2 } },
      ],
    },
  },
  weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
});

function png(channels: 1 | 3, seed: number): Promise<Buffer> {
  const raw = Buffer.from(
    Array.from({ length: 64 * channels }, (_, i) => (i * 37 + seed * 11) % 256),
  );
  let img = sharp(raw, { raw: { width: 8, height: 8, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  return img.png().toBuffer();
}

/** A valid evaluation of two samples and two classes (with `patch` applied). */
function evaluation(patch: Record<string, unknown> = {}) {
  const perClass = (label: string) => ({
    label,
    precision: 1,
    recall: 1,
    f1: 1,
    sensitivity: 1,
    specificity: 1,
    support: 1,
    auc: 1,
  });
  return {
    split: 'test',
    classNames: ['a', 'b'],
    labels: [0, 1],
    probabilities: {
      rows: [
        [0.8, 0.2],
        [0.3, 0.7],
      ],
    },
    report: {
      accuracy: 1,
      logLoss: 0.29,
      ece: 0.25,
      topK: [{ k: 1, accuracy: 1 }],
      perClass: [perClass('a'), perClass('b')],
      confusionMatrix: [
        [1, 0],
        [0, 1],
      ],
      macro: { precision: 1, recall: 1, f1: 1 },
      weighted: { precision: 1, recall: 1, f1: 1 },
      calibration: [],
    },
    ...patch,
  };
}

const CREATE_PROJECT = `mutation($n: String!, $d: String) { createProject(name: $n, description: $d) { id } }`;
const CREATE_RUN = `mutation($i: CreateRunInput!) { createRun(input: $i) { id } }`;
const UPDATE_RUN = `mutation($id: ID!, $notes: String, $tags: [String!]) { updateRun(id: $id, notes: $notes, tags: $tags) { id } }`;
const START_RUN = `mutation($id: ID!, $b: String, $r: String) { startRun(id: $id, backend: $b, backendReason: $r) { id } }`;
const FINISH_RUN = `mutation($id: ID!, $s: FinalRunStatus!, $e: String) { finishRun(id: $id, status: $s, error: $e) { id } }`;
const HEARTBEAT = `mutation($id: ID!) { heartbeat(id: $id) { id } }`;
const RUNS = `query($f: RunFilter, $after: String, $o: RunOrder, $first: Int) { runs(filter: $f, after: $after, orderBy: $o, first: $first) { totalCount } }`;
const RUN = `query($id: ID!) { run(id: $id) { id } }`;
const PROJECT = `query($n: String!) { project(name: $n) { id } }`;
const METRICS = `query($id: ID!, $n: [String!]) { run(id: $id) { metrics(names: $n, maxPoints: 2) { name } } }`;
const METRIC = `query($id: ID!, $n: String!) { run(id: $id) { metric(name: $n, maxPoints: 2) { step } } }`;
const COMPARE = `query($ids: [ID!]!) { compareRuns(ids: $ids, maxPoints: 2) { runs { id } } }`;
const PREDICTIONS = `query($id: ID!, $after: String, $e: ID, $o: PredictionOrder) { run(id: $id) { predictions(after: $after, evaluationId: $e, orderBy: $o) { totalCount } } }`;
const LOG_EVALUATION = `mutation($id: ID!, $i: EvaluationInput!) { logEvaluation(runId: $id, input: $i) { id } }`;
const CLAIM = `mutation($w: String!) { claimExplanationJob(workerId: $w) { id claimToken } }`;
const COMPLETE = `mutation($id: ID!, $t: String!, $r: JSON!) { completeExplanationJob(id: $id, claimToken: $t, result: $r) { id } }`;
const FAIL = `mutation($id: ID!, $t: String!, $e: String!) { failExplanationJob(id: $id, claimToken: $t, error: $e) { id } }`;

describe.each(databases)('hostile inputs on $label', (db) => {
  let api: TestApi;
  const seed = {} as Seed;
  let before: unknown;

  /** A GraphQL request (JSON body as given, or built from query and variables). */
  async function gqlAnswer(body: string): Promise<Answer> {
    const res = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    let json: Loose = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: reported below as an empty code.
    }
    const error = json?.errors?.[0] ?? json;
    return {
      status: res.status,
      code: error?.extensions?.code ?? error?.code,
      message: String(error?.message ?? text),
    };
  }
  /** A GraphQL request; `variables` may be a function, read when sent (the seeded ids exist by then). */
  const gql =
    (query: string, variables: Record<string, unknown> | (() => Record<string, unknown>) = {}) =>
    () =>
      gqlAnswer(
        JSON.stringify({
          query,
          variables: typeof variables === 'function' ? variables() : variables,
        }),
      );
  /** An HTTP request to a route; the answer's JSON { code, message }. */
  const http =
    (p: string, init: RequestInit = {}) =>
    async (): Promise<Answer> => {
      const res = await api.fetch(p, init);
      const text = await res.text();
      let json: Loose = {};
      try {
        json = JSON.parse(text);
      } catch {
        json = { message: text };
      }
      const error = json.errors?.[0] ?? json;
      return {
        status: res.status,
        code: error.code ?? error.extensions?.code,
        message: String(error.message ?? ''),
      };
    };
  const put = (runId: string, name: string, body: BodyInit, qs = '', type = 'application/json') =>
    http(`/runs/${encodeURIComponent(runId)}/artifacts/${name}${qs}`, {
      method: 'PUT',
      headers: { 'content-type': type },
      body,
    });
  const explain = (runId: string, body: BodyInit, qs = '', type = 'image/png') =>
    http(`/runs/${encodeURIComponent(runId)}/explain${qs}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });

  /** Everything stored about the seeded project, read back through the API. */
  async function snapshot(): Promise<unknown> {
    const runs = await api.ok(
      `query($p: [String!]) { runs(filter: { projects: $p }, orderBy: { by: { field: NAME }, direction: ASC }) {
        totalCount nodes {
          id name status project { name description runCount } hyperparameters tags notes modelSummary datasetInfo
          backend backendReason error createdAt startedAt endedAt
          metricNames summary { name count min max last lastStep }
          metrics(maxPoints: 100) { name totalPoints points { step value } }
        } } }`,
      { p: [seed.project] },
    );
    const details = [];
    for (const run of runs.runs.nodes) {
      const d = await api.ok(
        `query($id: ID!) { run(id: $id) {
          artifacts { nodes { name kind sha256 bytes mimeType metadata createdAt } }
          evaluations { id accuracy numSamples classNames split }
          predictions(first: 10) { totalCount nodes { index label predicted probabilities } }
          explanationJobs { nodes { id status result error attempts workerId } }
          samples { count sha256 }
        } }`,
        { id: run.id },
      );
      // The blob behind every artifact still holds its bytes.
      for (const a of d.run.artifacts.nodes) {
        const res = await api.fetch(`/runs/${run.id}/artifacts/${encodeURIComponent(a.name)}`);
        const hash = createHash('sha256')
          .update(Buffer.from(await res.arrayBuffer()))
          .digest('hex');
        expect(hash).toBe(a.sha256);
      }
      details.push(d.run);
    }
    const projects = (
      await api.ok(`query { projects(first: 500) { nodes { name } } }`)
    ).projects.nodes.map((p: Loose) => p.name);
    return { runs, details, projects };
  }

  beforeAll(async () => {
    api = await startTestApi(db, {
      maxArtifactBytes: 256 * 1024,
      maxExplainImageBytes: 32 * 1024,
      explainWaitS: 0,
    });
    seed.project = uniq('hostile');
    await api.ok(CREATE_PROJECT, { n: seed.project, d: 'seeded project' });
    const runInput = (name: string) => ({
      project: seed.project,
      name,
      status: 'RUNNING',
      hyperparameters: { lr: 0.01, optimizer: { name: 'adam', betas: [0.9, 0.999] } },
      tags: ['baseline', 'seed'],
      notes: 'seeded notes',
      modelSummary: { layers: [{ name: 'conv1' }, { name: 'dense' }] },
      datasetInfo: { classNames: ['a', 'b'], testCount: 2 },
      backend: 'cpu',
      backendReason: 'seeded',
      clientRequestId: uniq('key'),
    });
    seed.done = await createRun(api, runInput('a-completed'));
    seed.running = await createRun(api, runInput('b-running'));
    seed.failed = await createRun(api, runInput('c-failed'));
    for (const [i, id] of [seed.done, seed.running, seed.failed].entries())
      await api.ok(LOG_METRICS, {
        runId: id,
        points: [1, 2, 3].flatMap((step) => [
          { name: 'loss', step, value: 1 / (step + i) },
          { name: 'val_accuracy', step, value: 0.5 + step / 10 },
        ]),
      });
    const upload = async (runId: string, name: string, body: BodyInit, qs = '') => {
      const res = await api.fetch(`/runs/${runId}/artifacts/${name}${qs}`, {
        method: 'PUT',
        body,
      });
      expect(res.status).toBe(201);
    };
    await upload(seed.done, 'weights.bin', new Uint8Array(16).fill(3), '?kind=model');
    await upload(seed.done, 'model.json', MODEL_JSON, '?kind=model');
    const meta = { format: 'uint8-nhwc', split: 'test', count: 2, total: 2, height: 8, width: 8 };
    await upload(
      seed.done,
      'test-samples.bin',
      new Uint8Array(128).map((_, i) => i),
      `?kind=samples&metadata=${encodeURIComponent(JSON.stringify({ ...meta, channels: 1 }))}`,
    );
    await upload(seed.failed, 'weights.bin', new Uint8Array(8).fill(9), '?kind=model');
    await api.ok(LOG_EVALUATION, { id: seed.done, i: evaluation() });
    const queued = await api.fetch(`/runs/${seed.done}/explain?wait=0`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await png(1, 1)),
    });
    expect(queued.status).toBe(202);
    seed.jobId = (await queued.json()).job.id;
    await api.ok(FINISH_RUN, { id: seed.done, s: 'COMPLETED' });
    await api.ok(FINISH_RUN, { id: seed.failed, s: 'FAILED', e: 'seeded failure' });
    before = await snapshot();
  });

  afterAll(async () => {
    await api?.stop();
  });

  // ---------------------------------------------------------------------------------------------
  // The cases. Built lazily: they aim at the seeded ids.

  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const nameMessage = (field: string, ch: string) =>
    new RegExp(`^${escapeRe(field)} contains .*\\(${escapeRe(codePoint(ch))}\\)`);

  // Names refuse control, bidirectional and invisible characters, in every place a name is stored
  // or sent to the database (was: stored; NUL was an internal error on PostgreSQL).
  for (const [label, ch] of BAD_CHARS) {
    const bad = `x${ch}y`;
    add({
      name: `createProject name with ${label}`,
      send: () => gql(CREATE_PROJECT, () => ({ n: bad }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('name', ch),
    });
    add({
      name: `createRun project with ${label}`,
      send: () => gql(CREATE_RUN, () => ({ i: { project: `p${ch}` } }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('project', ch),
    });
    add({
      name: `createRun name with ${label}`,
      send: () => gql(CREATE_RUN, () => ({ i: { project: seed.project, name: bad } }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('name', ch),
    });
    add({
      name: `createRun tag with ${label}`,
      send: () => gql(CREATE_RUN, () => ({ i: { project: seed.project, tags: ['ok', bad] } }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('tags[1]', ch),
    });
    add({
      name: `updateRun tag with ${label}`,
      send: () => gql(UPDATE_RUN, () => ({ id: seed.done, tags: [bad] }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('tags[0]', ch),
    });
    add({
      name: `logMetrics name with ${label}`,
      send: () =>
        gql(LOG_METRICS, () => ({
          runId: seed.running,
          points: [{ name: bad, step: 9, value: 1 }],
        }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('points[0].name', ch),
    });
    add({
      name: `logEvaluation class name with ${label}`,
      send: () =>
        gql(LOG_EVALUATION, () => ({
          id: seed.running,
          i: evaluation({ classNames: ['a', bad] }),
        }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('classNames[1]', ch),
    });
    add({
      name: `claimExplanationJob workerId with ${label}`,
      send: () => gql(CLAIM, () => ({ w: bad }))(),
      code: 'BAD_USER_INPUT',
      message: nameMessage('workerId', ch),
    });
    // A lone surrogate has no UTF-8 form, so no URL can carry it.
    if (label !== 'lone surrogate')
      add({
        name: `artifact upload named with ${label}`,
        send: () => put(seed.running, encodeURIComponent(bad), '{}')(),
        status: 400,
        code: 'BAD_USER_INPUT',
        message: nameMessage('name', ch),
      });
  }

  // Free text refuses NUL (was: an internal error on PostgreSQL).
  const nul = 'before\u0000after';
  for (const [name, send, field] of [
    [
      'project description',
      () => gql(CREATE_PROJECT, () => ({ n: uniq('p'), d: nul }))(),
      'description',
    ],
    [
      'run notes',
      () => gql(CREATE_RUN, () => ({ i: { project: seed.project, notes: nul } }))(),
      'notes',
    ],
    ['updated notes', () => gql(UPDATE_RUN, () => ({ id: seed.done, notes: nul }))(), 'notes'],
    [
      'backendReason',
      () => gql(START_RUN, () => ({ id: seed.running, r: nul }))(),
      'backendReason',
    ],
    [
      'finishRun error',
      () => gql(FINISH_RUN, () => ({ id: seed.running, s: 'FAILED', e: nul }))(),
      'error',
    ],
    ['worker error', () => gql(FAIL, () => ({ id: seed.jobId, t: 'forged', e: nul }))(), 'error'],
  ] as const)
    add({
      name: `NUL in ${name}`,
      send,
      code: 'BAD_USER_INPUT',
      message: new RegExp(`^${field} contains a NUL byte \\(U\\+0000\\)`),
    });

  // NUL in ids and lookups: nothing may reach PostgreSQL with it (was: internal errors).
  const nulId = 'run\u0000id';
  for (const [name, send] of [
    ['run(id)', gql(RUN, () => ({ id: nulId }))],
    ['project(name)', gql(PROJECT, () => ({ n: 'a\u0000' }))],
    ['heartbeat(id)', gql(HEARTBEAT, () => ({ id: nulId }))],
    ['logMetrics(runId)', gql(LOG_METRICS, () => ({ runId: nulId, points: [] }))],
    ['runs(filter.ids)', gql(RUNS, () => ({ f: { ids: [nulId] } }))],
    ['runs(filter.projects)', gql(RUNS, () => ({ f: { projects: ['a\u0000'] } }))],
    ['compareRuns(ids)', gql(COMPARE, () => ({ ids: [nulId] }))],
    [
      'explanationJob(id)',
      gql(`query($id: ID!) { explanationJob(id: $id) { id } }`, { id: nulId }),
    ],
    ['completeExplanationJob(id)', gql(COMPLETE, () => ({ id: nulId, t: 't', r: {} }))],
    ['a metric name in the runs query', gql(RUNS, () => ({ f: { query: 'best."a\u0000" > 1' } }))],
  ] as const)
    add({
      name: `NUL in ${name}`,
      send: () => send(),
      code: /^(BAD_USER_INPUT|QUERY_SYNTAX_ERROR)$/,
      message: /NUL byte \(U\+0000\)/,
    });
  add({
    name: 'NUL in Run.metric(name)',
    send: () => gql(METRIC, () => ({ id: seed.done, n: 'loss\u0000' }))(),
    code: 'BAD_USER_INPUT',
    message: /^name contains a NUL byte/,
  });
  add({
    name: 'NUL in predictions(evaluationId)',
    send: () => gql(PREDICTIONS, () => ({ id: seed.done, e: 'e\u0000' }))(),
    code: 'BAD_USER_INPUT',
    message: /NUL byte \(U\+0000\)/,
  });
  for (const p of [
    `/runs/%00/artifacts/model.json`,
    `/runs/%00/export/metrics.csv`,
    `/runs/%00/samples/0.png`,
    `/explain-jobs/%00`,
    `/explain-jobs/%00/image`,
  ])
    add({
      name: `NUL in the path of GET ${p}`,
      send: () => http(p)(),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /NUL byte \(U\+0000\)/,
    });
  add({
    name: 'NUL in the run of an upload',
    send: () => put('run\u0000', 'x.bin', 'x')(),
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /NUL byte/,
  });
  add({
    name: 'NUL in the run of an explain upload',
    send: async () => explain('run\u0000', new Uint8Array(await png(1, 2)))(),
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /NUL byte/,
  });

  // Sizes of stored fields (was: 20 MB hyperparameters, 30 MB model summaries and notes, 100,000
  // tags stored).
  const big = (bytes: number) => 'x'.repeat(bytes);
  for (const [name, input, message] of [
    [
      '20 MB hyperparameters',
      { hyperparameters: { blob: big(20 * 1024 * 1024) } },
      /^hyperparameters is 20,971,531 bytes of JSON; the limit is 65,536 bytes$/,
    ],
    [
      'hyperparameters one byte over 64 KiB',
      { hyperparameters: { s: big(65_536 - 8 + 1) } },
      /^hyperparameters is 65,537 bytes of JSON; the limit is 65,536 bytes$/,
    ],
    [
      '30 MB model summary',
      { modelSummary: big(30 * 1024 * 1024) },
      /^modelSummary is 31,457,282 bytes of JSON; the limit is 2,097,152 bytes$/,
    ],
    [
      'model summary over 2 MiB',
      { modelSummary: [big(2 * 1024 * 1024)] },
      /^modelSummary is 2,097,156 bytes of JSON; the limit is 2,097,152 bytes$/,
    ],
    [
      'dataset info over 256 KiB',
      { datasetInfo: { classNames: Array.from({ length: 30_000 }, (_, i) => `class-${i}`) } },
      /^datasetInfo is [\d,]+ bytes of JSON; the limit is 262,144 bytes$/,
    ],
    [
      '20 MB notes',
      { notes: big(20 * 1024 * 1024) },
      /^notes is 20,971,520 bytes; the limit is 65,536 bytes$/,
    ],
    [
      '100,000 tags',
      { tags: Array.from({ length: 100_000 }, (_, i) => `t${i}`) },
      /^tags has 100,000 items; the limit is 100$/,
    ],
    ['101 tags', { tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, /the limit is 100$/],
    ['a 101-character tag', { tags: [big(101)] }, /^tags\[0\] is 101 characters long/],
    ['a 201-character run name', { name: big(201) }, /^name is 201 characters long/],
    ['a 201-character project name', { project: big(201) }, /^project is 201 characters long/],
    ['a 201-character backend', { backend: big(201) }, /^backend is 201 characters long/],
    [
      'a 201-character clientRequestId',
      { clientRequestId: big(201) },
      /^clientRequestId must be 1-200 characters/,
    ],
    ['a blank clientRequestId', { clientRequestId: '   ' }, /^clientRequestId must not be blank/],
    [
      'hyperparameters that are an array',
      { hyperparameters: [1, 2] },
      /^hyperparameters must be a JSON object, got an array$/,
    ],
    [
      'hyperparameters 33 levels deep',
      { hyperparameters: deepValue(33) },
      /^hyperparameters is nested more than 32 levels deep \(found at least 33\); the limit is 32$/,
    ],
    [
      'a model summary 40 levels deep',
      { modelSummary: deepValue(40) },
      /^modelSummary is nested more than 32 levels deep/,
    ],
  ] as const)
    add({
      name: `createRun with ${name}`,
      send: () => gql(CREATE_RUN, () => ({ i: { project: seed.project, ...input } }))(),
      code: 'BAD_USER_INPUT',
      message,
    });
  for (const [name, vars, message] of [
    ['notes over 64 KiB', { notes: big(65_537) }, /^notes is 65,537 bytes; the limit is 65,536/],
    [
      '100,000 tags',
      { tags: Array.from({ length: 100_000 }, (_, i) => `t${i}`) },
      /^tags has 100,000 items; the limit is 100$/,
    ],
    ['an empty tag', { tags: ['  '] }, /^tags\[0\] must not be empty$/],
  ] as const)
    add({
      name: `updateRun with ${name}`,
      send: () => gql(UPDATE_RUN, () => ({ id: seed.done, ...vars }))(),
      code: 'BAD_USER_INPUT',
      message,
    });
  add({
    name: 'project description over 64 KiB',
    send: () => gql(CREATE_PROJECT, () => ({ n: uniq('p'), d: big(65_537) }))(),
    code: 'BAD_USER_INPUT',
    message: /^description is 65,537 bytes; the limit is 65,536 bytes$/,
  });
  add({
    name: 'a 201-character workerId',
    send: () => gql(CLAIM, () => ({ w: big(201) }))(),
    code: 'BAD_USER_INPUT',
    message: /^workerId is 201 characters long; the limit is 200$/,
  });

  // JSON nested 5,000 deep (was: an internal error, the stack overflowed in JSON.stringify).
  for (const field of ['hyperparameters', 'modelSummary', 'datasetInfo'])
    add({
      name: `${field} nested 5,000 deep in a variable`,
      send: () =>
        gqlAnswer(
          `{"query":${JSON.stringify(CREATE_RUN)},"variables":{"i":{"project":"${seed.project}","${field}":${deepJsonText(5000)}}}}`,
        ),
      code: 'BAD_USER_INPUT',
      message:
        /JSON value is nested more than 64 levels deep \(found at least 65\); the limit is 64/,
    });
  add({
    name: 'an explanation result nested 5,000 deep',
    send: () =>
      gqlAnswer(
        `{"query":${JSON.stringify(COMPLETE)},"variables":{"id":"${seed.jobId}","t":"forged","r":${deepJsonText(5000)}}}`,
      ),
    code: 'BAD_USER_INPUT',
    message: /nested more than 64 levels deep/,
  });
  add({
    name: 'an explanation result 33 levels deep',
    send: () => gql(COMPLETE, () => ({ id: seed.jobId, t: 'forged', r: deepValue(33) }))(),
    code: 'BAD_USER_INPUT',
    message: /^result is nested more than 32 levels deep/,
  });
  add({
    name: 'an explanation result that is not an object',
    send: () => gql(COMPLETE, () => ({ id: seed.jobId, t: 'forged', r: [1, 2] }))(),
    code: 'BAD_USER_INPUT',
    message: /^result must be a JSON object, got an array$/,
  });
  add({
    name: 'hyperparameters nested 100 deep inline',
    send: () =>
      gql(
        `mutation { createRun(input: { project: "${seed.project}", hyperparameters: ${'{a: '.repeat(100)}1${'}'.repeat(100)} }) { id } }`,
      )(),
    code: /^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/,
    message: /nested more than 64 levels deep/,
  });
  add({
    name: 'hyperparameters nested 5,000 deep inline',
    send: () =>
      gql(
        `mutation { createRun(input: { project: "${seed.project}", hyperparameters: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)} }) { id } }`,
      )(),
    // Refused before graphql-js's recursive parser (which overflowed its stack) ever sees it.
    code: /^QUERY_TOO_COMPLEX$/,
    message: /^Query too complex: brackets nested more than 128 levels deep/,
  });

  // Lists and batches (was: internal errors past SQLite's parameter limit).
  const many = (n: number, prefix = 'id') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  for (const [name, send, message] of [
    [
      'runs(filter.ids) with 40,000 ids',
      gql(RUNS, () => ({ f: { ids: many(40_000) } })),
      /^filter\.ids has 40,000 items; the limit is 500$/,
    ],
    [
      'runs(filter.ids) with 501 ids',
      gql(RUNS, () => ({ f: { ids: many(501) } })),
      /the limit is 500$/,
    ],
    [
      'runs(filter.projects) with 101 names',
      gql(RUNS, () => ({ f: { projects: many(101, 'p') } })),
      /^filter\.projects has 101 items; the limit is 100$/,
    ],
    [
      'Run.metrics(names) with 40,000 names',
      gql(METRICS, () => ({ id: seed.done, n: many(40_000, 'm') })),
      /^names has 40,000 items; the limit is 200$/,
    ],
    [
      'Run.metrics(names) with 201 names',
      gql(METRICS, () => ({ id: seed.done, n: many(201, 'm') })),
      /^names has 201 items; the limit is 200$/,
    ],
    [
      'compareRuns with 40,000 ids',
      gql(COMPARE, () => ({ ids: many(40_000) })),
      /^At most 50 runs can be compared, got 40000$/,
    ],
    [
      'logMetrics with 1,100 distinct names',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: many(1100, 'm').map((name) => ({ name, step: 50, value: 1 })),
      })),
      /more than 500 different metrics; the limit per batch is 500/,
    ],
    [
      'logMetrics with 501 distinct names',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: many(501, 'm').map((name) => ({ name, step: 50, value: 1 })),
      })),
      /the limit per batch is 500/,
    ],
    [
      'logMetrics with 200,001 points',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: Array.from({ length: 200_001 }, (_, step) => ({ name: 'l', step, value: 1 })),
      })),
      /^points has 200,001 items; the limit is 200,000$/,
    ],
    [
      'a point dated before 1970',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: [{ name: 'loss', step: 50, value: 1, time: '1969-12-31T23:59:59Z' }],
      })),
      /^points\[0\]\.time must be between 1970-01-01 and 9999-12-31/,
    ],
    [
      'a negative step',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: [{ name: 'loss', step: -1, value: 1 }],
      })),
      /^points\[0\]\.step must be a non-negative 32-bit integer$/,
    ],
    [
      'a 201-character metric name',
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: [{ name: big(201), step: 1, value: 1 }],
      })),
      /^points\[0\]\.name is 201 characters long; the limit is 200$/,
    ],
    ['runs(first: 501)', gql(RUNS, () => ({ first: 501 })), /^first must be between 0 and 500$/],
  ] as const)
    add({ name, send: () => send(), code: 'BAD_USER_INPUT', message });
  add({
    name: 'logMetrics with NaN (sent as null)',
    send: () =>
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: [{ name: 'loss', step: 60, value: null }],
      }))(),
    code: 'INVALID_METRIC_VALUE',
    message: /^Metric "loss" at step 60 has a non-finite value/,
  });
  add({
    name: 'logMetrics with a step past 32 bits',
    send: () =>
      gql(LOG_METRICS, () => ({
        runId: seed.running,
        points: [{ name: 'loss', step: 2 ** 31, value: 1 }],
      }))(),
    code: 'BAD_USER_INPUT',
    message: /Int cannot represent non 32-bit signed integer value: 2147483648/,
  });

  // The runs query language (was: internal errors, the parser and evaluator overflowed the stack
  // and SQLite refused more than 64 joined tables).
  const q = (query: string, o?: Record<string, unknown>) => gql(RUNS, () => ({ f: { query }, o }));
  for (const [name, send, message] of [
    [
      '64 metrics',
      q(many(64, 'best.m').join(' > 0 and ') + ' > 0'),
      /more than 32 different metrics; the limit is 32 at 1:/,
    ],
    [
      '33 metrics',
      q(many(33, 'final.m').join(' > 0 or ') + ' > 0'),
      /more than 32 different metrics; the limit is 32/,
    ],
    [
      '1,810 nested parentheses',
      q('('.repeat(1810) + 'tag = "a"' + ')'.repeat(1810)),
      /nests parentheses and NOT more than 32 levels deep; the limit is 32 at 1:33/,
    ],
    [
      '33 nested parentheses',
      q('('.repeat(33) + 'tag = "a"' + ')'.repeat(33)),
      /more than 32 levels deep/,
    ],
    ['7,330 NOTs', q('!'.repeat(7330) + 'tag = "a"'), /more than 32 levels deep/],
    [
      '7,330 NOT keywords',
      q('not '.repeat(7330) + 'tag = "a"'),
      /is 29,329 characters long; the limit is 10,000/,
    ],
    [
      '257 comparisons',
      q(Array.from({ length: 257 }, () => 'tag = "a"').join(' or ')),
      /more than 256 comparisons; the limit is 256/,
    ],
    [
      '10,001 characters',
      q(`name ~ "${'x'.repeat(9992)}"`),
      /is 10,001 characters long; the limit is 10,000/,
    ],
    [
      'a 10,001-character sort key',
      gql(RUNS, () => ({ o: { by: { key: `hp.${'x'.repeat(9998)}` }, direction: 'ASC' } })),
      /sort key is 10,001 characters long; the limit is 10,000/,
    ],
    ['an unknown field', q('accuracy > 0.9'), /^unknown field "accuracy"/],
    ['an unterminated string', q('name = "abc'), /^unterminated string/],
    [
      'a bidi override in a metric name',
      q('best."acc\u202e" > 0'),
      /contains a right-to-left override \(U\+202E\)/,
    ],
  ] as const)
    add({
      name: `a runs query with ${name}`,
      send: () => send(),
      code: 'QUERY_SYNTAX_ERROR',
      message,
    });

  // Cursors (was: an internal error for a huge offset).
  for (const [name, send, message] of [
    [
      'runs after a 23-digit offset',
      gql(RUNS, () => ({ after: cursor('offset:99999999999999999999999') })),
      /^Invalid cursor: .* \(not a cursor this API returned\)$/,
    ],
    [
      // Keyset cursors hold no offset: an offset cursor is simply not one of this API's.
      'runs after offset 5,000,000,000',
      gql(RUNS, () => ({ after: cursor('offset:5000000000') })),
      /^Invalid cursor: .* \(not a cursor this API returned\)$/,
    ],
    ['runs after garbage', gql(RUNS, () => ({ after: 'not a cursor!' })), /^Invalid cursor/],
    [
      'runs after 10,000 characters',
      gql(RUNS, () => ({ after: 'A'.repeat(10_000) })),
      /^Invalid cursor/,
    ],
    [
      'runs after a cursor of another kind',
      gql(RUNS, () => ({ after: cursor('rank:3') })),
      /^Invalid/,
    ],
    [
      'predictions after a huge index',
      gql(PREDICTIONS, () => ({ id: seed.done, after: cursor('index:99999999999999999') })),
      /^Invalid cursor/,
    ],
    [
      'predictions after a confidence cursor in index order',
      gql(PREDICTIONS, () => ({
        id: seed.done,
        after: cursor(JSON.stringify(['prediction:confidence', 0.5, 1])),
      })),
      /another field or ordering/,
    ],
  ] as const)
    add({ name, send: () => send(), code: 'BAD_USER_INPUT', message });

  // A finished run's training record is immutable (was: metrics and artifacts accepted; the
  // model.json of a COMPLETED run was replaced).
  for (const [name, send, message] of [
    [
      'logMetrics into a COMPLETED run',
      gql(LOG_METRICS, () => ({
        runId: seed.done,
        points: [{ name: 'loss', step: 99, value: 0.1 }],
      })),
      /is COMPLETED: the training record of a finished run is immutable \(no new metric points\)/,
    ],
    [
      'logMetrics into a FAILED run',
      gql(LOG_METRICS, () => ({
        runId: seed.failed,
        points: [{ name: 'late', step: 1, value: 1 }],
      })),
      /is FAILED: the training record of a finished run is immutable/,
    ],
    ['a heartbeat of a COMPLETED run', gql(HEARTBEAT, () => ({ id: seed.done })), /is COMPLETED/],
    ['a heartbeat of a FAILED run', gql(HEARTBEAT, () => ({ id: seed.failed })), /is FAILED/],
    ['startRun of a COMPLETED run', gql(START_RUN, () => ({ id: seed.done })), /is COMPLETED/],
    [
      'startRun of a FAILED run',
      gql(START_RUN, () => ({ id: seed.failed, b: 'cpu' })),
      /is FAILED/,
    ],
    [
      'finishRun FAILED of a COMPLETED run',
      gql(FINISH_RUN, () => ({ id: seed.done, s: 'FAILED', e: 'too late' })),
      /is COMPLETED and cannot become FAILED/,
    ],
  ] as const)
    add({ name, send: () => send(), code: 'INVALID_STATE', message });
  for (const [name, runId, artifact, body, qs] of [
    ['model.json of a COMPLETED run', 'done', 'model.json', '{"replaced":true}', '?kind=model'],
    ['weights.bin of a COMPLETED run', 'done', 'weights.bin', 'other bytes', '?kind=model'],
    ['test-samples.bin of a COMPLETED run', 'done', 'test-samples.bin', 'x'.repeat(128), ''],
    ['weights.bin of a FAILED run', 'failed', 'weights.bin', 'other', '?kind=model'],
    [
      'model.json with the same bytes but another kind',
      'done',
      'model.json',
      MODEL_JSON,
      '?kind=x',
    ],
  ] as const)
    add({
      name: `replacing ${name}`,
      send: () => put(seed[runId], artifact, body, qs)(),
      status: 409,
      code: 'INVALID_STATE',
      message: new RegExp(
        `is (COMPLETED|FAILED): artifact ${escapeRe(artifact)} exists and cannot be replaced`,
      ),
    });

  // Explanation jobs: only the worker that claimed a job may answer it (was: a result for a job
  // nobody claimed was stored, and the next upload of the image got it with cached: true).
  add({
    name: 'completing a job nobody claimed',
    send: () => gql(COMPLETE, () => ({ id: seed.jobId, t: 'forged', r: { predictions: [] } }))(),
    code: 'INVALID_STATE',
    message: /is QUEUED; only a RUNNING job can be completed, by the worker that claimed it/,
  });
  add({
    name: 'failing a job nobody claimed',
    send: () => gql(FAIL, () => ({ id: seed.jobId, t: 'forged', e: 'sabotage' }))(),
    code: 'INVALID_STATE',
    message: /is QUEUED; only a RUNNING job can be failed/,
  });
  add({
    name: 'completing a job without a claim token',
    send: () =>
      gql(`mutation($id: ID!) { completeExplanationJob(id: $id, result: {}) { id } }`, {
        id: seed.jobId,
      })(),
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /argument "claimToken" of type "String!" is required/,
  });

  // Evaluations.
  for (const [name, patch, message] of [
    ['a split with NUL', { split: 'te\u0000st' }, /^split contains a NUL byte/],
    ['a 101-character split', { split: big(101) }, /^split is 101 characters long/],
    [
      'a 201-character class name',
      { classNames: ['a', big(201)] },
      /^classNames\[1\] is 201 characters long/,
    ],
    [
      'a clientRequestId with NUL',
      { clientRequestId: 'k\u0000' },
      /^clientRequestId contains a NUL byte/,
    ],
    [
      'more top-k entries than classes',
      {
        report: {
          ...evaluation().report,
          topK: [1, 1, 2].map((k) => ({ k, accuracy: 1 })),
        },
      },
      /^report\.topK has 3 items; the limit is 2$/,
    ],
    [
      '1,001 calibration bins',
      {
        report: {
          ...evaluation().report,
          calibration: Array.from({ length: 1001 }, (_, i) => ({
            binLower: 0,
            binUpper: 1,
            count: i < 2 ? 1 : 0,
          })),
        },
      },
      /^report\.calibration has 1,001 items; the limit is 1,000$/,
    ],
  ] as const)
    add({
      name: `logEvaluation with ${name}`,
      send: () => gql(LOG_EVALUATION, () => ({ id: seed.done, i: evaluation(patch) }))(),
      code: 'BAD_USER_INPUT',
      message,
    });

  // Artifact uploads (PUT /runs/:id/artifacts/:name).
  const deepMeta = encodeURIComponent(JSON.stringify(deepValue(40)));
  for (const [name, send, status, code, message] of [
    [
      'to an unknown run',
      () => put('no-such-run', 'a.bin', 'x'),
      404,
      'RUN_NOT_FOUND',
      /Run not found/,
    ],
    [
      'over the size limit',
      () => put(seed.running, 'big.bin', new Uint8Array(256 * 1024 + 1)),
      413,
      'ARTIFACT_TOO_LARGE',
      /larger than 262144 bytes/,
    ],
    [
      'named with 256 characters',
      () => put(seed.running, 'n'.repeat(256), 'x'),
      400,
      'BAD_USER_INPUT',
      /^name must be 1-255 characters, got 256$/,
    ],
    [
      'of a kind with NUL',
      () => put(seed.running, 'a.bin', 'x', '?kind=mo%00del'),
      400,
      'BAD_USER_INPUT',
      /^kind contains a NUL byte/,
    ],
    [
      'of a 101-character kind',
      () => put(seed.running, 'a.bin', 'x', `?kind=${'k'.repeat(101)}`),
      400,
      'BAD_USER_INPUT',
      /^kind is 101 characters long; the limit is 100$/,
    ],
    [
      'of a kind with a right-to-left override',
      () => put(seed.running, 'a.bin', 'x', '?kind=exe%E2%80%AEfdp'),
      400,
      'BAD_USER_INPUT',
      /^kind contains a right-to-left override \(U\+202E\)/,
    ],
    [
      'with metadata that is not JSON',
      () => put(seed.running, 'a.bin', 'x', '?metadata=%7Bnope'),
      400,
      'BAD_USER_INPUT',
      /^metadata must be a JSON object \(it is not valid JSON\)$/,
    ],
    [
      'with metadata that is an array',
      () => put(seed.running, 'a.bin', 'x', '?metadata=%5B1%5D'),
      400,
      'BAD_USER_INPUT',
      /^metadata must be a JSON object, got an array$/,
    ],
    [
      'with metadata 40 levels deep',
      () => put(seed.running, 'a.bin', 'x', `?metadata=${deepMeta}`),
      400,
      'BAD_USER_INPUT',
      /^metadata is nested more than 32 levels deep/,
    ],
  ] as const)
    add({ name: `an artifact upload ${name}`, send: () => send()(), status, code, message });

  // Explain uploads (POST /runs/:id/explain).
  const image = () => png(1, 3).then((b) => new Uint8Array(b));
  for (const [name, send, status, code, message] of [
    [
      'of text',
      async () => explain(seed.done, 'hello', '', 'text/plain')(),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /Content-Type image\/png or image\/jpeg/,
    ],
    [
      'of a corrupt PNG',
      async () => explain(seed.done, (await image()).subarray(0, 40))(),
      400,
      'BAD_USER_INPUT',
      /PNG image is corrupt|not a readable image/,
    ],
    [
      'over the size limit',
      async () => explain(seed.done, new Uint8Array(32 * 1024 + 1))(),
      413,
      'IMAGE_TOO_LARGE',
      /larger than the limit of 32768 bytes/,
    ],
    [
      'with an unknown method',
      async () => explain(seed.done, await image(), '?method=magic')(),
      400,
      'BAD_USER_INPUT',
      /^method must be one of gradcam/,
    ],
    [
      'with topK 0',
      async () => explain(seed.done, await image(), '?topK=0')(),
      400,
      'BAD_USER_INPUT',
      /^topK must be an integer from 1 to 100, got "0"$/,
    ],
    [
      'with topK 101',
      async () => explain(seed.done, await image(), '?topK=101')(),
      400,
      'BAD_USER_INPUT',
      /^topK must be an integer from 1 to 100/,
    ],
    [
      'with a negative class',
      async () => explain(seed.done, await image(), '?classIndex=-1')(),
      400,
      'BAD_USER_INPUT',
      /^classIndex must be an integer from 0/,
    ],
    [
      'with a class out of range',
      async () => explain(seed.done, await image(), '?classIndex=7')(),
      400,
      'BAD_USER_INPUT',
      /^classIndex 7 is out of range/,
    ],
    [
      'with a layer name holding NUL',
      async () => explain(seed.done, await image(), '?layer=conv%001')(),
      400,
      'BAD_USER_INPUT',
      /^layer must be a layer name of 1-200 printable characters$/,
    ],
    [
      'with an unknown layer',
      async () => explain(seed.done, await image(), '?layer=nope')(),
      400,
      'BAD_USER_INPUT',
      /^layer "nope" is not a layer of the model/,
    ],
    [
      'waiting -1 s',
      async () => explain(seed.done, await image(), '?wait=-1')(),
      400,
      'BAD_USER_INPUT',
      /^wait must be a number of seconds from 0 to 60/,
    ],
    [
      'with an unknown method among methods',
      async () => explain(seed.done, await image(), '?methods=gradcam,lime')(),
      400,
      'BAD_USER_INPUT',
      /^methods must list methods out of gradcam/,
    ],
    [
      'with five methods',
      async () =>
        explain(
          seed.done,
          await image(),
          '?methods=gradcam,saliency,smoothgrad,eigencam,layercam',
        )(),
      400,
      'BAD_USER_INPUT',
      /^methods must list 1 to 4 methods, got 5$/,
    ],
    [
      'with a malformed multipart body',
      async () => explain(seed.done, '--x\r\nbroken', '', 'multipart/form-data; boundary=x')(),
      400,
      'BAD_USER_INPUT',
      /multipart body/,
    ],
    [
      'to an unknown run',
      async () => explain('no-such-run', await image())(),
      404,
      'RUN_NOT_FOUND',
      /Run not found/,
    ],
    [
      'to a run without a model',
      async () => explain(seed.running, await image())(),
      409,
      /^(MODEL_NOT_FOUND|INVALID_STATE)$/,
      /has no stored model: artifact model\.json is missing/,
    ],
  ] as const)
    add({ name: `an explain upload ${name}`, send, status, code, message });

  // explainSample (a stored sample explained on demand; seed.done stores 2 test samples).
  const EXPLAIN_SAMPLE = `mutation($r: ID!, $i: ExplainSampleInput!) { explainSample(runId: $r, input: $i) { cached } }`;
  for (const [name, runOf, input, code, message] of [
    [
      'past the stored samples',
      'done',
      { index: 2 },
      'BAD_USER_INPUT',
      /^index 2 is out of range: run \S+ stores 2 test samples \(0 to 1\)$/,
    ],
    [
      'with a negative index',
      'done',
      { index: -1 },
      'BAD_USER_INPUT',
      /^index must be a non-negative integer/,
    ],
    [
      'of a split with a path in it',
      'done',
      { index: 0, split: '../test' },
      'BAD_USER_INPUT',
      /^split must be 1-100 letters/,
    ],
    [
      'of a split without samples',
      'done',
      { index: 0, split: 'val' },
      'INVALID_STATE',
      /artifact val-samples\.bin is missing/,
    ],
    [
      'with five methods',
      'done',
      { index: 0, methods: ['GRADCAM', 'SALIENCY', 'SMOOTHGRAD', 'EIGENCAM', 'LAYERCAM'] },
      'BAD_USER_INPUT',
      /^methods must list 1 to 4 methods, got 5$/,
    ],
    [
      'with an unknown layer',
      'done',
      { index: 0, layer: 'nope' },
      'BAD_USER_INPUT',
      /^layer "nope" is not a layer of the model/,
    ],
    [
      'of a run without a model',
      'running',
      { index: 0 },
      'INVALID_STATE',
      /has no stored model: artifact model\.json is missing/,
    ],
  ] as const)
    add({
      name: `explainSample ${name}`,
      send: () => gql(EXPLAIN_SAMPLE, () => ({ r: seed[runOf], i: input }))(),
      code,
      message,
    });

  // Exports (/runs/:id/export/...).
  for (const [name, p, status, code, message] of [
    [
      'of an unknown run',
      '/runs/no-such-run/export/metrics.csv',
      404,
      'RUN_NOT_FOUND',
      /not found/,
    ],
    [
      'of a run without an evaluation',
      () => `/runs/${seed.running}/export/evaluation.json`,
      404,
      'EVALUATION_NOT_FOUND',
      /evaluation/i,
    ],
    [
      'of the predictions of a run without an evaluation',
      () => `/runs/${seed.running}/export/predictions.csv`,
      404,
      'EVALUATION_NOT_FOUND',
      /evaluation/i,
    ],
    [
      'with a malformed escape in the run id',
      '/runs/%ZZ/export/metrics.json',
      400,
      'BAD_REQUEST',
      /^Failed to decode param '%ZZ'$/,
    ],
    [
      'with a 101-character run id',
      `/runs/${'r'.repeat(101)}/export/metrics.json`,
      404,
      'RUN_NOT_FOUND',
      /^Run not found: r{101}$/,
    ],
  ] as const)
    add({
      name: `an export ${name}`,
      send: () => http(typeof p === 'function' ? p() : p)(),
      status,
      code,
      message,
    });

  it('has at least 200 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases)('refuses $name', async (c) => {
    const answer = await c.send();
    if (c.status !== undefined) expect(answer.status, answer.message).toBe(c.status);
    expect(answer.status, `${answer.status} ${answer.message}`).toBeGreaterThanOrEqual(200);
    expect(answer.status, answer.message).toBeLessThan(500);
    if (typeof c.code === 'string') expect(answer.code, answer.message).toBe(c.code);
    else expect(String(answer.code), answer.message).toMatch(c.code);
    expect(answer.message).toMatch(c.message);
    // No stack traces or internals in what a client sees.
    expect(answer.message).not.toMatch(/\n\s+at |node_modules|prisma\./i);
    expect((await api.fetch('/healthz')).status).toBe(200);
  });

  it('stored nothing and lost nothing, and left no upload temp file behind', async () => {
    expect(await snapshot()).toEqual(before);
    const tmp = path.join(api.artifactsDir, 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });
});
