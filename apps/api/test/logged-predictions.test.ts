// logPredictions: the server computes the evaluation from labels and probabilities. Checked
// against scikit-learn (the fixtures of libs/metrics, made by make_fixtures.py) and against the
// TF.js client's path (evaluateClassification + rocCurve, then logEvaluation), on both databases.
import fs from 'node:fs';
import { GraphQLError } from 'graphql';
import { evaluateClassification, rocCurve, type RocCurve } from '@convscope/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationDataOf } from '../src/evaluation/logged-predictions.service';
import {
  codeOf,
  createRun,
  databases,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

/** A scikit-learn fixture of libs/metrics (read as data: the tests of that library own it). */
interface Fixture {
  numClasses: number;
  classNames?: string[];
  labels: number[];
  probabilities: number[];
  expected: Loose;
  roc?: RocCurve;
  roc3?: RocCurve;
  rocNegative?: RocCurve;
}

function fixture(name: string): Fixture {
  const url = new URL(`../../../libs/metrics/src/fixtures/${name}`, import.meta.url);
  return JSON.parse(fs.readFileSync(url, 'utf8')) as Fixture;
}

/** The fixture's samples as LogPredictionsInput: one row per sample, names "0", "1", ... by default. */
function predictionsOf(f: Fixture) {
  const C = f.numClasses;
  const probabilities =
    C === 1
      ? f.probabilities.map((q) => [1 - q, q]) // a sigmoid column, as the TF.js client expands it
      : f.labels.map((_, i) => f.probabilities.slice(i * C, (i + 1) * C));
  const width = probabilities[0]!.length;
  const classNames = f.classNames ?? Array.from({ length: width }, (_, c) => String(c));
  return { split: 'test', classNames, labels: f.labels, probabilities };
}

const LOG_PREDICTIONS = `mutation($runId: ID!, $input: LogPredictionsInput!) {
  logPredictions(runId: $runId, input: $input) { id split numSamples numClasses classNames accuracy logLoss ece }
}`;

const LOG_EVALUATION = `mutation($runId: ID!, $input: EvaluationInput!) {
  logEvaluation(runId: $runId, input: $input) { id }
}`;

/** Everything stored of an evaluation, with one ROC alias per class (c0, c1, ...). */
function evaluationQuery(numClasses: number): string {
  const rocs = Array.from(
    { length: numClasses },
    (_, c) => `c${c}: roc(label: "${c}") { fpr tpr thresholds }`,
  ).join(' ');
  return `query($id: ID!) { run(id: $id) { evaluations { id split numSamples numClasses classNames
    accuracy logLoss ece topK { k accuracy } confusionMatrix
    perClass { label precision recall f1 sensitivity specificity support auc }
    macro { precision recall f1 } weighted { precision recall f1 }
    calibration { binLower binUpper confidence accuracy count } ${rocs} } } }`;
}

const PREDICTIONS = `query($id: ID!, $evaluationId: ID, $after: String) { run(id: $id) {
  predictions(evaluationId: $evaluationId, first: 100, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { index label predicted confidence correct probabilities } } } }`;

/** Every prediction of evaluation `evaluationId`, page by page. */
async function allPredictions(api: TestApi, runId: string, evaluationId: string) {
  const nodes: Loose[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Loose = (await api.ok(PREDICTIONS, { id: runId, evaluationId, after })).run
      .predictions;
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return { totalCount: page.totalCount as number, nodes };
    after = page.pageInfo.endCursor;
  }
}

/** The stored evaluation `evaluationId` of run `runId` and its predictions, without its id. */
async function stored(api: TestApi, runId: string, evaluationId: string, numClasses: number) {
  const { run } = await api.ok(evaluationQuery(numClasses), { id: runId });
  const { id: _id, ...evaluation } = run.evaluations.find((e: Loose) => e.id === evaluationId);
  return { evaluation, predictions: await allPredictions(api, runId, evaluationId) };
}

/** |actual - expected| <= 1e-9 for a number, exact for null. */
function close(actual: unknown, expected: number | null, what: string): void {
  if (expected === null) return expect(actual, what).toBeNull();
  expect(typeof actual, what).toBe('number');
  expect(
    Math.abs((actual as number) - expected),
    `${what}: ${String(actual)} vs sklearn ${expected}`,
  ).toBeLessThanOrEqual(1e-9);
}

/**
 * The stored evaluation equals scikit-learn's numbers (1e-9) and counts exactly. The server bins
 * calibration as the client does (15 bins); a fixture frozen with other bins skips that part.
 */
function expectSklearn(ev: Loose, e: Loose): void {
  close(ev.accuracy, e.accuracy, 'accuracy');
  close(ev.logLoss, e.logLoss, 'logLoss');
  expect(ev.topK.map((t: Loose) => t.k)).toEqual(e.topK.map((t: Loose) => t.k));
  e.topK.forEach((t: Loose, i: number) => close(ev.topK[i].accuracy, t.accuracy, `top-${t.k}`));
  expect(ev.confusionMatrix).toEqual(e.confusionMatrix);
  expect(ev.perClass).toHaveLength(e.perClass.length);
  e.perClass.forEach((pc: Loose, c: number) => {
    expect(ev.perClass[c].label).toBe(pc.label);
    expect(ev.perClass[c].support).toBe(pc.support);
    for (const key of ['precision', 'recall', 'f1', 'sensitivity', 'specificity', 'auc'])
      close(ev.perClass[c][key], pc[key], `class ${c} ${key}`);
  });
  for (const avg of ['macro', 'weighted'])
    for (const key of ['precision', 'recall', 'f1'])
      close(ev[avg][key], e[avg][key], `${avg} ${key}`);
  if (e.calibration.length !== 15) return;
  close(ev.ece, e.ece, 'ece');
  expect(ev.calibration).toHaveLength(15);
  e.calibration.forEach((b: Loose, i: number) => {
    expect(ev.calibration[i].count, `bin ${i} count`).toBe(b.count);
    close(ev.calibration[i].binLower, b.binLower, `bin ${i} lower`);
    close(ev.calibration[i].binUpper, b.binUpper, `bin ${i} upper`);
    close(ev.calibration[i].confidence, b.confidence, `bin ${i} confidence`);
    close(ev.calibration[i].accuracy, b.accuracy, `bin ${i} accuracy`);
  });
}

/** A stored ROC curve equals scikit-learn's roc_curve (1e-9; thresholds are scores: exact). */
function expectCurve(actual: Loose, expected: RocCurve): void {
  expect(actual.thresholds).toEqual(expected.thresholds);
  expect(actual.fpr).toHaveLength(expected.fpr.length);
  expected.fpr.forEach((v, i) => close(actual.fpr[i], v, `fpr[${i}]`));
  expected.tpr.forEach((v, i) => close(actual.tpr[i], v, `tpr[${i}]`));
}

/**
 * What the TF.js client sends for these samples (libs/ml RunTracker.logEvaluation): the report of
 * evaluateClassification, one rocCurve per class (null where its AUC is undefined), flat probabilities.
 */
function clientEvaluationInput(input: ReturnType<typeof predictionsOf>) {
  const { labels, classNames } = input;
  const C = classNames.length;
  const flat = input.probabilities.flat();
  const report = evaluateClassification({ labels, probabilities: flat, numClasses: C, classNames });
  const roc = report.perClass.map((pc, c) =>
    pc.auc === null
      ? null
      : rocCurve({ labels, scores: labels.map((_, i) => flat[i * C + c]!), positive: c }),
  );
  const { numSamples: _n, numClasses: _c, ...fields } = report;
  return {
    split: input.split,
    classNames,
    numClasses: C,
    labels,
    probabilities: { flat },
    report: { ...fields, roc },
  };
}

// three-class-absent's calibration was frozen with 10 bins: its ECE is not compared.
const FIXTURES = [
  'ten-class.json',
  'three-class-absent.json',
  'four-class-missing-label.json',
  'binary-sigmoid.json',
];

describe.each(databases)('logPredictions on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const evaluationsOf = async (runId: string) =>
    (await api.ok(`query($id: ID!) { run(id: $id) { evaluations { id } } }`, { id: runId })).run
      .evaluations;

  it.each(FIXTURES)('stores the scikit-learn report of %s', async (name) => {
    const f = fixture(name);
    const input = predictionsOf(f);
    const C = input.classNames.length;
    const runId = await createRun(api, { project: uniq('lp') });
    const logged = (await api.ok(LOG_PREDICTIONS, { runId, input })).logPredictions;
    expect(logged).toMatchObject({
      split: 'test',
      numSamples: f.labels.length,
      numClasses: C,
      classNames: input.classNames,
    });
    close(logged.accuracy, f.expected.accuracy, 'accuracy');

    const { evaluation, predictions } = await stored(api, runId, logged.id, C);
    expectSklearn(evaluation, f.expected);
    // The ROC curves scikit-learn drew for the fixture; undefined ones are null.
    if (f.roc3) expectCurve(evaluation.c3, f.roc3);
    if (f.roc) expectCurve(evaluation.c1, f.roc);
    if (f.rocNegative) expectCurve(evaluation.c0, f.rocNegative);
    f.expected.perClass.forEach((pc: Loose, c: number) =>
      expect(evaluation[`c${c}`] === null, `class ${c} curve`).toBe(pc.auc === null),
    );
    // Every sample is stored as sent, with its argmax.
    expect(predictions.totalCount).toBe(f.labels.length);
    predictions.nodes.forEach((p: Loose, i: number) => {
      expect(p.index).toBe(i);
      expect(p.label).toBe(f.labels[i]);
      expect(p.probabilities).toEqual(input.probabilities[i]);
      expect(p.confidence).toBe(Math.max(...input.probabilities[i]!));
    });
  });

  it('stores exactly what the TF.js client stores for the same samples', async () => {
    for (const name of FIXTURES) {
      const input = predictionsOf(fixture(name));
      const C = input.classNames.length;
      const runId = await createRun(api, { project: uniq('lp') });
      const server = (await api.ok(LOG_PREDICTIONS, { runId, input })).logPredictions.id;
      const client = (await api.ok(LOG_EVALUATION, { runId, input: clientEvaluationInput(input) }))
        .logEvaluation.id;
      const a = await stored(api, runId, server, C);
      const b = await stored(api, runId, client, C);
      expect(a, name).toEqual(b);
      expect(a.predictions.nodes, name).toHaveLength(input.labels.length);
    }
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, and stores nothing', async () => {
    const runId = await createRun(api, { project: uniq('lp') });
    const good = predictionsOf(fixture('three-class-absent.json'));
    const bad = (patch: (i: Loose) => void) => {
      const copy = structuredClone(good) as Loose;
      patch(copy);
      return copy;
    };
    const cases: [Loose, string, RegExp][] = [
      [
        bad((i) => i.probabilities.pop()),
        'probabilities',
        /probabilities has 59 rows; expected one per label \(60\)/,
      ],
      [
        bad((i) => i.labels.pop()),
        'probabilities',
        /probabilities has 60 rows; expected one per label \(59\)/,
      ],
      [bad((i) => (i.labels = []) && (i.probabilities = [])), 'labels', /labels is empty/],
      [
        bad((i) => (i.classNames = ['only'])),
        'classNames',
        /classNames has 1 names; need 2 to 10000/,
      ],
      [bad((i) => (i.classNames = ['a', 'b', 'a'])), 'classNames', /unique/],
      [bad((i) => (i.labels[5] = 3)), 'labels', /labels\[5\] = 3 is not a class index in \[0, 2\]/],
      [bad((i) => (i.labels[6] = -1)), 'labels', /labels\[6\] = -1/],
      [
        bad((i) => (i.probabilities[2] = [0.5, 0.5])),
        'probabilities',
        /probabilities\[2\] has 2 values; expected one per class \(3\)/,
      ],
      [
        bad((i) => (i.probabilities[1] = [1.5, -0.5, 0])),
        'probabilities',
        /probabilities\[1\]\[0\] is 1.5/,
      ],
      [
        bad((i) => (i.probabilities[3] = [0.2, -0.1, 0.9])),
        'probabilities',
        /probabilities\[3\]\[1\] is -0.1/,
      ],
      [
        bad((i) => (i.probabilities[4] = [0.5, 0.3, 0.1])),
        'probabilities',
        /probabilities\[4\] sums to 0.9/,
      ],
      [
        bad((i) => (i.probabilities[7] = [0.5, 0.5, 0.002])),
        'probabilities',
        /probabilities\[7\] sums to 1.002/,
      ],
      [bad((i) => (i.split = '')), 'split', /split must not be empty/],
    ];
    for (const [input, field, message] of cases) {
      const r = await api.gql(LOG_PREDICTIONS, { runId, input });
      expect(codeOf(r), String(message)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
      expect(r.errors?.[0]?.extensions?.field, String(message)).toBe(field);
    }
    // Within the tolerance (float32 softmax rows are off by ~1e-7) a row is accepted.
    const nearlyOne = bad((i) => (i.probabilities[7] = [0.5, 0.5, 0.0009]));
    expect((await api.gql(LOG_PREDICTIONS, { runId, input: nearlyOne })).errors).toBeUndefined();

    // JSON has no NaN; Infinity (1e999) is refused by the schema's Float, naming the value's path.
    const body = JSON.stringify({
      query: LOG_PREDICTIONS,
      variables: { runId, input: good },
    }).replace('"probabilities":[[', '"probabilities":[[1e999,');
    const res = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const inf: Loose = await res.json();
    expect(codeOf(inf)).toBe('BAD_USER_INPUT');
    expect(inf.errors[0].message).toMatch(/input\.probabilities\[0\]\[0\]/);
    // A caller inside the server (no JSON in between) gets the same rule for NaN.
    const nan = bad((i) => (i.probabilities[0][1] = NaN));
    let thrown: unknown;
    try {
      evaluationDataOf(nan);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'probabilities',
      index: 0,
    });
    expect((thrown as GraphQLError).message).toMatch(/probabilities\[0\]\[1\] is NaN/);

    expect(await evaluationsOf(runId)).toHaveLength(1); // only the nearly-one input
    const missing = await api.gql(LOG_PREDICTIONS, { runId: 'no-such-run', input: good });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(missing.errors?.[0]?.message).toMatch(/no-such-run/);
  });

  it('is idempotent on clientRequestId', async () => {
    const runId = await createRun(api, { project: uniq('lp') });
    const input = {
      ...predictionsOf(fixture('four-class-missing-label.json')),
      clientRequestId: 'k-1',
    };
    const first = (await api.ok(LOG_PREDICTIONS, { runId, input })).logPredictions;
    const retry = (await api.ok(LOG_PREDICTIONS, { runId, input })).logPredictions;
    expect(retry).toEqual(first);
    const other = (
      await api.ok(LOG_PREDICTIONS, { runId, input: { ...input, clientRequestId: 'k-2' } })
    ).logPredictions;
    expect(other.id).not.toBe(first.id);
    expect((await evaluationsOf(runId)).map((e: Loose) => e.id).sort()).toEqual(
      [first.id, other.id].sort(),
    );
    const blank = await api.gql(LOG_PREDICTIONS, {
      runId,
      input: { ...input, clientRequestId: ' ' },
    });
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.extensions?.field).toBe('clientRequestId');
  });

  it('refuses a reader (viewer key) and anonymous callers, storing nothing', async () => {
    const runId = await createRun(api, { project: uniq('lp') });
    const input = predictionsOf(fixture('three-class-absent.json'));
    const viewer = await api.ok(
      'mutation { createApiKey(input: { name: "reader", role: VIEWER }) { key } }',
    );
    const asViewer = { key: viewer.createApiKey.key as string };
    // The viewer reads the run but may not write to it.
    expect(
      (await api.gql(`query($id: ID!) { run(id: $id) { id } }`, { id: runId }, asViewer)).data,
    ).toEqual({ run: { id: runId } });
    expect(codeOf(await api.gql(LOG_PREDICTIONS, { runId, input }, asViewer))).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(LOG_PREDICTIONS, { runId, input }, { key: null }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await evaluationsOf(runId)).toEqual([]);
  });

  it('takes 10,000 samples x 10 classes as JSON variables in one request', async () => {
    const runId = await createRun(api, { project: uniq('lp') });
    const n = 10_000;
    const C = 10;
    // Deterministic rows (softmax of a small LCG's logits) with the true class favoured.
    let s = 12345;
    const next = () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 2 ** 32);
    const labels = Array.from({ length: n }, (_, i) => i % C);
    const probabilities = labels.map((y) => {
      const e = Array.from({ length: C }, (_, c) => Math.exp(3 * next() + (c === y ? 1.5 : 0)));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
    const classNames = Array.from({ length: C }, (_, c) => `class-${c}`);
    const input = { classNames, labels, probabilities };
    const bytes = JSON.stringify({ query: LOG_PREDICTIONS, variables: { runId, input } }).length;
    expect(bytes).toBeGreaterThan(1_000_000); // the size the limits must allow
    const logged = (await api.ok(LOG_PREDICTIONS, { runId, input })).logPredictions;
    const report = evaluateClassification({
      labels,
      probabilities: probabilities.flat(),
      numClasses: C,
      classNames,
    });
    expect(logged).toMatchObject({ numSamples: n, numClasses: C, split: 'test' });
    expect(logged.accuracy).toBe(report.accuracy);
    expect(logged.logLoss).toBe(report.logLoss);
    expect(logged.ece).toBe(report.ece);
    const { run } = await api.ok(
      `query($id: ID!) { run(id: $id) { predictions { totalCount } } }`,
      { id: runId },
    );
    expect(run.predictions.totalCount).toBe(n);
  });
});
