// logUncertainty and Run.uncertainty { samples(orderBy) }, on both databases.
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

const LOG = `mutation($runId: ID!, $input: UncertaintyInput!) {
  logUncertainty(runId: $runId, input: $input) {
    id method passes numSamples numClasses classNames accuracy auc perClassAuc meanEntropy meanMutualInformation split
  }
}`;

const SAMPLES = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $orderBy: UncertaintySampleOrder) {
  run(id: $id) { uncertainty { id numSamples samples(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage } edges { cursor }
    nodes { id index label predicted correct confidence meanProbabilities std entropy mutualInformation
      boxplots { class className min q1 median q3 max } }
  } } }
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

/** xs[i], or NaN past the end (so a wrong index shows in the numbers rather than as a crash). */
const at = (xs: readonly number[], i: number): number => xs[i] ?? NaN;

/** Adds `delta` to xs[i] (a fixture edit). */
const bump = (xs: number[], i: number, delta: number): void => {
  xs[i] = at(xs, i) + delta;
};

const entropyOf = (p: number[]) => -p.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);

/** numpy.percentile's default (linear) on a sorted array. */
function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return at(sorted, lo) + (at(sorted, hi) - at(sorted, lo)) * (pos - lo);
}

/**
 * The statistics libs/ml mcPredict sends, computed here from random passes (softmax of noisy
 * logits): an independent reference of the definitions the API stores.
 */
function input(n = 12, T = 5, seed = 1, extra: Record<string, unknown> = {}) {
  const r = rng(seed);
  const C = CLASSES.length;
  const labels: number[] = [];
  const meanProbabilities: number[] = [];
  const std: number[] = [];
  const entropy: number[] = [];
  const mutualInformation: number[] = [];
  const quantiles: number[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = i % C;
    labels.push(y);
    // Sample-specific noise scale so entropies differ; sample 0 and 1 share one to create ties.
    const noise = i === 1 ? 0 : i === 0 ? 0 : (i % 5) + 0.5;
    const passes = Array.from({ length: T }, () => {
      const logits = Array.from({ length: C }, (_, c) => (c === y ? 2 : 0) + noise * r());
      const e = logits.map((l) => Math.exp(l));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    const mean = CLASSES.map((_, c) => passes.reduce((a, p) => a + at(p, c), 0) / T);
    const h = entropyOf(mean);
    const expected = passes.reduce((a, p) => a + entropyOf(p), 0) / T;
    entropy.push(h);
    mutualInformation.push(Math.max(0, h - expected));
    for (let c = 0; c < C; c++) {
      meanProbabilities.push(at(mean, c));
      std.push(Math.sqrt(passes.reduce((a, p) => a + (at(p, c) - at(mean, c)) ** 2, 0) / T));
      const sorted = passes.map((p) => at(p, c)).sort((a, b) => a - b);
      quantiles.push(...[0, 0.25, 0.5, 0.75, 1].map((q) => quantile(sorted, q)));
    }
    const predicted = mean.indexOf(Math.max(...mean));
    if (predicted === y) correct++;
  }
  return {
    method: 'mc-dropout',
    passes: T,
    classNames: CLASSES,
    labels,
    meanProbabilities,
    std,
    entropy,
    mutualInformation,
    quantiles,
    accuracy: correct / n,
    auc: 0.8123456789012345,
    perClassAuc: [0.9, null, 0.7],
    ...extra,
  };
}

describe.each(databases)('uncertainty on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const stored = async (id: string) =>
    (
      await api.ok(
        `query($id: ID!) { run(id: $id) { uncertainties { id } uncertainty { samples { totalCount } } } }`,
        { id },
      )
    ).run;

  it('stores an uncertainty evaluation and serves exactly what was sent', async () => {
    const runId = await createRun(api, { project: uniq('un') });
    expect(await stored(runId)).toEqual({ uncertainties: [], uncertainty: null });
    const sent = input(12, 5, 1);
    const u = (await api.ok(LOG, { runId, input: sent })).logUncertainty;
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(u).toMatchObject({
      method: 'mc-dropout',
      passes: 5,
      numSamples: 12,
      numClasses: 3,
      classNames: CLASSES,
      accuracy: sent.accuracy,
      auc: 0.8123456789012345,
      perClassAuc: [0.9, null, 0.7],
      split: 'test',
    });
    expect(u.meanEntropy).toBeCloseTo(meanOf(sent.entropy), 12);
    expect(u.meanMutualInformation).toBeCloseTo(meanOf(sent.mutualInformation), 12);

    const read = (await api.ok(SAMPLES, { id: runId, first: 100 })).run.uncertainty;
    const page = { ...read.samples, id: read.id };
    expect(page.totalCount).toBe(12);
    expect(page.pageInfo.hasNextPage).toBe(false);
    page.nodes.forEach((s: Loose, i: number) => {
      const mean = sent.meanProbabilities.slice(i * 3, i * 3 + 3);
      const predicted = mean.indexOf(Math.max(...mean));
      // Doubles come back bit for bit (round-trip text on insert).
      expect(s).toEqual({
        id: `${page.id}:${i}`,
        index: i,
        label: sent.labels[i],
        predicted,
        correct: predicted === sent.labels[i],
        confidence: mean[predicted],
        meanProbabilities: mean,
        std: sent.std.slice(i * 3, i * 3 + 3),
        entropy: sent.entropy[i],
        mutualInformation: sent.mutualInformation[i],
        boxplots: CLASSES.map((className, c) => {
          const [min, q1, median, q3, max] = sent.quantiles.slice(
            (i * 3 + c) * 5,
            (i * 3 + c) * 5 + 5,
          );
          return { class: c, className, min, q1, median, q3, max };
        }),
      });
    });
    // A second evaluation becomes the latest; the first stays readable by id.
    const second = (await api.ok(LOG, { runId, input: input(4, 3, 2, { method: 'variational' }) }))
      .logUncertainty;
    const both = (
      await api.ok(
        `query($id: ID!, $u: ID) { run(id: $id) { uncertainty { id method } uncertainties { id } byId: uncertainty(id: $u) { id numSamples } } }`,
        { id: runId, u: u.id },
      )
    ).run;
    expect(both.uncertainty).toEqual({ id: second.id, method: 'variational' });
    expect(both.uncertainties.map((x: Loose) => x.id)).toEqual([second.id, u.id]);
    expect(both.byId).toEqual({ id: u.id, numSamples: 12 });
    const other = await createRun(api, { project: uniq('un') });
    const foreign = await api.gql(
      `query($id: ID!, $u: ID) { run(id: $id) { uncertainty(id: $u) { id } } }`,
      {
        id: other,
        u: u.id,
      },
    );
    // An id naming no uncertainty evaluation of this run answers null, like an unknown one.
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data?.run).toEqual({ uncertainty: null });
    const unknown = await api.ok(
      `query($id: ID!, $u: ID) { run(id: $id) { uncertainty(id: $u) { id } } }`,
      { id: runId, u: 'no-such-uncertainty' },
    );
    expect(unknown.run).toEqual({ uncertainty: null });
  });

  it('orders samples by entropy or mutual information (ties by index) and pages with cursors', async () => {
    const runId = await createRun(api, { project: uniq('un') });
    const sent = input(23, 6, 3);
    await api.ok(LOG, { runId, input: sent });
    const pageAll = async (orderBy: string | null, first: number) => {
      const out: Loose[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Loose = (await api.ok(SAMPLES, { id: runId, first, after, orderBy })).run
          .uncertainty.samples;
        out.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) return out;
        after = page.pageInfo.endCursor;
      }
    };
    // Backward from the end with last/before: the same list, each sample once.
    const pageAllBack = async (orderBy: string | null, last: number) => {
      const out: Loose[] = [];
      let before: string | null = null;
      for (;;) {
        const page: Loose = (await api.ok(SAMPLES, { id: runId, last, before, orderBy })).run
          .uncertainty.samples;
        expect(page.pageInfo.hasNextPage).toBe(before !== null);
        expect(page.edges.map((e: Loose) => e.cursor)[0] ?? null).toBe(page.pageInfo.startCursor);
        out.unshift(...page.nodes);
        if (!page.pageInfo.hasPreviousPage) return out;
        before = page.pageInfo.startCursor;
      }
    };
    const byIndex = await pageAll(null, 5);
    expect(byIndex.map((s) => s.index)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(await pageAllBack(null, 6)).toEqual(byIndex);
    // Ids are "<uncertaintyId>:<index>", the same in every request.
    const uncertaintyId = (await api.ok(SAMPLES, { id: runId, first: 1 })).run.uncertainty.id;
    expect(byIndex.map((s) => s.id)).toEqual(byIndex.map((s) => `${uncertaintyId}:${s.index}`));
    for (const [order, key] of [
      ['ENTROPY_DESC', 'entropy'],
      ['MI_DESC', 'mutualInformation'],
    ] as const) {
      const values = sent[key];
      const expected = values
        .map((v, i) => ({ v, i }))
        .sort((a, b) => b.v - a.v || a.i - b.i)
        .map((x) => x.i);
      expect(
        (await pageAll(order, 4)).map((s) => s.index),
        order,
      ).toEqual(expected);
      expect(
        (await pageAll(order, 100)).map((s) => s.index),
        order,
      ).toEqual(expected);
      expect(
        (await pageAllBack(order, 4)).map((s) => s.index),
        order,
      ).toEqual(expected);
    }
    // Samples 0 and 1 have the same (noise-free) passes: equal entropy, index 0 first.
    expect(sent.entropy[0]).toBe(sent.entropy[1]);
    const ranked = (await pageAll('ENTROPY_DESC', 100)).map((s) => s.index);
    expect(ranked.indexOf(0)).toBe(ranked.indexOf(1) - 1);
    // A cursor belongs to its order.
    const first = (await api.ok(SAMPLES, { id: runId, first: 2, orderBy: 'MI_DESC' })).run
      .uncertainty.samples;
    const mixed = await api.gql(SAMPLES, {
      id: runId,
      first: 2,
      after: first.pageInfo.endCursor,
      orderBy: 'ENTROPY_DESC',
    });
    expect(codeOf(mixed)).toBe('BAD_USER_INPUT');
    expect(mixed.errors?.[0]?.message).toMatch(/another field or ordering/);
    expect(codeOf(await api.gql(SAMPLES, { id: runId, first: 1001 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(SAMPLES, { id: runId, last: 1001 }))).toBe('BAD_USER_INPUT');
    const forged = Buffer.from(JSON.stringify(['uncertainty-sample:entropy', 'x', 1])).toString(
      'base64url',
    );
    expect(
      codeOf(await api.gql(SAMPLES, { id: runId, after: forged, orderBy: 'ENTROPY_DESC' })),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(SAMPLES, { id: runId, after: 'not a cursor!' }))).toBe(
      'BAD_USER_INPUT',
    );
    const empty = (await api.ok(SAMPLES, { id: runId, first: 0 })).run.uncertainty.samples;
    expect(empty).toMatchObject({ totalCount: 23, nodes: [], pageInfo: { hasNextPage: true } });
  });

  it('is idempotent with clientRequestId, also for concurrent retries', async () => {
    const runId = await createRun(api, { project: uniq('un') });
    const payload = input(8, 4, 4, { clientRequestId: 'unc-1' });
    const a = (await api.ok(LOG, { runId, input: payload })).logUncertainty;
    const b = (await api.ok(LOG, { runId, input: payload })).logUncertainty;
    expect(b.id).toBe(a.id);
    const concurrent = input(8, 4, 5, { clientRequestId: 'unc-2' });
    const results = await Promise.all(
      [0, 1, 2].map(() => api.ok(LOG, { runId, input: concurrent })),
    );
    expect(new Set(results.map((r) => r.logUncertainty.id)).size).toBe(1);
    const run = await stored(runId);
    expect(run.uncertainties).toHaveLength(2);
    expect(run.uncertainty.samples.totalCount).toBe(8);
  });

  it('refuses inconsistent input naming the field, and stores nothing', async () => {
    const runId = await createRun(api, { project: uniq('un') });
    const bad = (mutate: (i: ReturnType<typeof input>) => void) => {
      const i = input(6, 4, 7);
      mutate(i);
      return i;
    };
    const cases: [ReturnType<typeof input>, RegExp][] = [
      [bad((i) => (i.method = 'dropout')), /^method must be one of "mc-dropout", "variational"/],
      [bad((i) => (i.passes = 0)), /^passes must be an integer/],
      [bad((i) => i.std.pop()), /^std has 17 values; expected numSamples \* numClasses = 18/],
      [bad((i) => i.entropy.push(0.1)), /^entropy has 7 values; expected numSamples = 6/],
      [bad((i) => i.quantiles.pop()), /^quantiles has 89 values/],
      [bad((i) => (i.labels[2] = 3)), /^labels\[2\] = 3/],
      [bad((i) => (i.entropy[3] = -0.5)), /^entropy\[3\] must be a finite number in \[0, /],
      [bad((i) => (i.entropy[3] = 2)), /^entropy\[3\] must be a finite number/],
      [bad((i) => (i.mutualInformation[1] = at(i.entropy, 1) + 0.5)), /^mutualInformation\[1\]/],
      [bad((i) => (i.std[4] = 0.9)), /^std\[4\] must be a finite number in \[0, /],
      // Both the mean and its quantiles moved: only the row sum is wrong.
      [
        bad((i) => {
          bump(i.meanProbabilities, 0, 0.2);
          for (let j = 0; j < 5; j++) bump(i.quantiles, j, 0.2);
        }),
        /^meanProbabilities of sample 0 sum to/,
      ],
      [
        bad((i) => bump(i.meanProbabilities, 0, 0.2)),
        /^mean probability .* of sample 0, class 0 lies outside its quantiles/,
      ],
      [
        bad((i) => ([i.quantiles[0], i.quantiles[4]] = [1, 0])),
        /^quantiles of sample 0, class 0 decrease/,
      ],
      [bad((i) => (i.accuracy = i.accuracy === 1 ? 0.5 : 1)), /^accuracy = .* does not match/],
      [bad((i) => (i.perClassAuc = [0.5])), /^perClassAuc has 1 values; expected numClasses = 3/],
      [
        bad((i) => Object.assign(i, { classNames: ['a', 'b'], numClasses: 3 })),
        /^classNames has 2 names; expected numClasses = 3/,
      ],
      // Without numClasses the class count comes from classNames: the arrays no longer fit.
      [
        bad((i) => (i.classNames = ['a', 'b'])),
        /^meanProbabilities has 18 values; expected numSamples \* numClasses = 12/,
      ],
    ];
    for (const [payload, message] of cases) {
      const r = await api.gql(LOG, { runId, input: payload });
      expect(codeOf(r), String(message)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
    }
    const field = await api.gql(LOG, { runId, input: bad((i) => (i.entropy[3] = -0.5)) });
    expect(field.errors?.[0]?.extensions).toMatchObject({ field: 'entropy', index: 3 });
    // NaN arrives as null in JSON: refused by the schema as BAD_USER_INPUT naming the field.
    const nan = JSON.parse(
      JSON.stringify({ runId, input: bad((i) => (i.mutualInformation[2] = NaN)) }),
    );
    const r = await api.gql(LOG, nan);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/mutualInformation\[2\]/);
    expect(await stored(runId)).toEqual({ uncertainties: [], uncertainty: null });
    const missing = await api.gql(LOG, { runId: 'no-such-run', input: input(3, 2, 1) });
    expect(codeOf(missing)).toBe('NOT_FOUND');
  });

  it('resolves uncertainty and its samples for a page of runs in a constant number of queries', async () => {
    const queriesFor = async (runs: number) => {
      const project = uniq('unp');
      for (let i = 0; i < runs; i++) {
        const runId = await createRun(api, { project, name: `r${i}` });
        await api.ok(LOG, { runId, input: input(5, 3, i + 10) });
      }
      const q = `query($p: String!) { runs(filter: { projects: [$p] }) { nodes {
        uncertainty { meanEntropy samples(first: 2, orderBy: ENTROPY_DESC) { nodes { index entropy boxplots { median } } } }
        uncertainties { id }
      } } }`;
      const before = api.server.queryCount();
      const data = await api.ok(q, { p: project });
      expect(data.runs.nodes).toHaveLength(runs);
      for (const n of data.runs.nodes) {
        const nodes = n.uncertainty.samples.nodes;
        expect(nodes).toHaveLength(2);
        expect(nodes[0].entropy).toBeGreaterThanOrEqual(nodes[1].entropy);
        expect(nodes[0].boxplots).toHaveLength(3);
      }
      return api.server.queryCount() - before;
    };
    expect(await queriesFor(5)).toBe(await queriesFor(2));
  });
});
