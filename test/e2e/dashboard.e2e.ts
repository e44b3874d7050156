// Browser end-to-end test of the dashboard: a real API on a temporary SQLite file, a production
// build of apps/web, and Debian's chromium driven by playwright-core.
//   npx tsx test/e2e/dashboard.e2e.ts   (builds apps/web into apps/web/.next/e2e with this run's API_URL)
// Screenshots go to test-results/e2e/*.png. The last line is "<n> passed, <m> failed".
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
// Pure metric code of the training client (no TensorFlow.js): the report the server checks is
// computed exactly as a real run computes it.
import { evaluateClassification } from '../../libs/ml/src/evaluation/classification-metrics';
import { rocCurve } from '../../libs/ml/src/evaluation/roc';
import { settingsTests, signInTests, type AuthContext } from './auth-fixture';
import { explainTests, seedExplanationPack } from './explain-fixture';
import { explainImageTests } from './explain-image-fixture';
import { uncertaintyTests } from './uncertainty-fixture';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(repoRoot, 'apps/web');
const shotsDir = path.join(repoRoot, 'test-results/e2e');
// Own build folder (NEXT_DIST_DIR, see next.config.ts): rewrites are fixed at build time, so the
// regular apps/web/.next must not be replaced by a build pointing at this test's throwaway API.
const E2E_DIST_DIR = '.next/e2e';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The server's admin key: every seeding request sends it. */
  localKey: string;
  ownerEmail: string;
  /** A one-time dashboard login link (the owner's by default). */
  loginLink(email?: string): Promise<string>;
}

const log = (msg: string) => console.log(`[e2e] ${msg}`);

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Minimal GraphQL client for seeding, with the API key; throws on any GraphQL error. */
function graphqlClient(endpoint: string, apiKey: string) {
  return async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length)
      throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  };
}

type Gql = ReturnType<typeof graphqlClient>;

/** Plausible Fashion-MNIST epoch metrics: loss falls, accuracy rises, validation lags a little. */
function epochPoints(epoch: number) {
  const t = epoch / 8;
  const loss = 0.28 + 0.95 * Math.exp(-3 * t);
  const acc = 0.9 - 0.28 * Math.exp(-3.2 * t);
  return [
    { name: 'loss', step: epoch, value: +loss.toFixed(4) },
    { name: 'val_loss', step: epoch, value: +(loss + 0.04 + 0.02 * t * t).toFixed(4) },
    { name: 'accuracy', step: epoch, value: +acc.toFixed(4) },
    { name: 'val_accuracy', step: epoch, value: +(acc - 0.015 - 0.01 * t).toFixed(4) },
  ];
}

const MODEL_SUMMARY = {
  layers: [
    {
      name: 'conv2d_1',
      className: 'Conv2D',
      outputShape: [26, 26, 16],
      params: 160,
      trainable: true,
    },
    {
      name: 'max_pooling2d_1',
      className: 'MaxPooling2D',
      outputShape: [13, 13, 16],
      params: 0,
      trainable: true,
    },
    {
      name: 'conv2d_2',
      className: 'Conv2D',
      outputShape: [11, 11, 32],
      params: 4640,
      trainable: true,
    },
    {
      name: 'max_pooling2d_2',
      className: 'MaxPooling2D',
      outputShape: [5, 5, 32],
      params: 0,
      trainable: true,
    },
    { name: 'flatten_1', className: 'Flatten', outputShape: [800], params: 0, trainable: true },
    { name: 'dense_1', className: 'Dense', outputShape: [64], params: 51264, trainable: true },
    { name: 'dense_2', className: 'Dense', outputShape: [10], params: 650, trainable: true },
  ],
  totalParams: 56714,
  trainableParams: 56714,
};

const DATASET_INFO = {
  name: 'fashion-mnist',
  source: '/usr/share/datasets/fashion-mnist',
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  shape: [28, 28, 1],
  trainCount: 54000,
  validationCount: 6000,
  testCount: 10000,
};

/**
 * Test-split confusion matrix of the seeded evaluation (rows = true class, columns = predicted),
 * 20 samples per class, 200 in all, 172 on the diagonal (accuracy 0.86). By hand, Pullover:
 * TP 15, column sum 2 + 15 + 2 = 19, so precision 15/19 = 0.789, recall 15/20 = 0.750,
 * F1 = 2·15 / (19 + 20) = 0.769.
 */
const EVAL_CONFUSION = [
  [16, 0, 0, 1, 0, 0, 3, 0, 0, 0],
  [0, 19, 0, 1, 0, 0, 0, 0, 0, 0],
  [0, 0, 15, 0, 3, 0, 2, 0, 0, 0],
  [1, 0, 0, 18, 1, 0, 0, 0, 0, 0],
  [0, 0, 2, 1, 16, 0, 1, 0, 0, 0],
  [0, 0, 0, 0, 0, 19, 0, 1, 0, 0],
  [3, 0, 2, 0, 1, 0, 13, 0, 1, 0],
  [0, 0, 0, 0, 0, 1, 0, 18, 0, 1],
  [0, 0, 0, 0, 0, 0, 1, 0, 19, 0],
  [0, 0, 0, 0, 0, 0, 0, 1, 0, 19],
];
const EVAL_SAMPLES = 200;

/**
 * Labels and probability rows whose argmax reproduces {@link EVAL_CONFUSION}: the predicted
 * class gets the confidence, the true class of a miss mostly the runner-up share (so top-2 and
 * top-3 accuracy rise), the rest is spread evenly. Deterministic.
 */
function evaluationFixture(
  confusion: number[][] = EVAL_CONFUSION,
  clientRequestId = 'e2e-evaluation',
) {
  const C = confusion.length;
  const labels: number[] = [];
  const probabilities: number[][] = [];
  let k = 0;
  confusion.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let r = 0; r < count; r++, k++) {
        const wobble = ((k * 37) % 100) / 100; // 0..0.99, spread over the samples
        const confidence = i === j ? 0.5 + 0.49 * wobble : 0.36 + 0.3 * wobble;
        const rest = 1 - confidence;
        const p = new Array<number>(C).fill(0);
        p[j] = confidence;
        // Runner-up: the true class for most misses; for a correct one, the next class.
        const runnerUp = i !== j && k % 3 !== 0 ? i : (j + 1) % C === i ? (j + 2) % C : (j + 1) % C;
        p[runnerUp] = rest * 0.55;
        const others = p.map((v, c) => (c !== j && c !== runnerUp ? c : -1)).filter((c) => c >= 0);
        for (const c of others) p[c] = (rest * 0.45) / others.length;
        labels.push(i);
        probabilities.push(p);
      }
    }),
  );
  const classNames = DATASET_INFO.classNames;
  const report = evaluateClassification({
    labels,
    probabilities: probabilities.flat(),
    numClasses: C,
    classNames,
  });
  const roc = report.perClass.map((pc, c) =>
    pc.auc === null
      ? null
      : rocCurve({ labels, scores: probabilities.map((row) => row[c]), positive: c }),
  );
  const { accuracy, logLoss, ece, topK, perClass, confusionMatrix, macro, weighted, calibration } =
    report;
  assert(
    JSON.stringify(confusionMatrix) === JSON.stringify(confusion),
    'fixture reproduces the designed confusion matrix',
  );
  return {
    split: 'test',
    classNames,
    labels,
    probabilities,
    clientRequestId,
    report: {
      accuracy,
      logLoss,
      ece,
      topK,
      perClass,
      confusionMatrix,
      macro,
      weighted,
      calibration,
      roc,
    },
  };
}

/** 3 x 5 bitmaps of the digits 0-9 (rows top to bottom, "1" = ink). */
const DIGITS = [
  ['111', '101', '101', '101', '111'],
  ['010', '110', '010', '010', '111'],
  ['111', '001', '111', '100', '111'],
  ['111', '001', '111', '001', '111'],
  ['101', '101', '111', '001', '001'],
  ['111', '100', '111', '001', '111'],
  ['111', '100', '111', '101', '111'],
  ['111', '001', '001', '001', '001'],
  ['111', '101', '111', '101', '111'],
  ['111', '101', '111', '001', '111'],
];

/**
 * Deterministic 28 x 28 grayscale test images, row-major [n, 28, 28, 1] like the samples
 * artifact a training run uploads: sample k shows its true class as a digit (4x) on a faint
 * gradient, shifted and dimmed by k so every image differs.
 */
function sampleImages(labels: number[]): Uint8Array<ArrayBuffer> {
  const size = 28 * 28;
  const out = new Uint8Array(labels.length * size);
  labels.forEach((label, k) => {
    const glyph = DIGITS[label % 10];
    const dx = 8 + (k % 3) - 1;
    const dy = 4 + ((k >> 2) % 3) - 1;
    const ink = 255 - ((k * 7) % 80);
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const gx = Math.floor((x - dx) / 4);
        const gy = Math.floor((y - dy) / 4);
        const on = gx >= 0 && gx < 3 && gy >= 0 && gy < 5 && glyph[gy][gx] === '1';
        out[k * size + y * 28 + x] = on ? ink : (x + y + k) % 24;
      }
  });
  return out;
}

const LOG_EVALUATION = `mutation($runId: ID!, $input: EvaluationInput!) { logEvaluation(runId: $runId, input: $input) { id accuracy numSamples } }`;

const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id name } }`;
const START_RUN = `mutation($id: ID!, $backend: String, $reason: String) { startRun(id: $id, backend: $backend, backendReason: $reason) { id status } }`;
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`;
const FINISH = `mutation($id: ID!, $status: FinalRunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { id status } }`;

/**
 * {@link EVAL_CONFUSION} of a second model: Pullover and Shirt improve (17 and 15 right), Coat
 * gets worse (14 right), so the compare page shows deltas both ways. Still 20 samples per class.
 */
const EVAL_CONFUSION_B = EVAL_CONFUSION.map((row, i) =>
  i === 2
    ? [0, 0, 17, 0, 2, 0, 1, 0, 0, 0]
    : i === 6
      ? [2, 0, 1, 0, 1, 0, 15, 0, 1, 0]
      : i === 4
        ? [0, 0, 3, 1, 14, 0, 2, 0, 0, 0]
        : row,
);

async function createRun(
  gql: Gql,
  name: string,
  hp: Record<string, unknown>,
  project = 'fashion-mnist',
): Promise<string> {
  const { createRun: run } = await gql<{ createRun: { id: string } }>(CREATE_RUN, {
    input: {
      project,
      name,
      hyperparameters: hp,
      tags: ['e2e'],
      modelSummary: MODEL_SUMMARY,
      datasetInfo: DATASET_INFO,
    },
  });
  await gql(START_RUN, {
    id: run.id,
    backend: 'wasm',
    reason: 'tfjs-node is not installed; WASM with SIMD is the fastest backend available',
  });
  return run.id;
}

async function logEpochs(gql: Gql, runId: string, from: number, to: number): Promise<void> {
  const points = [];
  for (let e = from; e <= to; e++) points.push(...epochPoints(e));
  await gql(LOG, { runId, points });
}

/** Seeds one finished run with an artifact, one live run, one failed run, in two projects. */
async function seed(api: ApiServer) {
  const gql = graphqlClient(api.url, api.localKey);
  const auth = { authorization: `Bearer ${api.localKey}` };
  await gql(
    `mutation { createProject(name: "fashion-mnist", description: "Small CNNs on Fashion-MNIST") { id } }`,
  );
  const completed = await createRun(gql, 'small-cnn-lr1e-3', {
    preset: 'small-cnn',
    epochs: 8,
    batchSize: 64,
    learningRate: 0.001,
    optimizer: 'adam',
    seed: 1,
  });
  await logEpochs(gql, completed, 1, 8);
  const { logEvaluation } = await gql<{ logEvaluation: { accuracy: number; numSamples: number } }>(
    LOG_EVALUATION,
    { runId: completed, input: evaluationFixture() },
  );
  assert(
    logEvaluation.numSamples === EVAL_SAMPLES && logEvaluation.accuracy === 0.86,
    'evaluation stored',
  );
  // The evaluated images, as a training run stores them (libs/ml RunTracker.logSamples).
  const images = sampleImages(evaluationFixture().labels);
  const samplesMeta = JSON.stringify({
    format: 'uint8-nhwc',
    split: 'test',
    count: EVAL_SAMPLES,
    total: EVAL_SAMPLES,
    height: 28,
    width: 28,
    channels: 1,
  });
  const samplesPut = await fetch(
    api.url.replace(
      /\/graphql$/,
      `/runs/${completed}/artifacts/test-samples.bin?kind=samples&metadata=${encodeURIComponent(samplesMeta)}`,
    ),
    {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...auth },
      body: images,
    },
  );
  assert(samplesPut.status === 201, `samples upload answered ${samplesPut.status}`);
  await gql(FINISH, { id: completed, status: 'COMPLETED' });
  const weights = new Uint8Array(4096).map((_, i) => i % 251);
  const put = await fetch(
    api.url.replace(/\/graphql$/, `/runs/${completed}/artifacts/weights.bin?kind=model`),
    {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...auth },
      body: weights,
    },
  );
  assert(put.status === 201, `artifact upload answered ${put.status}`);

  const live = await createRun(gql, 'small-cnn-lr3e-3', {
    preset: 'small-cnn',
    epochs: 8,
    batchSize: 128,
    learningRate: 0.003,
    optimizer: 'adam',
    seed: 2,
  });
  await logEpochs(gql, live, 1, 3);

  const { createRun: failed } = await gql<{ createRun: { id: string } }>(CREATE_RUN, {
    input: {
      project: 'cifar-sanity',
      name: 'tiny-resnet',
      hyperparameters: { preset: 'tiny-resnet', epochs: 20, batchSize: 32, learningRate: 0.1 },
    },
  });
  await gql(START_RUN, { id: failed.id, backend: 'cpu', reason: 'forced by --backend cpu' });
  await gql(LOG, {
    runId: failed.id,
    points: [
      { name: 'loss', step: 1, value: 2.3 },
      { name: 'loss', step: 2, value: 7.9 },
    ],
  });
  await gql(FINISH, {
    id: failed.id,
    status: 'FAILED',
    error: 'Loss diverged at step 3 (NaN); try a smaller learning rate.',
  });
  return { gql, completed, live, failed: failed.id, other: '', images };
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Builds apps/web for this API: Next fixes rewrite destinations (API_URL) at build time. */
async function buildWeb(apiOrigin: string, env: NodeJS.ProcessEnv): Promise<void> {
  log(`building apps/web into ${E2E_DIST_DIR} with API_URL=${apiOrigin}`);
  await run(process.execPath, [nextBin(), 'build'], { cwd: webDir, env });
}

function nextBin(): string {
  return path.join(repoRoot, 'node_modules/next/dist/bin/next');
}

async function startWeb(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [nextBin(), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: webDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout?.on(
    'data',
    (d: Buffer) => process.env.E2E_VERBOSE && process.stdout.write(`[web] ${d}`),
  );
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[web] ${d}`));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      if (res.status < 500) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('next start did not answer within 60 s');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  log(`screenshot test-results/e2e/${name}.png`);
}

/** Number of points drawn in the path of `series` inside the chart card `curve`. */
async function drawnPoints(page: Page, curve: string, series: string): Promise<number> {
  const attr = await page
    .locator(
      `[data-testid="curve-${curve}"] svg[data-chart="line"] path.series-line[data-series="${series}"]`,
    )
    .getAttribute('data-points');
  return Number(attr ?? 0);
}

async function main(): Promise<number> {
  // Fresh folder: screenshots of an earlier failed run must not pass for this run's.
  fs.rmSync(shotsDir, { recursive: true, force: true });
  fs.mkdirSync(shotsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-e2e-'));
  const cleanups: (() => Promise<void> | void)[] = [
    () => fs.rmSync(tmp, { recursive: true, force: true }),
  ];
  let passed = 0;
  let failed = 0;
  try {
    if (!fs.existsSync(CHROMIUM)) {
      // Developer machines without a browser skip; CI sets REQUIRE_BROWSER=1 so this fails there.
      if (process.env.REQUIRE_BROWSER === '1')
        throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
      log(`SKIP: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      console.log('0 passed, 0 failed');
      return 0;
    }
    const { startApiServer } = (await import('../../apps/api/src/server')) as {
      startApiServer(o: {
        port: number;
        databaseUrl: string;
        artifactsDir: string;
        keyFile: string;
        webOrigin: string;
        heartbeatTimeoutS: number;
      }): Promise<ApiServer>;
    };
    // The dashboard's origin is known before the API starts: login links are built on it and
    // the API honours session cookies only from it (CSRF check).
    const webPort = await freePort();
    const base = `http://127.0.0.1:${webPort}`;
    const api = await startApiServer({
      port: 0,
      databaseUrl: `file:${path.join(tmp, 'e2e.db')}`,
      artifactsDir: path.join(tmp, 'artifacts'),
      // Its own admin key and session secret, never the developer's data/local-api-key.
      keyFile: path.join(tmp, 'local-api-key'),
      webOrigin: base,
      // The seeded RUNNING run sends no heartbeats while apps/web builds (over a minute on a
      // loaded CI box): the reaper must not fail it (the reaper has its own tests).
      heartbeatTimeoutS: 24 * 3600,
    });
    cleanups.unshift(() => api.close());
    const apiOrigin = `http://localhost:${api.port}`;
    log(`API at ${api.url}`);
    const ids = await seed(api);
    const pack = await seedExplanationPack(
      apiOrigin,
      ids.completed,
      evaluationFixture().labels,
      DATASET_INFO.classNames,
      api.localKey,
    );

    const env = {
      ...process.env,
      API_URL: apiOrigin,
      NEXT_DIST_DIR: E2E_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    await buildWeb(apiOrigin, env);
    const web = await startWeb(webPort, env);
    cleanups.unshift(() => {
      if (web.pid && web.exitCode === null) process.kill(-web.pid, 'SIGTERM');
    });
    log(`web at ${base}`);

    const context: BrowserContext = await chromium.launchPersistentContext(
      path.join(tmp, 'chromium-profile'),
      {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1440, height: 900 },
        deviceScaleFactor: 1,
      },
    );
    cleanups.unshift(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });

    let anonymousProfiles = 0;
    const auth: AuthContext = {
      page,
      base: () => base,
      apiOrigin: () => apiOrigin,
      apiKey: () => api.localKey,
      loginLink: (email) => api.loginLink(email),
      ownerEmail: () => api.ownerEmail,
      // A second browser profile: its own cookie jar, nobody signed in.
      anonymousContext: () =>
        chromium.launchPersistentContext(
          path.join(tmp, `chromium-anonymous-${++anonymousProfiles}`),
          {
            executablePath: CHROMIUM,
            headless: true,
            args: CHROMIUM_FLAGS,
            viewport: { width: 1440, height: 900 },
            deviceScaleFactor: 1,
          },
        ),
      shotsDir,
    };

    const tests: [string, () => Promise<void>][] = [
      // Anonymous first, then signed in by the owner's login link for every step below.
      ...signInTests(auth),
      [
        'runs list, sorting and filters',
        async () => {
          await page.goto(`${base}/`);
          await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
          assert(
            (await page.locator('[data-testid="runs-table"] tbody tr').count()) === 3,
            'three runs listed',
          );
          assert(
            (await page.locator('[data-testid="project-list"]').innerText()).includes(
              'fashion-mnist',
            ),
            'project listed',
          );
          await page.locator('svg[data-chart="sparkline"] path.sparkline-line').first().waitFor();
          await shot(page, '01-runs');
          await page.locator('button[data-sort-key="best"]').click();
          await page.waitForURL(/sort=best&dir=desc/);
          const first = await page
            .locator('[data-testid="runs-table"] tbody tr')
            .first()
            .getAttribute('data-run-id');
          assert(first === ids.completed, `best val accuracy first (got ${first})`);
          await page.getByLabel('Filter by status').selectOption('FAILED');
          await page.waitForURL(/status=FAILED/);
          await page.locator(`tr[data-run-id="${ids.failed}"]`).waitFor();
          assert(
            (await page.locator('[data-testid="runs-table"] tbody tr').count()) === 1,
            'status filter keeps one run',
          );
          await page.goto(`${base}/projects/fashion-mnist`);
          await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
          assert(
            (await page.locator('[data-testid="runs-table"] tbody tr').count()) === 2,
            'project page lists its two runs',
          );
          await shot(page, '06-project');
        },
      ],
      [
        'run page draws training curves',
        async () => {
          await page.goto(`${base}/`);
          await page
            .locator(`tr[data-run-id="${ids.completed}"] a[data-testid="run-link"]`)
            .click();
          await page.waitForURL(`**/runs/${ids.completed}`);
          await page.locator('[data-testid="curve-loss"] path.series-line').first().waitFor();
          for (const [curve, series] of [
            ['loss', 'loss'],
            ['loss', 'val_loss'],
            ['accuracy', 'accuracy'],
            ['accuracy', 'val_accuracy'],
          ]) {
            assert((await drawnPoints(page, curve, series)) === 8, `${series} has 8 points`);
          }
          const d = await page
            .locator('[data-testid="curve-loss"] path.series-line[data-series="loss"]')
            .getAttribute('d');
          assert(d && (d.match(/L/g) ?? []).length === 7, 'loss path has 8 vertices');
          assert(
            (await page.locator('[data-testid="curve-accuracy"] circle.series-point').count()) ===
              16,
            'accuracy dots drawn',
          );
          assert(
            (await page.locator('[data-testid="model-summary"] tbody tr').count()) === 7,
            'seven layers',
          );
          assert(
            (await page.locator('[data-testid="model-summary"] tfoot').innerText()).includes(
              '56,714',
            ),
            'total params',
          );
          assert(
            (await page.locator('[data-testid="backend-reason"]').innerText()).includes('WASM'),
            'backend reason',
          );
          const link = page.locator('[data-testid="artifacts"] a', { hasText: 'weights.bin' });
          const res = await page.request.get(
            new URL((await link.getAttribute('href'))!, base).toString(),
          );
          assert(
            res.status() === 200 && (await res.body()).length === 4096,
            'artifact downloads through the rewrite',
          );
          const chart = page.locator('[data-testid="curve-accuracy"] rect.hover-target');
          const box = await chart.boundingBox();
          assert(box, 'chart has a hover target');
          await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
          await page
            .locator('[data-testid="curve-accuracy"] .chart-tooltip')
            .waitFor({ state: 'visible' });
          await shot(page, '02-run');
        },
      ],
      [
        'running run updates live and stops polling when finished',
        async () => {
          await page.goto(`${base}/runs/${ids.live}`);
          await page.locator('[data-testid="live-indicator"]').waitFor();
          assert((await drawnPoints(page, 'loss', 'val_loss')) === 3, 'three epochs at first');
          await logEpochs(ids.gql, ids.live, 4, 6);
          await page.waitForFunction(
            () =>
              document
                .querySelector(
                  '[data-testid="curve-loss"] path.series-line[data-series="val_loss"]',
                )
                ?.getAttribute('data-points') === '6',
            undefined,
            { timeout: 10_000 },
          );
          await shot(page, '03-run-live');
          await logEpochs(ids.gql, ids.live, 7, 8);
          await ids.gql(FINISH, { id: ids.live, status: 'COMPLETED' });
          await page
            .locator('[data-testid="run-view"][data-run-status="COMPLETED"]')
            .waitFor({ timeout: 10_000 });
          assert(
            (await page.locator('[data-testid="live-indicator"]').count()) === 0,
            'live indicator gone',
          );
          assert((await drawnPoints(page, 'accuracy', 'accuracy')) === 8, 'final epochs drawn');
          // Polling has stopped: no further /graphql requests within two intervals.
          let requests = 0;
          const count = (r: { url(): string }) => r.url().endsWith('/graphql') && requests++;
          page.on('request', count);
          await page.waitForTimeout(4500);
          page.off('request', count);
          assert(requests === 0, `no polling after completion (saw ${requests} requests)`);
        },
      ],
      [
        'failed run, unknown run and unknown project',
        async () => {
          await page.goto(`${base}/runs/${ids.failed}`);
          assert(
            (await page.locator('[data-testid="run-error"]').innerText()).includes('Loss diverged'),
            'error shown',
          );
          assert((await drawnPoints(page, 'loss', 'loss')) === 2, 'partial loss curve drawn');
          await shot(page, '04-run-failed');
          // Streamed behind loading.tsx, so the HTTP status is 200: check what the user sees.
          await page.goto(`${base}/runs/no-such-run`);
          assert(
            (await page.locator('[data-testid="run-not-found"]').innerText()).includes(
              'Run not found',
            ),
            'not-found page',
          );
          await shot(page, '05-run-not-found');
          await page.goto(`${base}/projects/no-such-project`);
          await page.locator('[data-testid="project-not-found"]').waitFor();
        },
      ],
      [
        'evaluation views on the run page',
        async () => {
          await page.goto(`${base}/runs/${ids.completed}`);
          const section = page.locator('[data-testid="evaluation"]');
          await section.waitFor();
          assert(
            (await section.locator('h2#evaluation-title').innerText()).includes(
              'Evaluation (test split)',
            ),
            'section title',
          );
          const stats = await page.locator('[data-testid="evaluation-stats"]').innerText();
          assert(
            stats.includes('86.00%') && stats.includes('200'),
            `headline numbers (${stats.replace(/\s+/g, ' ')})`,
          );

          // Tiles: 10 classes x 6 metrics (AUC included), plus the two average rows.
          const tiles = page.locator('[data-testid="evaluation-tiles"] svg[data-chart="heatmap"]');
          await tiles.waitFor();
          const classCells = await tiles.locator('g.heatmap-cell[data-row-kind="class"]').count();
          assert(classCells === 10 * 6, `10 x 6 class cells (got ${classCells})`);
          assert(
            (await tiles.locator('g.heatmap-cell[data-row-kind="average"]').count()) === 2 * 6,
            'macro and weighted rows',
          );
          const cellText = (row: string, col: string) =>
            tiles
              .locator(
                `g.heatmap-cell[data-row-label="${row}"][data-col-label="${col}"] text.cell-text`,
              )
              .textContent();
          assert((await cellText('Pullover', 'precision')) === '0.789', 'Pullover precision 15/19');
          assert((await cellText('Pullover', 'recall')) === '0.750', 'Pullover recall 15/20');
          assert((await cellText('Pullover', 'F1')) === '0.769', 'Pullover F1 30/39');

          // Top-k curve: k = 1..10, labelled points.
          const topk = page.locator('[data-testid="topk-curve"] svg[data-chart="line"]');
          assert(
            (await topk.locator('path.series-line').getAttribute('data-points')) === '10',
            'top-k curve has 10 points',
          );
          assert((await topk.locator('text.point-label').count()) === 10, 'top-k points labelled');
          assert(
            (await topk.locator('text.point-label').first().getAttribute('data-label')) ===
              'top-1 86.0%',
            'top-1 label',
          );

          // Confusion matrix: 100 cells holding the 200 samples; the toggle switches to row percentages.
          const cm = page.locator(
            '[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"]',
          );
          const counts = await cm
            .locator('g.confusion-cell')
            .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
          assert(counts.length === 100, `100 cells (got ${counts.length})`);
          assert(counts.reduce((a, b) => a + b, 0) === EVAL_SAMPLES, 'counts sum to the samples');
          assert((await cm.locator('g.confusion-cell.diagonal').count()) === 10, 'diagonal marked');
          const pulloverCoat = cm.locator('g.confusion-cell[data-row="2"][data-col="4"]');
          assert(
            (await pulloverCoat.locator('text.cell-text').textContent()) === '3',
            'count view',
          );
          await pulloverCoat.hover();
          const tip = page.locator('[data-testid="confusion-matrix"] .chart-tooltip');
          await tip.waitFor({ state: 'visible' });
          assert(
            (await tip.innerText()) === 'true Pullover → predicted Coat: 3 (15.0%)',
            `hover text (${await tip.innerText()})`,
          );
          await page
            .locator('[data-testid="confusion-matrix"] button[data-mode="normalized"]')
            .click();
          await page
            .locator(
              '[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"][data-mode="normalized"]',
            )
            .waitFor();
          assert(
            (await pulloverCoat.locator('text.cell-text').textContent()) === '15.0%',
            'row-normalised view',
          );
          assert(
            (await cm
              .locator('g.confusion-cell[data-row="2"][data-col="2"] text.cell-text')
              .textContent()) === '75.0%',
            'diagonal = recall',
          );

          // ROC: one curve per class, AUC in the legend, chance diagonal.
          const roc = page.locator('[data-testid="roc-curves"] svg[data-chart="roc"]');
          await roc.waitFor();
          assert((await roc.locator('path.roc-line').count()) === 10, 'ten ROC curves');
          assert((await roc.locator('line.chance').count()) === 1, 'chance diagonal');
          const legend = await roc.locator('g.legend-item').allTextContents();
          assert(
            legend.length === 10 && legend.every((t) => /\(AUC \d\.\d{3}\)$/.test(t)),
            `AUC legend (${legend.join(', ')})`,
          );

          // Reliability: bars, the diagonal, a count histogram over all samples, ECE in the title.
          const rel = page.locator('[data-testid="reliability"] svg[data-chart="reliability"]');
          assert((await rel.locator('rect.reliability-bar').count()) > 3, 'reliability bars');
          assert((await rel.locator('line.perfect').count()) === 1, 'perfect-calibration diagonal');
          const binCounts = await rel
            .locator('rect.count-bar')
            .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
          assert(
            binCounts.reduce((a, b) => a + b, 0) === EVAL_SAMPLES,
            'bin counts sum to the samples',
          );
          assert(
            /ECE 0\.\d{4}/.test((await rel.locator('text.chart-title').textContent()) ?? ''),
            'ECE in the title',
          );

          await page.mouse.move(0, 0);
          await section.screenshot({ path: path.join(shotsDir, '07-evaluation.png') });
          log('screenshot test-results/e2e/07-evaluation.png');
        },
      ],
      [
        'clicking a confusion-matrix cell shows exactly its test images',
        async () => {
          await page.goto(`${base}/runs/${ids.completed}`);
          const cm = page.locator(
            '[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"]',
          );
          await cm.waitFor();
          const fixture = evaluationFixture();
          const panel = page.locator('[data-testid="cell-samples"]');
          const tiles = panel.locator('[data-testid="sample-tile"]');
          /** Clicks cell (row, col) and checks the panel lists exactly that cell's samples. */
          const openCell = async (row: number, col: number) => {
            const cell = cm.locator(`g.confusion-cell[data-row="${row}"][data-col="${col}"]`);
            const count = Number(await cell.getAttribute('data-count'));
            await cell.click();
            await page
              .locator(
                `[data-testid="cell-samples"][data-row="${row}"][data-col="${col}"][data-total="${count}"]`,
              )
              .waitFor();
            await page.waitForFunction(
              (n) =>
                document.querySelectorAll(
                  '[data-testid="cell-samples"] [data-testid="sample-tile"]',
                ).length === n,
              count,
            );
            const shown = await tiles.evaluateAll((els) =>
              els.map((el) => ({
                index: Number(el.getAttribute('data-index')),
                label: Number(el.getAttribute('data-label')),
                predicted: Number(el.getAttribute('data-predicted')),
              })),
            );
            const expected = fixture.labels
              .map((y, k) => ({ k, y }))
              .filter(
                ({ k, y }) =>
                  y === row &&
                  fixture.probabilities[k].indexOf(Math.max(...fixture.probabilities[k])) === col,
              )
              .map(({ k }) => k);
            assert(
              JSON.stringify(shown.map((t) => t.index)) === JSON.stringify(expected),
              `cell ${row},${col}: samples ${shown.map((t) => t.index).join(',')} = ${expected.join(',')}`,
            );
            assert(
              shown.every((t) => t.label === row && t.predicted === col),
              'every tile is of the cell',
            );
            assert(
              (await cm.locator('g.confusion-cell.selected').getAttribute('data-row')) ===
                String(row),
              'clicked cell marked selected',
            );
            return { count, expected };
          };

          // Pullover → Coat: 3 mistakes.
          const pc = await openCell(2, 4);
          assert(pc.count === 3, 'Pullover → Coat holds 3 samples');
          const title = await panel.locator('#cell-samples-title').innerText();
          assert(title.includes('Pullover') && title.includes('Coat'), `panel title (${title})`);
          const captions = await tiles.allInnerTexts();
          assert(
            captions.every(
              (t) => t.includes('Pullover') && t.includes('Coat') && /\d+\.\d%/.test(t),
            ),
            `label, prediction and confidence on each tile (${captions.join(' | ')})`,
          );
          // Every image loaded, 3x upscaled, drawn pixelated.
          await page.waitForFunction(() =>
            Array.from(
              document.querySelectorAll<HTMLImageElement>('[data-testid="cell-samples"] img'),
            ).every((img) => img.complete && img.naturalWidth > 0),
          );
          const imgs = await panel.locator('img[data-testid="sample-image"]').evaluateAll((els) =>
            els.map((el) => ({
              w: (el as HTMLImageElement).naturalWidth,
              rendering: getComputedStyle(el).imageRendering,
              src: el.getAttribute('src'),
            })),
          );
          assert(imgs.length === 3, 'three images');
          assert(
            imgs.every((i) => i.w === 84 && i.rendering === 'pixelated'),
            `84 px pixelated images (${JSON.stringify(imgs)})`,
          );
          // The PNG behind a tile, fetched through the web app's rewrite, holds the uploaded pixels.
          const res = await page.request.get(new URL(imgs[0].src!, base).toString());
          assert(res.status() === 200, `image through the rewrite (${res.status()})`);
          const { data, info } = await sharp(await res.body())
            .toColourspace('b-w')
            .raw()
            .toBuffer({ resolveWithObject: true });
          const k = pc.expected[0];
          const want = ids.images.subarray(k * 784, (k + 1) * 784);
          let same = info.width === 84 && info.height === 84;
          for (let y = 0; same && y < 84; y++)
            for (let x = 0; same && x < 84; x++)
              same = data[y * 84 + x] === want[Math.floor(y / 3) * 28 + Math.floor(x / 3)];
          assert(same, `sample ${k} PNG matches the uploaded bytes (${info.width}x${info.height})`);
          await page.mouse.move(0, 0);
          await shot(page, '10-cell-samples');
          await panel.screenshot({ path: path.join(shotsDir, '10b-cell-panel.png') });

          await page.keyboard.press('Escape');
          await panel.waitFor({ state: 'detached' });
          assert(
            (await cm.locator('g.confusion-cell.selected').count()) === 0,
            'selection cleared',
          );

          // A diagonal cell (Shirt correct: 13), closed with the button.
          const shirt = await openCell(6, 6);
          assert(shirt.count === 13, 'Shirt → Shirt holds 13 samples');
          await panel.locator('[data-testid="cell-samples-close"]').click();
          await panel.waitFor({ state: 'detached' });
          // Keyboard: a focused cell opens with Enter.
          await cm.locator('g.confusion-cell[data-row="0"][data-col="6"]').focus();
          await page.keyboard.press('Enter');
          await page
            .locator('[data-testid="cell-samples"][data-row="0"][data-col="6"][data-total="3"]')
            .waitFor();
          await page.keyboard.press('Escape');
          await panel.waitFor({ state: 'detached' });
        },
      ],
      [
        'misclassified gallery: most confident mistakes first, top-3 on each tile',
        async () => {
          await page.goto(`${base}/runs/${ids.completed}`);
          const gallery = page.locator('[data-testid="misclassified"][data-total="28"]');
          await gallery.waitFor();
          const tiles = gallery.locator('[data-testid="mistake-tile"]');
          await tiles.first().waitFor();
          assert((await tiles.count()) === 24, `first page of 24 (got ${await tiles.count()})`);
          const fixture = evaluationFixture();
          const read = () =>
            tiles.evaluateAll((els) =>
              els.map((el) => ({
                index: Number(el.getAttribute('data-index')),
                label: Number(el.getAttribute('data-label')),
                confidence: Number(el.getAttribute('data-confidence')),
                trueName: el.querySelector('[data-testid="mistake-true"]')?.textContent ?? '',
                top: Array.from(el.querySelectorAll('[data-testid="top3"] li')).map((li) => ({
                  c: Number(li.getAttribute('data-class')),
                  p: Number(li.getAttribute('data-probability')),
                  isTrue: li.classList.contains('is-true'),
                })),
              })),
            );
          const check = (list: Awaited<ReturnType<typeof read>>) => {
            for (let t = 0; t < list.length; t++) {
              const tile = list[t];
              const probs = fixture.probabilities[tile.index];
              const expected = probs
                .map((p, c) => ({ c, p }))
                .sort((a, b) => b.p - a.p || a.c - b.c)
                .slice(0, 3);
              assert(tile.label === fixture.labels[tile.index], `tile ${tile.index} label`);
              assert(
                tile.trueName === DATASET_INFO.classNames[tile.label],
                `tile ${tile.index} true class name (${tile.trueName})`,
              );
              assert(
                JSON.stringify(tile.top.map((x) => [x.c, x.p])) ===
                  JSON.stringify(expected.map((x) => [x.c, x.p])),
                `tile ${tile.index} top-3 ${JSON.stringify(tile.top)} = ${JSON.stringify(expected)}`,
              );
              assert(tile.top[0].c !== tile.label, `tile ${tile.index} is a mistake`);
              assert(
                tile.top.every((x) => x.isTrue === (x.c === tile.label)),
                `tile ${tile.index} marks the true class`,
              );
              if (t > 0) {
                const prev = list[t - 1];
                assert(
                  prev.confidence > tile.confidence ||
                    (prev.confidence === tile.confidence && prev.index < tile.index),
                  `most confident first (${prev.index}: ${prev.confidence}, ${tile.index}: ${tile.confidence})`,
                );
              }
            }
          };
          const first = await read();
          check(first);
          assert(
            first.some((t) => t.top.some((x) => x.isTrue)),
            'the true class is among the top-3 of some mistakes',
          );
          // Bars are as wide as the probabilities.
          const bar = await tiles
            .first()
            .locator('[data-testid="top3"] li')
            .first()
            .evaluate((li) => {
              const track = li.querySelector('.top3-bar') as HTMLElement;
              const fill = track.firstElementChild as HTMLElement;
              return fill.getBoundingClientRect().width / track.getBoundingClientRect().width;
            });
          assert(
            Math.abs(bar - first[0].top[0].p) < 0.02,
            `bar width ${bar} ~ ${first[0].top[0].p}`,
          );

          await gallery.locator('[data-testid="misclassified-more"]').click();
          await page.waitForFunction(
            () => document.querySelectorAll('[data-testid="mistake-tile"]').length === 28,
          );
          const all = await read();
          check(all);
          assert(new Set(all.map((t) => t.index)).size === 28, 'the 28 mistakes, each once');
          assert(
            (await gallery.locator('[data-testid="misclassified-more"]').count()) === 0,
            'no more pages',
          );
          await gallery.scrollIntoViewIfNeeded();
          await page.waitForFunction(() =>
            Array.from(
              document.querySelectorAll<HTMLImageElement>('[data-testid="misclassified"] img'),
            ).every((img) => img.complete && img.naturalWidth === 84),
          );
          await page.mouse.move(0, 0);
          await gallery.screenshot({ path: path.join(shotsDir, '11-misclassified.png') });
          log('screenshot test-results/e2e/11-misclassified.png');
        },
      ],
      [
        'query box, selection and compare',
        async () => {
          // A second evaluated run in another project (seeded here so the earlier checks keep their counts).
          const other = await createRun(
            ids.gql,
            'ablation-lr5e-4',
            {
              preset: 'small-cnn',
              epochs: 8,
              batchSize: 64,
              learningRate: 0.0005,
              optimizer: 'sgd',
              seed: 1,
            },
            'fashion-ablation',
          );
          // A slower learner (SGD, smaller rate): higher loss, lower accuracy, so the overlaid curves separate.
          const slower = [];
          for (let e = 1; e <= 8; e++) {
            for (const p of epochPoints(e))
              slower.push({
                ...p,
                value: +(p.name.includes('loss') ? p.value * 1.18 : p.value - 0.035).toFixed(4),
              });
          }
          await ids.gql(LOG, { runId: other, points: slower });
          await ids.gql(LOG_EVALUATION, {
            runId: other,
            input: evaluationFixture(EVAL_CONFUSION_B, 'e2e-evaluation-b'),
          });
          await ids.gql(FINISH, { id: other, status: 'COMPLETED' });

          await page.goto(`${base}/`);
          const rows = page.locator('[data-testid="runs-table"] tbody tr');
          await rows.first().waitFor();
          assert((await rows.count()) === 4, 'four runs before the query');
          const box = page.locator('[data-testid="run-query"]');
          await box.fill('hp.learningRate <= 0.001');
          await box.press('Enter');
          await page.waitForURL(/[?&]q=hp\.learningRate/);
          await page.waitForFunction(
            () => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 2,
          );
          const shown = await rows.evaluateAll((els) =>
            els.map((el) => el.getAttribute('data-run-id')).sort(),
          );
          assert(
            JSON.stringify(shown) === JSON.stringify([ids.completed, other].sort()),
            `query keeps the two low-lr runs (${shown.join(', ')})`,
          );
          assert(
            (await page.locator('[data-testid="query-error"]').count()) === 0,
            'no error for a valid query',
          );

          await box.fill('hp.learningRate <= 0.001 and (best.val_accuracy >');
          await box.press('Enter');
          const error = page.locator('[data-testid="query-error"]');
          await error.waitFor();
          const errorText = await error.innerText();
          assert(
            /\d+:\d+/.test(errorText) && errorText.includes('^'),
            `syntax error with line:column and caret (${errorText})`,
          );
          const font = await error.evaluate((el) => getComputedStyle(el).fontFamily);
          assert(/mono|menlo|consolas/i.test(font), `monospace error (${font})`);
          await shot(page, '08-query');

          // Back to the valid query; sort by learning rate through the API; select both runs.
          await box.fill('hp.learningRate <= 0.001');
          await box.press('Enter');
          await page.waitForFunction(() => !document.querySelector('[data-testid="query-error"]'));
          await page.waitForFunction(
            () => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 2,
          );
          await page.locator('button[data-sort-key="lr"]').click();
          await page.waitForURL(/sort=lr&dir=asc/);
          await page.waitForFunction(
            (id) =>
              document
                .querySelector('[data-testid="runs-table"] tbody tr')
                ?.getAttribute('data-run-id') === id,
            other,
          );
          // The selection lives in the URL; after the sort's navigation React can apply the
          // checkbox's new state a moment after the click (seen in CI: checked a beat later).
          // So click once and wait for the state; click again only if it never came.
          await page.waitForLoadState('networkidle');
          for (const id of [ids.completed, other]) {
            const box = page.locator(`tr[data-run-id="${id}"] input[data-testid="run-select"]`);
            for (let attempt = 0; attempt < 3 && !(await box.isChecked()); attempt++) {
              await box.click();
              await page
                .waitForFunction(
                  (sel) => (document.querySelector(sel) as HTMLInputElement | null)?.checked,
                  `tr[data-run-id="${id}"] input[data-testid="run-select"]`,
                  { timeout: 5000 },
                )
                .catch(() => undefined);
            }
            assert(await box.isChecked(), `run ${id} selected`);
          }
          const compare = page.locator('[data-testid="compare-button"]');
          assert(
            (await compare.innerText()).trim() === 'Compare (2)',
            `compare button (${await compare.innerText()})`,
          );
          ids.other = other;
        },
      ],
      [
        'compare page',
        async () => {
          assert(ids.other, 'the query test seeded the second run');
          await page.locator('[data-testid="compare-button"]').click();
          await page.waitForURL(/\/compare\?runs=/);
          const runsParam = new URL(page.url()).searchParams.get('runs');
          assert(
            runsParam === `${ids.completed},${ids.other}`,
            `selection in the URL (${runsParam})`,
          );
          const headers = page.locator('[data-testid="compare-runs"] .compare-run');
          await headers.nth(1).waitFor();
          assert((await headers.count()) === 2, 'two run headers');
          const headerText = await page.locator('[data-testid="compare-runs"]').innerText();
          assert(
            headerText.includes('fashion-mnist') && headerText.includes('fashion-ablation'),
            'projects in the headers',
          );

          // Overlaid curves: one path per run per series, validation dashed, run colours shared.
          const names = ['small-cnn-lr1e-3', 'ablation-lr5e-4'];
          for (const [curve, series] of [
            ['loss', ['loss', 'val_loss']],
            ['accuracy', ['accuracy', 'val_accuracy']],
          ] as const) {
            const chart = page.locator(
              `[data-testid="compare-curve-${curve}"] svg[data-chart="line"]`,
            );
            await chart.locator('path.series-line').first().waitFor();
            assert(
              (await chart.locator('path.series-line').count()) === 4,
              `${curve}: 2 runs x 2 series`,
            );
            for (const name of names) {
              for (const s of series) {
                const path = chart.locator(`path.series-line[data-series="${name} · ${s}"]`);
                assert(
                  (await path.getAttribute('data-points')) === '8',
                  `${curve}: ${name} ${s} has 8 points`,
                );
                const dash = await path.evaluate((el) => getComputedStyle(el).strokeDasharray);
                assert(
                  s.startsWith('val_') ? dash !== 'none' : dash === 'none',
                  `${name} ${s} ${s.startsWith('val_') ? 'dashed' : 'solid'} (${dash})`,
                );
              }
            }
          }
          const swatch = await headers
            .first()
            .locator('.swatch')
            .evaluate((el) => getComputedStyle(el).backgroundColor);
          const stroke = await page
            .locator(
              `[data-testid="compare-curve-loss"] path.series-line[data-series="${names[0]} · loss"]`,
            )
            .evaluate((el) => getComputedStyle(el).stroke);
          assert(
            swatch === stroke,
            `run colour shared by header and curve (${swatch} vs ${stroke})`,
          );

          // Top-k curves overlaid: one per run, k = 1..10.
          const topk = page.locator(
            '[data-testid="compare-topk"] svg[data-chart="line"] path.series-line',
          );
          assert((await topk.count()) === 2, 'two top-k curves');
          assert(
            (
              await topk.evaluateAll((els) => els.map((el) => el.getAttribute('data-points')))
            ).every((n) => n === '10'),
            'top-k k = 1..10',
          );

          // Per-class tiles side by side; deltas vs the first run (Pullover recall 15 → 17 of 20, Coat 16 → 14).
          const tiles = page.locator('[data-testid="class-tile"]');
          assert((await tiles.count()) === 2, 'two class tiles');
          const [boxA, boxB] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
          assert(
            boxA && boxB && Math.abs(boxA.y - boxB.y) < 2 && boxB.x > boxA.x + boxA.width - 2,
            'tiles side by side',
          );
          assert(
            (await tiles.nth(0).locator('[data-testid="class-delta"]').count()) === 0,
            'no deltas on the baseline',
          );
          const delta = (cls: string, metric: string) =>
            tiles
              .nth(1)
              .locator(
                `tr[data-class="${cls}"] td[data-metric="${metric}"] [data-testid="class-delta"]`,
              );
          assert(
            (await delta('Pullover', 'recall').innerText()) === '+0.100',
            `Pullover recall delta (${await delta('Pullover', 'recall').innerText()})`,
          );
          assert(
            (await delta('Pullover', 'recall').getAttribute('class'))?.includes('better'),
            'improvement is green',
          );
          assert(
            (await delta('Coat', 'recall').innerText()) === '−0.100',
            `Coat recall delta (${await delta('Coat', 'recall').innerText()})`,
          );
          assert(
            (await delta('Coat', 'recall').getAttribute('class'))?.includes('worse'),
            'regression is red',
          );
          const green = await delta('Pullover', 'recall').evaluate(
            (el) => getComputedStyle(el).color,
          );
          assert(green === 'rgb(31, 122, 67)', `green text (${green})`);

          // Hyperparameter diff: only differing keys, all with the toggle.
          const hpRows = page.locator('[data-testid="hp-diff"] tbody tr');
          const keys = await hpRows.evaluateAll((els) =>
            els.map((el) => el.getAttribute('data-key')),
          );
          assert(
            JSON.stringify(keys) === JSON.stringify(['learningRate', 'optimizer']),
            `differing keys only (${keys.join(', ')})`,
          );
          await page.locator('[data-testid="hp-show-all"]').check();
          assert((await hpRows.count()) === 6, 'all six keys with the toggle');
          await page.locator('[data-testid="hp-show-all"]').uncheck();

          // Parallel coordinates: numeric hyperparameters, then the chosen metric.
          const pc = page.locator(
            '[data-testid="parallel-coordinates"] svg[data-chart="parallel-coordinates"]',
          );
          await pc.waitFor();
          assert(
            (await page.locator('[data-testid="pc-metric"]').inputValue()) === 'best.val_accuracy',
            'default metric',
          );
          assert((await pc.locator('path.pc-line').count()) === 2, 'one line per run');
          const axes = await pc
            .locator('g.pc-axis')
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
          assert(
            axes.length === 5 &&
              axes.includes('learningRate') &&
              axes.at(-1) === 'best.val_accuracy',
            `axes (${axes.join(', ')})`,
          );
          assert(
            !axes.includes('optimizer') && !axes.includes('preset'),
            'only numeric hyperparameters',
          );
          await page.locator('[data-testid="pc-metric"]').selectOption('final.loss');
          await pc.locator('g.pc-axis[data-key="final.loss"]').waitFor();
          await page.locator('[data-testid="pc-metric"]').selectOption('best.val_accuracy');
          await pc.locator('g.pc-axis[data-key="best.val_accuracy"]').waitFor();
          await page.mouse.move(0, 0);
          await shot(page, '09-compare');

          // Adding runs by query from the compare page.
          await page.locator('[data-testid="compare-add-query"]').fill('hp.learningRate = 0.003');
          await page.locator('[data-testid="compare-add-query"]').press('Enter');
          await page.waitForURL(
            (url) => (url.searchParams.get('runs') ?? '').split(',').length === 3,
          );
          assert(
            new URL(page.url()).searchParams.get('runs') ===
              `${ids.completed},${ids.other},${ids.live}`,
            'live run appended',
          );
          await page.locator('[data-testid="compare-runs"] .compare-run').nth(2).waitFor();

          // Back on the runs table with two runs selected, "Clear selection" clears both.
          await page.goto(`${base}/?sel=${ids.completed},${ids.other}`);
          const button = page.locator('[data-testid="compare-button"]');
          await button.waitFor();
          assert((await button.innerText()).trim() === 'Compare (2)', 'two runs selected');
          await page.getByRole('button', { name: 'Clear selection' }).click();
          await page.waitForFunction(
            () =>
              document.querySelector('[data-testid="compare-button"]')?.textContent?.trim() ===
              'Compare (0)',
          );
          assert(!new URL(page.url()).searchParams.has('sel'), 'selection removed from the URL');
          assert(
            (await page.locator('input[data-testid="run-select"]:checked').count()) === 0,
            'no checkbox left checked',
          );
        },
      ],
      [
        'export links on the run page',
        async () => {
          await page.goto(`${base}/runs/${ids.completed}`);
          const links = page.locator('[data-testid="export-links"] a[data-export]');
          await links.first().waitFor();
          const files = await links.evaluateAll((els) =>
            els.map((el) => el.getAttribute('data-export')),
          );
          assert(
            files.join(',') ===
              'metrics.csv,metrics.json,evaluation.json,predictions.csv,predictions.json',
            `export links (${files.join(', ')})`,
          );
          const href = await page
            .locator('[data-testid="export-links"] a[data-export="metrics.csv"]')
            .getAttribute('href');
          assert(
            href === `/runs/${ids.completed}/export/metrics.csv`,
            `same-origin href (${href})`,
          );
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.locator('[data-testid="export-links"] a[data-export="metrics.csv"]').click(),
          ]);
          const csv = fs.readFileSync((await download.path())!, 'utf8');
          const lines = csv.trim().split(/\r?\n/);
          assert(lines[0] === 'name,step,value,time', `CSV header (${lines[0]})`);
          assert(lines.length === 1 + 4 * 8, `32 metric rows (${lines.length - 1})`);
          const res = await page.request.get(
            new URL(`/runs/${ids.completed}/export/predictions.csv`, base).toString(),
          );
          const header = (await res.text()).split(/\r?\n/)[0];
          assert(
            res.status() === 200 && header.startsWith('index,label,predicted,confidence,p_0'),
            `predictions CSV through the rewrite (${res.status()} ${header})`,
          );
        },
      ],
      ...explainTests(
        page,
        () => base,
        () => ids.completed,
        () => pack,
        shotsDir,
      ),
      ...uncertaintyTests({
        page,
        base: () => base,
        apiOrigin: () => apiOrigin,
        gql: () => ids.gql,
        apiKey: () => api.localKey,
        runId: () => ids.completed,
        labels: () => evaluationFixture().labels,
        classNames: DATASET_INFO.classNames,
        shotsDir,
      }),
      ...explainImageTests({
        page,
        base: () => base,
        apiOrigin: () => apiOrigin,
        apiKey: () => api.localKey,
        classNames: DATASET_INFO.classNames,
        shotsDir,
      }),
      ...settingsTests(auth),
      [
        'no browser errors',
        async () => {
          assert(pageErrors.length === 0, `browser errors: ${pageErrors.join(' | ')}`);
        },
      ],
    ];

    for (const [name, fn] of tests) {
      try {
        await fn();
        passed++;
        log(`PASS ${name}`);
      } catch (err) {
        failed++;
        log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
        await shot(page, `fail-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
      }
    }
  } catch (err) {
    failed++;
    console.error('[e2e] setup failed:', err);
  } finally {
    for (const fn of cleanups) {
      try {
        await fn();
      } catch (err) {
        console.error('[e2e] cleanup:', err);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
