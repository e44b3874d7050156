// logEvaluation and the Run.evaluation / evaluations / predictions fields, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const LOG = `mutation($runId: ID!, $input: EvaluationInput!) {
  logEvaluation(runId: $runId, input: $input) { id accuracy logLoss ece numSamples numClasses split classNames createdAt }
}`;

const EVALUATION = `query($id: ID!, $label: String!) { run(id: $id) { evaluation {
  id accuracy logLoss ece topK { k accuracy }
  perClass { label precision recall f1 sensitivity specificity support auc }
  confusionMatrix macro { precision recall f1 } weighted { precision recall f1 }
  roc(label: $label) { fpr tpr thresholds }
  calibration { binLower binUpper confidence accuracy count }
} } }`;

const PREDICTIONS = `query($id: ID!, $filter: PredictionFilter, $first: Int, $after: String, $last: Int, $before: String, $evaluationId: ID) {
  run(id: $id) { predictions(filter: $filter, first: $first, after: $after, last: $last, before: $before, evaluationId: $evaluationId) {
    totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage } nodes { index label predicted probabilities }
  } }
}`;

const CLASSES = ['cat', 'dog', 'bird'];

/** A deterministic pseudo-random generator (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Samples whose probabilities are valid rows (softmax of random logits). */
function samples(n: number, C: number, seed = 1): { labels: number[]; probabilities: number[][] } {
  const r = rng(seed);
  const labels: number[] = [];
  const probabilities: number[][] = [];
  for (let i = 0; i < n; i++) {
    const y = i % C;
    const logits = Array.from({ length: C }, (_, c) => r() * 3 + (c === y && r() < 0.7 ? 2 : 0));
    const e = logits.map((l) => Math.exp(l));
    const s = e.reduce((a, b) => a + b, 0);
    labels.push(y);
    probabilities.push(e.map((v) => v / s));
  }
  return { labels, probabilities };
}

/** Index of the largest value (the first on ties); 0 for a missing row. */
const argmax = (row: readonly number[] = []) =>
  row.reduce((best, v, i) => (v > (row[best] ?? -Infinity) ? i : best), 0);

/**
 * A report consistent with the samples (confusion matrix and accuracy from argmax); the other
 * numbers are arbitrary but awkward doubles, to check they come back bit for bit.
 */
function reportFor(labels: number[], probabilities: number[][], classNames: string[]) {
  const C = classNames.length;
  const confusionMatrix = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  labels.forEach((y, i) => {
    const row = confusionMatrix[y];
    const p = argmax(probabilities[i]);
    if (row) row[p] = (row[p] ?? 0) + 1;
  });
  const correct = confusionMatrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  return {
    accuracy: correct / labels.length,
    logLoss: 0.7366329574395361,
    ece: 1 / 7,
    topK: Array.from({ length: C }, (_, k) => ({
      k: k + 1,
      accuracy: k === 0 ? correct / labels.length : Math.min(1, 0.5 + k / 3),
    })),
    perClass: classNames.map((label, c) => ({
      label,
      precision: 1 / (c + 3),
      recall: 0.1 * (c + 1),
      f1: 2 / (c + 7),
      sensitivity: 0.1 * (c + 1),
      specificity: 1 - 1 / (c + 11),
      support: (confusionMatrix[c] ?? []).reduce((a, b) => a + b, 0),
      auc: c === C - 1 ? null : 0.5 + 1 / (c + 3),
    })),
    confusionMatrix,
    macro: { precision: 1 / 3, recall: 2 / 3, f1: 0.4444444444444444 },
    weighted: { precision: 0.30000000000000004, recall: 0.6, f1: 0.41 },
    calibration: [
      { binLower: 0, binUpper: 0.5, confidence: null, accuracy: null, count: 0 },
      {
        binLower: 0.5,
        binUpper: 1,
        confidence: 0.7123456789012345,
        accuracy: correct / labels.length,
        count: labels.length,
      },
    ],
    roc: classNames.map((_, c) =>
      c === C - 1
        ? null
        : { fpr: [0, 0.1 * c, 1], tpr: [0, 1 / 3, 1], thresholds: [1.9, 0.6543210987654321, 0.01] },
    ),
  };
}

/**
 * logEvaluation's variables with the probabilities as the API takes them (the one-of
 * `{ rows }` or `{ flat }`), from inputs built with plain rows or a flatProbabilities list.
 */
function wire(vars: Loose): Loose {
  const input = vars?.input;
  if (!input || typeof input !== 'object') return vars;
  const { probabilities, flatProbabilities, ...rest } = input;
  const p: Loose = {};
  if (probabilities !== undefined) p.rows = probabilities;
  if (flatProbabilities !== undefined) p.flat = flatProbabilities;
  return { ...vars, input: { ...rest, probabilities: p } };
}

function input(n = 30, seed = 1, extra: Record<string, unknown> = {}) {
  const { labels, probabilities } = samples(n, CLASSES.length, seed);
  return {
    split: 'test',
    classNames: CLASSES,
    labels,
    probabilities,
    report: reportFor(labels, probabilities, CLASSES),
    ...extra,
  };
}

describe.each(databases)('evaluations on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const count = async (id: string) =>
    (
      await api.ok(
        `query($id: ID!) { run(id: $id) { evaluations { id } predictions { totalCount } } }`,
        { id },
      )
    ).run;

  it('stores an evaluation and serves exactly what was sent, latest first', async () => {
    const runId = await createRun(api, { project: uniq('ev') });
    expect(
      (
        await api.ok(`query($id: ID!) { run(id: $id) { evaluation { id } evaluations { id } } }`, {
          id: runId,
        })
      ).run,
    ).toEqual({
      evaluation: null,
      evaluations: [],
    });
    const first = input(30, 1);
    const a = (await api.ok(LOG, wire({ runId, input: first }))).logEvaluation;
    expect(a).toMatchObject({
      accuracy: first.report.accuracy,
      logLoss: 0.7366329574395361,
      ece: 1 / 7,
      numSamples: 30,
      numClasses: 3,
      split: 'test',
      classNames: CLASSES,
    });
    const sent = input(40, 2);
    const b = (await api.ok(LOG, wire({ runId, input: sent }))).logEvaluation;

    const ev = (await api.ok(EVALUATION, { id: runId, label: 'dog' })).run.evaluation;
    const { roc, ...report } = sent.report;
    expect(ev).toEqual({ id: b.id, ...report, roc: roc[1] });
    expect(ev.perClass.map((p: Loose) => p.label)).toEqual(CLASSES);
    // By class index too; an undefined curve is null; an unknown class is BAD_USER_INPUT.
    expect((await api.ok(EVALUATION, { id: runId, label: '0' })).run.evaluation.roc).toEqual(
      roc[0],
    );
    expect((await api.ok(EVALUATION, { id: runId, label: 'bird' })).run.evaluation.roc).toBeNull();
    const unknown = await api.gql(EVALUATION, { id: runId, label: 'fish' });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toMatch(/fish/);

    const all = (
      await api.ok(
        `query($id: ID!) { run(id: $id) { evaluations { id createdAt accuracy numSamples } } }`,
        { id: runId },
      )
    ).run.evaluations;
    expect(all.map((e: Loose) => e.id)).toEqual([b.id, a.id]);
    expect(all.map((e: Loose) => e.numSamples)).toEqual([40, 30]);
    expect(new Date(all[0].createdAt).getTime()).toBeGreaterThanOrEqual(
      new Date(all[1].createdAt).getTime(),
    );

    // Predictions of the latest evaluation, or of the one asked for.
    const page = (await api.ok(PREDICTIONS, { id: runId, first: 3 })).run.predictions;
    expect(page.totalCount).toBe(40);
    expect(page.nodes).toEqual(
      [0, 1, 2].map((i) => ({
        index: i,
        label: sent.labels[i],
        predicted: argmax(sent.probabilities[i]),
        probabilities: sent.probabilities[i],
      })),
    );
    const older = (await api.ok(PREDICTIONS, { id: runId, first: 1, evaluationId: a.id })).run
      .predictions;
    expect(older.totalCount).toBe(30);
    expect(older.nodes[0].probabilities).toEqual(first.probabilities[0]);
  });

  it('filters and pages predictions by sample index with cursors', async () => {
    const runId = await createRun(api, { project: uniq('ev') });
    const sent = input(60, 3);
    await api.ok(LOG, wire({ runId, input: sent }));
    const all = sent.labels.map((label, index) => {
      const row = sent.probabilities[index] ?? [];
      // The confidence is the largest probability, the one at the predicted index.
      return {
        index,
        label,
        predicted: argmax(row),
        probabilities: row,
        confidence: Math.max(...row),
      };
    });
    const strip = ({ confidence: _c, ...p }: (typeof all)[number]) => p;
    const pageAll = async (filter: Record<string, unknown> | null, first: number) => {
      const nodes: Loose[] = [];
      let after: string | null = null;
      let total = -1;
      for (let guard = 0; guard < 100; guard++) {
        const p: Loose = (await api.ok(PREDICTIONS, { id: runId, filter, first, after })).run
          .predictions;
        total = p.totalCount;
        nodes.push(...p.nodes);
        expect(p.nodes.length).toBeLessThanOrEqual(first);
        if (!p.pageInfo.hasNextPage) break;
        expect(p.nodes).toHaveLength(first);
        after = p.pageInfo.endCursor;
      }
      expect(nodes).toHaveLength(total);
      return nodes;
    };
    expect(await pageAll(null, 7)).toEqual(all.map(strip));

    const wrong = all.filter((p) => p.label !== p.predicted);
    expect(wrong.length).toBeGreaterThan(0);
    expect(await pageAll({ misclassifiedOnly: true }, 4)).toEqual(wrong.map(strip));
    expect(await pageAll({ label: 1 }, 5)).toEqual(all.filter((p) => p.label === 1).map(strip));
    expect(await pageAll({ predicted: 2, label: 0 }, 5)).toEqual(
      all.filter((p) => p.predicted === 2 && p.label === 0).map(strip),
    );
    const band = all.filter((p) => p.confidence >= 0.4 && p.confidence <= 0.6);
    expect(await pageAll({ minConfidence: 0.4, maxConfidence: 0.6 }, 3)).toEqual(band.map(strip));

    const p1 = (await api.ok(PREDICTIONS, { id: runId, filter: { label: 2 }, first: 2 })).run
      .predictions;
    expect(p1.totalCount).toBe(20);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p1.nodes.map((n: Loose) => n.index)).toEqual([2, 5]);
    const p2 = (
      await api.ok(PREDICTIONS, {
        id: runId,
        filter: { label: 2 },
        first: 2,
        after: p1.pageInfo.endCursor,
      })
    ).run.predictions;
    expect(p2.nodes.map((n: Loose) => n.index)).toEqual([8, 11]);
    const last = (await api.ok(PREDICTIONS, { id: runId, last: 2 })).run.predictions;
    expect(last).toMatchObject({
      totalCount: 60,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    expect(last.nodes.map((n: Loose) => n.index)).toEqual([58, 59]);
    // An offset-style cursor of the old API is refused.
    const old = await api.gql(PREDICTIONS, {
      id: runId,
      after: Buffer.from('index:57').toString('base64url'),
    });
    expect(codeOf(old)).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(PREDICTIONS, { id: runId, first: 5000 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(PREDICTIONS, { id: runId, after: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(PREDICTIONS, { id: runId, evaluationId: 'nope' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('orders predictions by confidence (most confident mistakes first) with rank cursors', async () => {
    const runId = await createRun(api, { project: uniq('evo') });
    const sent = input(40, 7);
    await api.ok(LOG, wire({ runId, input: sent }));
    // Expected: the misclassified samples, confidence descending, ties by index.
    const expected = sent.labels
      .map((y, i) => ({
        i,
        y,
        p: argmax(sent.probabilities[i]),
        c: Math.max(...(sent.probabilities[i] ?? [])),
      }))
      .filter((s) => s.p !== s.y)
      .sort((a, b) => b.c - a.c || a.i - b.i)
      .map((s) => s.i);
    expect(expected.length).toBeGreaterThan(5);
    const q = `query($id: ID!, $after: String, $order: PredictionOrder) { run(id: $id) {
      predictions(filter: { misclassifiedOnly: true }, first: 4, after: $after, orderBy: $order) {
        totalCount pageInfo { endCursor hasNextPage } nodes { index confidence correct } } } }`;
    const seen: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: Loose = (await api.ok(q, { id: runId, after, order: 'CONFIDENCE_DESC' })).run
        .predictions;
      expect(page.totalCount).toBe(expected.length);
      for (const n of page.nodes) expect(n.correct).toBe(false);
      seen.push(...page.nodes.map((n: Loose) => n.index));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    // A cursor of one order is refused by the other.
    const first: Loose = (await api.ok(q, { id: runId, order: 'CONFIDENCE_DESC' })).run.predictions;
    const mixed = await api.gql(q, { id: runId, after: first.pageInfo.endCursor, order: 'INDEX' });
    expect(codeOf(mixed)).toBe('BAD_USER_INPUT');
    expect(mixed.errors?.[0]?.message).toMatch(/another field or ordering/);
  });

  it('pages predictions forward and backward in both orders, each sample exactly once, with stable ids', async () => {
    const runId = await createRun(api, { project: uniq('evk') });
    // Few distinct rows, so many samples share a confidence: ties must break on the index.
    const rows = [
      [0.7, 0.2, 0.1],
      [0.1, 0.7, 0.2],
      [0.25, 0.25, 0.5],
      [0.1, 0.1, 0.8],
      [0.4, 0.35, 0.25],
      // Confidences that need 17 digits: a cursor must compare them exactly.
      [0.30000000000000004, 0.2, 0.49999999999999994],
      [1 / 3, 0.012345678901234567, 1 - 1 / 3 - 0.012345678901234567],
    ];
    const probabilities = Array.from({ length: 29 }, (_, i) => rows[(i * 3) % rows.length] ?? []);
    const labels = probabilities.map((_, i) => i % 3);
    const logged = await api.ok(
      LOG,
      wire({
        runId,
        input: {
          classNames: CLASSES,
          labels,
          probabilities,
          report: reportFor(labels, probabilities, CLASSES),
        },
      }),
    );
    const evaluationId: string = logged.logEvaluation.id;
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $order: PredictionOrder) {
      run(id: $id) { predictions(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
        totalCount edges { cursor node { id index } }
        pageInfo { startCursor endCursor hasNextPage hasPreviousPage } nodes { id index confidence } } } }`;
    const byIndex = labels.map((_, i) => i);
    const byConfidence = [...byIndex].sort(
      (a, b) =>
        Math.max(...(probabilities[b] ?? [])) - Math.max(...(probabilities[a] ?? [])) || a - b,
    );
    for (const [order, expected] of [
      ['INDEX', byIndex],
      ['CONFIDENCE_DESC', byConfidence],
    ] as const) {
      const forward: Loose[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const p: Loose = (await api.ok(q, { id: runId, first: 5, after, order })).run.predictions;
        expect(p.edges.map((e: Loose) => e.node.id)).toEqual(p.nodes.map((n: Loose) => n.id));
        expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        forward.push(...p.nodes);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forward.map((n) => n.index)).toEqual(expected);
      expect(forward.map((n) => n.id)).toEqual(expected.map((i) => `${evaluationId}:${i}`));

      const backward: Loose[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const p: Loose = (await api.ok(q, { id: runId, last: 4, before, order })).run.predictions;
        expect(p.pageInfo.hasNextPage).toBe(before !== null);
        backward.unshift(...p.nodes);
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(forward);
    }
    // Ids are the same in a later request.
    const again = (await api.ok(q, { id: runId, first: 3 })).run.predictions.nodes;
    expect(again.map((n: Loose) => n.id)).toEqual([0, 1, 2].map((i) => `${evaluationId}:${i}`));
    // A cursor of another field, a forged key and after with before are refused.
    const forged = Buffer.from(JSON.stringify(['prediction:index', 'x'])).toString('base64url');
    const other = Buffer.from(JSON.stringify(['artifact:name', 'a', 'b'])).toString('base64url');
    for (const vars of [{ after: forged }, { before: other }, { after: forged, before: forged }]) {
      const r = await api.gql(q, { id: runId, ...vars });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
    }
  });

  it('accepts flat probabilities and is idempotent on clientRequestId', async () => {
    const runId = await createRun(api, { project: uniq('ev') });
    const sent = input(20, 4);
    const { probabilities, ...rest } = sent;
    const flat = {
      ...rest,
      numClasses: 3,
      flatProbabilities: probabilities.flat(),
      clientRequestId: uniq('req'),
    };
    const [a, b] = await Promise.all([
      api.ok(LOG, wire({ runId, input: flat })),
      api.ok(LOG, wire({ runId, input: flat })),
    ]);
    const c = await api.ok(LOG, wire({ runId, input: flat }));
    expect(b.logEvaluation.id).toBe(a.logEvaluation.id);
    expect(c.logEvaluation.id).toBe(a.logEvaluation.id);
    expect(await count(runId)).toEqual({
      evaluations: [{ id: a.logEvaluation.id }],
      predictions: { totalCount: 20 },
    });
    const nodes = (await api.ok(PREDICTIONS, { id: runId, first: 20 })).run.predictions.nodes;
    expect(nodes.map((n: Loose) => n.probabilities)).toEqual(probabilities);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the problem and stores nothing', async () => {
    const runId = await createRun(api, { project: uniq('ev') });
    const good = input(12, 5);
    const bad = (patch: (i: Loose) => void) => {
      const copy = structuredClone(good) as Loose;
      patch(copy);
      return copy;
    };
    const cases: [Loose, RegExp][] = [
      [bad((i) => (i.labels[3] = 7)), /labels\[3\] = 7/],
      [bad((i) => (i.labels = [])), /labels is empty/],
      [bad((i) => (i.probabilities[2] = [0.5, 0.5])), /probabilities\[2\] has 2 values/],
      [bad((i) => i.probabilities.pop()), /probabilities has 11 rows/],
      [bad((i) => (i.probabilities[4] = [0.5, 0.6, 0.1])), /sample 4 sum to/],
      [bad((i) => (i.probabilities[1] = [1.5, -0.5, 0])), /sample 1, class 0/],
      [
        bad((i) => (i.flatProbabilities = [0.1])),
        /Exactly one key must be specified for OneOf type "EvaluationProbabilitiesInput"/,
      ],
      [bad((i) => (i.classNames = ['a', 'b'])), /classNames has 2 names/],
      [
        bad((i) => (i.report.perClass = i.report.perClass.slice(1))),
        /report\.perClass has 2 entries/,
      ],
      [bad((i) => i.report.perClass.reverse()), /report\.perClass\[0\]\.label/],
      [bad((i) => (i.report.confusionMatrix[0][0] += 1)), /report\.confusionMatrix\[0\]\[0\]/],
      [bad((i) => (i.report.accuracy = i.report.accuracy === 1 ? 0.5 : 1)), /report\.accuracy/],
      [bad((i) => (i.report.macro.f1 = 3)), /report\.macro\.f1/],
      [bad((i) => (i.report.roc[0].tpr = [0, 1])), /report\.roc\[0\]/],
      [bad((i) => (i.report.calibration[1].count = 3)), /report\.calibration counts/],
    ];
    for (const [payload, message] of cases) {
      const r = await api.gql(LOG, wire({ runId, input: payload }));
      expect(codeOf(r), String(message)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
    }
    // NaN/Infinity arrive as null in JSON: refused by the schema, also as BAD_USER_INPUT.
    const nan = JSON.parse(
      JSON.stringify({ runId, input: bad((i) => (i.probabilities[0][1] = NaN)) }),
    );
    expect(codeOf(await api.gql(LOG, wire(nan)))).toBe('BAD_USER_INPUT');
    const nanReport = JSON.parse(
      JSON.stringify({ runId, input: bad((i) => (i.report.logLoss = Infinity)) }),
    );
    expect(codeOf(await api.gql(LOG, wire(nanReport)))).toBe('BAD_USER_INPUT');
    expect(await count(runId)).toEqual({ evaluations: [], predictions: { totalCount: 0 } });

    const missing = await api.gql(LOG, wire({ runId: 'no-such-run', input: good }));
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(missing.errors?.[0]?.message).toMatch(/no-such-run/);
  });

  it('stores 10,000 x 10 predictions in a few seconds in one request', async () => {
    const runId = await createRun(api, { project: uniq('ev') });
    const names = Array.from({ length: 10 }, (_, c) => `class-${c}`);
    const { labels, probabilities } = samples(10_000, 10, 6);
    const report = reportFor(labels, probabilities, names);
    const started = performance.now();
    const r = await api.ok(
      LOG,
      wire({
        runId,
        input: {
          classNames: names,
          labels,
          numClasses: 10,
          flatProbabilities: probabilities.flat(),
          report,
        },
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(r.logEvaluation.numSamples).toBe(10_000);
    expect(seconds).toBeLessThan(10);
    const last = (await api.ok(PREDICTIONS, { id: runId, last: 1 })).run.predictions;
    expect(last.nodes).toEqual([
      {
        index: 9999,
        label: labels[9999],
        predicted: argmax(probabilities[9999]),
        probabilities: probabilities[9999],
      },
    ]);
    expect(last.totalCount).toBe(10_000);
  });

  it('resolves Run.evaluation for a page of runs in a constant number of queries', async () => {
    const queriesFor = async (runs: number) => {
      const project = uniq('evp');
      for (let i = 0; i < runs; i++) {
        const runId = await createRun(api, { project, name: `r${i}` });
        await api.ok(LOG, wire({ runId, input: input(6, i + 10) }));
      }
      const q = `query($p: String!) { runs(filter: { projects: [$p] }) { nodes { evaluation { accuracy perClass { label } roc(label: "cat") { fpr } } evaluations { id } } } }`;
      const before = api.server.queryCount();
      const data = await api.ok(q, { p: project });
      expect(data.runs.nodes).toHaveLength(runs);
      for (const n of data.runs.nodes)
        expect(n.evaluation.perClass.map((p: Loose) => p.label)).toEqual(CLASSES);
      return api.server.queryCount() - before;
    };
    expect(await queriesFor(6)).toBe(await queriesFor(2));
  });
});
