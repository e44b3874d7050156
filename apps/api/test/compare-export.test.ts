// compareRuns and the export downloads, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const LOG_EVALUATION = `mutation($runId: ID!, $input: EvaluationInput!) { logEvaluation(runId: $runId, input: $input) { id } }`;

const COMPARE = `query($ids: [ID!]!, $maxPoints: Int) { compareRuns(ids: $ids, maxPoints: $maxPoints) {
  runs { id name project { name } }
  metrics { name series { id runId totalPoints downsampled points { step value } } }
  hyperparameters { key values differs }
  perClass { label metrics { runId precision recall f1 auc } deltas { runId precision recall f1 auc } }
  topK { runId evaluationId topK { k accuracy } }
} }`;

const CLASSES = ['cat', 'dog'];
const LABELS = [0, 1, 0, 1];
const PROBABILITIES = [
  [0.9, 0.1],
  [0.2, 0.8],
  [0.4, 0.6],
  [0.7, 0.3],
];

/** A 2-class evaluation of the 4 samples above (argmax 0,1,1,0: accuracy 0.5) with given per-class numbers. */
function evaluation(
  perClass: { precision: number; recall: number; f1: number; auc: number | null }[],
  top2 = 1,
) {
  return {
    split: 'test',
    classNames: CLASSES,
    labels: LABELS,
    probabilities: { rows: PROBABILITIES },
    report: {
      accuracy: 0.5,
      logLoss: 0.6,
      ece: 0.1,
      topK: [
        { k: 1, accuracy: 0.5 },
        { k: 2, accuracy: top2 },
      ],
      perClass: perClass.map((p, c) => ({
        label: CLASSES[c],
        sensitivity: p.recall,
        specificity: 0.5,
        support: 2,
        ...p,
      })),
      confusionMatrix: [
        [1, 1],
        [1, 1],
      ],
      macro: { precision: 0.5, recall: 0.5, f1: 0.5 },
      weighted: { precision: 0.5, recall: 0.5, f1: 0.5 },
      calibration: [{ binLower: 0, binUpper: 1, confidence: 0.75, accuracy: 0.5, count: 4 }],
      roc: [null, null],
    },
  };
}

describe.each(databases)('compareRuns and exports on $label', (db) => {
  let api: TestApi;
  let a: string;
  let b: string;
  let c: string;
  let projectA: string;
  let projectB: string;

  beforeAll(async () => {
    api = await startTestApi(db);
    projectA = uniq('cmp-a');
    projectB = uniq('cmp-b');
    a = await createRun(api, {
      project: projectA,
      name: 'a, "first"',
      hyperparameters: { learningRate: 0.01, batchSize: 32, layers: [1, 2] },
    });
    b = await createRun(api, {
      project: projectB,
      name: 'b',
      hyperparameters: { learningRate: 0.001, batchSize: 32, layers: [1, 2], dropout: 0.5 },
    });
    c = await createRun(api, { project: projectB, name: 'c (no data)' });
    const t = '2026-11-20T10:00:00.000Z';
    await api.ok(LOG_METRICS, {
      runId: a,
      points: [
        { name: 'loss', step: 0, value: 1.5, time: t },
        { name: 'loss', step: 1, value: 0.25, time: t },
        { name: 'acc,"top"', step: 0, value: 0.125, time: t },
      ],
    });
    await api.ok(LOG_METRICS, {
      runId: b,
      points: Array.from({ length: 50 }, (_, step) => ({
        name: 'loss',
        step,
        value: 1 / (step + 1),
        time: t,
      })),
    });
    await api.ok(LOG_EVALUATION, {
      runId: a,
      input: evaluation([
        { precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.75 },
        { precision: 0.25, recall: 0.5, f1: 1 / 3, auc: null },
      ]),
    });
    await api.ok(LOG_EVALUATION, {
      runId: b,
      input: evaluation(
        [
          { precision: 0.75, recall: 0.25, f1: 0.375, auc: 0.5 },
          { precision: 0.5, recall: 0.75, f1: 0.6, auc: 0.875 },
        ],
        0.75,
      ),
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('compares runs of two projects in the given order', async () => {
    const r = (await api.ok(COMPARE, { ids: [b, a, c], maxPoints: 10 })).compareRuns;
    expect(r.runs.map((x: Loose) => [x.id, x.project.name])).toEqual([
      [b, projectB],
      [a, projectA],
      [c, projectB],
    ]);
    expect(r.metrics.map((m: Loose) => m.name)).toEqual(['acc,"top"', 'loss']);
    const loss = r.metrics[1].series;
    expect(loss.map((s: Loose) => [s.id, s.runId, s.totalPoints, s.downsampled])).toEqual([
      [`${b}:loss`, b, 50, true],
      [`${a}:loss`, a, 2, false],
      [`${c}:loss`, c, 0, false],
    ]);
    expect(loss[0].points.length).toBeLessThanOrEqual(10);
    expect(loss[0].points[0]).toEqual({ step: 0, value: 1 });
    expect(loss[0].points.at(-1)).toEqual({ step: 49, value: 1 / 50 });
    expect(loss[1].points).toEqual([
      { step: 0, value: 1.5 },
      { step: 1, value: 0.25 },
    ]);
    expect(r.metrics[0].series.map((s: Loose) => s.points.length)).toEqual([0, 1, 0]);

    expect(r.hyperparameters).toEqual([
      { key: 'batchSize', values: [32, 32, null], differs: true },
      { key: 'dropout', values: [0.5, null, null], differs: true },
      { key: 'layers', values: [[1, 2], [1, 2], null], differs: true },
      { key: 'learningRate', values: [0.001, 0.01, null], differs: true },
    ]);
    const two = (await api.ok(COMPARE, { ids: [a, b] })).compareRuns;
    expect(two.hyperparameters.map((h: Loose) => [h.key, h.differs])).toEqual([
      ['batchSize', false],
      ['dropout', true],
      ['layers', false],
      ['learningRate', true],
    ]);

    expect(r.perClass.map((p: Loose) => p.label)).toEqual(CLASSES);
    expect(r.perClass[0].metrics).toEqual([
      { runId: b, precision: 0.75, recall: 0.25, f1: 0.375, auc: 0.5 },
      { runId: a, precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.75 },
      { runId: c, precision: null, recall: null, f1: null, auc: null },
    ]);
    expect(r.perClass[0].deltas).toEqual([
      { runId: b, precision: 0, recall: 0, f1: 0, auc: 0 },
      { runId: a, precision: -0.25, recall: 0.25, f1: 0.125, auc: 0.25 },
      { runId: c, precision: null, recall: null, f1: null, auc: null },
    ]);
    expect(r.perClass[1].deltas[1]).toMatchObject({ precision: -0.25, auc: null });
    expect(r.topK.map((t: Loose) => [t.runId, t.topK.map((k: Loose) => k.accuracy)])).toEqual([
      [b, [0.5, 0.75]],
      [a, [0.5, 1]],
      [c, []],
    ]);
    expect(r.topK[2].evaluationId).toBeNull();
  });

  it('names unknown ids (NOT_FOUND) and rejects duplicates (BAD_USER_INPUT)', async () => {
    const missing = await api.gql(COMPARE, { ids: [a, 'nope-1', 'nope-2'] });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(missing.errors?.[0]?.message).toBe('Run not found: nope-1, nope-2');
    expect(missing.errors?.[0]?.extensions?.ids).toEqual(['nope-1', 'nope-2']);
    const dup = await api.gql(COMPARE, { ids: [a, b, a] });
    expect(codeOf(dup)).toBe('BAD_USER_INPUT');
    expect(dup.errors?.[0]?.message).toContain(a);
    expect(codeOf(await api.gql(COMPARE, { ids: [] }))).toBe('BAD_USER_INPUT');
  });

  it('exports metrics as RFC 4180 CSV and as JSON', async () => {
    const res = await api.fetch(`${api.origin}/runs/${a}/export/metrics.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="a_first_-metrics.csv"',
    );
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual([
      'name,step,value,time',
      '"acc,""top""",0,0.125,2026-11-20T10:00:00.000Z',
      'loss,0,1.5,2026-11-20T10:00:00.000Z',
      'loss,1,0.25,2026-11-20T10:00:00.000Z',
      '',
    ]);

    const json = await api.fetch(`${api.origin}/runs/${b}/export/metrics.json`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="b-metrics.json"');
    const body = await json.json();
    expect(body.runId).toBe(b);
    expect(body.points).toHaveLength(50);
    expect(body.points[49]).toEqual({
      name: 'loss',
      step: 49,
      value: 1 / 50,
      time: '2026-11-20T10:00:00.000Z',
    });

    const empty = await api.fetch(`${api.origin}/runs/${c}/export/metrics.json`);
    expect((await empty.json()).points).toEqual([]);
  });

  it('exports the latest evaluation and its predictions', async () => {
    const ev = await api.fetch(`${api.origin}/runs/${b}/export/evaluation.json`);
    expect(ev.status).toBe(200);
    expect(ev.headers.get('content-disposition')).toBe('attachment; filename="b-evaluation.json"');
    const report = await ev.json();
    expect(report).toMatchObject({
      runId: b,
      numSamples: 4,
      numClasses: 2,
      classNames: CLASSES,
      accuracy: 0.5,
    });
    expect(report.report.perClass[1]).toMatchObject({ label: 'dog', precision: 0.5, auc: 0.875 });

    const csv = await api.fetch(`${api.origin}/runs/${b}/export/predictions.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'index,label,predicted,confidence,p_cat,p_dog',
      '0,0,0,0.9,0.9,0.1',
      '1,1,1,0.8,0.2,0.8',
      '2,0,1,0.6,0.4,0.6',
      '3,1,0,0.7,0.7,0.3',
      '',
    ]);
    const json = await (await api.fetch(`${api.origin}/runs/${b}/export/predictions.json`)).json();
    expect(json).toMatchObject({ runId: b, classNames: CLASSES, split: 'test' });
    expect(json.predictions[2]).toEqual({
      index: 2,
      label: 0,
      predicted: 1,
      confidence: 0.6,
      probabilities: [0.4, 0.6],
    });
  });

  it('names the probability columns by class, unique and quoted for CSV', async () => {
    const id = await createRun(api, { project: projectA, name: 'class-names' });
    // Stored names differ only in spacing; both read `x,"y" z` once whitespace is folded.
    const names = ['x,"y"  z', 'x,"y" z'];
    const input = evaluation([
      { precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.5 },
      { precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.5 },
    ]);
    input.classNames = names;
    input.report.perClass = input.report.perClass.map((pc, c) => ({
      ...pc,
      label: names[c] ?? '',
    }));
    await api.ok(LOG_EVALUATION, { runId: id, input });
    const text = await (await api.fetch(`${api.origin}/runs/${id}/export/predictions.csv`)).text();
    const [header, first] = text.split('\r\n');
    expect(header).toBe('index,label,predicted,confidence,"p_x,""y"" z","p_x,""y"" z_2"');
    expect(first).toBe('0,0,0,0.9,0.9,0.1');
  });

  it('streams large runs across database pages in order', async () => {
    const id = await createRun(api, { project: projectA, name: 'big' });
    const t = '2026-11-20T10:00:00.000Z';
    const N = 6000; // more than one export page (5000) per metric
    await api.ok(LOG_METRICS, {
      runId: id,
      points: ['b', 'a'].flatMap((name) =>
        Array.from({ length: N }, (_, step) => ({ name, step, value: step / 4, time: t })),
      ),
    });
    const lines = (
      await (await api.fetch(`${api.origin}/runs/${id}/export/metrics.csv`)).text()
    ).split('\r\n');
    expect(lines).toHaveLength(2 * N + 2);
    expect(lines.slice(1, -1)).toEqual(
      ['a', 'b'].flatMap((name) =>
        Array.from({ length: N }, (_, step) => `${name},${step},${step / 4},${t}`),
      ),
    );

    const labels = Array.from({ length: N }, (_, i) => i % 2);
    const probabilities = labels.map((_, i) => {
      const p = (i % 10) / 10 + 0.05;
      return [p, 1 - p];
    });
    const predicted = probabilities.map(([p0 = 0, p1 = 0]) => (p0 >= p1 ? 0 : 1));
    const count = (y: number, p?: number) =>
      labels.filter((l, i) => l === y && (p === undefined || predicted[i] === p)).length;
    const cm = [0, 1].map((y) => [0, 1].map((p) => count(y, p)));
    const input = evaluation([
      { precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.5 },
      { precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.5 },
    ]);
    input.labels = labels;
    input.probabilities = { rows: probabilities };
    input.report.confusionMatrix = cm;
    input.report.accuracy = (count(0, 0) + count(1, 1)) / N;
    const [top1] = input.report.topK;
    if (!top1) throw new Error('the evaluation fixture has no top-1 entry');
    top1.accuracy = input.report.accuracy;
    input.report.perClass = input.report.perClass.map((pc, c) => ({ ...pc, support: count(c) }));
    input.report.calibration = [
      { binLower: 0, binUpper: 1, confidence: 0.75, accuracy: input.report.accuracy, count: N },
    ];
    await api.ok(LOG_EVALUATION, { runId: id, input });
    const rows = (
      await (await api.fetch(`${api.origin}/runs/${id}/export/predictions.csv`)).text()
    ).split('\r\n');
    expect(rows).toHaveLength(N + 2);
    expect(rows.slice(1, -1)).toEqual(
      probabilities.map(([p0 = 0, p1 = 0], i) =>
        [i, labels[i], predicted[i], Math.max(p0, p1), p0, p1].join(','),
      ),
    );
    const json = await (await api.fetch(`${api.origin}/runs/${id}/export/predictions.json`)).json();
    expect(json.predictions.map((p: Loose) => p.index)).toEqual(labels.map((_, i) => i));
  });

  it('answers 404 JSON for unknown runs and runs without an evaluation', async () => {
    for (const file of [
      'metrics.csv',
      'metrics.json',
      'evaluation.json',
      'predictions.csv',
      'predictions.json',
    ]) {
      const res = await api.fetch(`${api.origin}/runs/nope/export/${file}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await res.json()).code).toBe('RUN_NOT_FOUND');
    }
    const none = await api.fetch(`${api.origin}/runs/${c}/export/predictions.csv`);
    expect(none.status).toBe(404);
    expect((await none.json()).code).toBe('EVALUATION_NOT_FOUND');
  });
});
