// Per-run row limits (LIMITS.evaluationsPerRun, uncertaintiesPerRun, metricNamesPerRun): the
// plain lists Run.evaluations, Run.uncertainties, Run.metricNames / summary / metrics are bounded
// because the writes refuse one more. Lowered to 3 through the server's runLimits option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type GqlResult,
  type Loose,
  type TestApi,
} from './helpers';

const MAX = 3;

const LOG_PREDICTIONS = `mutation($runId: ID!, $input: LogPredictionsInput!) {
  logPredictions(runId: $runId, input: $input) { id accuracy }
}`;
const LOG_UNCERTAINTY = `mutation($runId: ID!, $input: UncertaintyInput!) {
  logUncertainty(runId: $runId, input: $input) { id }
}`;
const STORED = `query($id: ID!) { run(id: $id) {
  evaluations { id } uncertainties { id } metricNames
  summary { name count } metrics { name totalPoints }
} }`;

/** Two samples of two classes (accuracy 1/2 by hand: sample 1 is predicted as class 0). */
function predictions(clientRequestId?: string) {
  return {
    classNames: ['a', 'b'],
    labels: [0, 1],
    probabilities: [
      [0.75, 0.25],
      [0.5, 0.5],
    ],
    ...(clientRequestId ? { clientRequestId } : {}),
  };
}

/** One sample, one pass: the statistics mcPredict would send for means [0.75, 0.25]. */
function uncertainty(clientRequestId?: string) {
  const p = [0.75, 0.25];
  return {
    method: 'mc-dropout',
    passes: 1,
    classNames: ['a', 'b'],
    labels: [0],
    meanProbabilities: p,
    std: [0, 0],
    entropy: [-p.reduce((s, v) => s + v * Math.log(v), 0)],
    mutualInformation: [0],
    quantiles: p.flatMap((v) => [v, v, v, v, v]),
    accuracy: 1,
    ...(clientRequestId ? { clientRequestId } : {}),
  };
}

/** Points of the named metrics at `step` (value = step). */
const points = (names: string[], step: number) =>
  names.map((name) => ({ name, step, value: step }));

/** Checks `r` is the run-full BAD_USER_INPUT of `field` at one over the limit. */
function expectRunFull(r: GqlResult<unknown>, field: string, found = MAX + 1): void {
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  const e = r.errors?.[0];
  expect(e?.extensions).toMatchObject({ field, limit: MAX, found });
  expect(e?.message).toContain(`the limit is ${MAX} per run (Run.${field})`);
}

describe.each(databases)('per-run limits on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db, {
      runLimits: { evaluations: MAX, uncertainties: MAX, metricNames: MAX },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const stored = async (id: string): Promise<Loose> => (await api.ok(STORED, { id })).run;

  it(`refuses a run's evaluation ${MAX + 1}, still answers a retry`, async () => {
    const runId = await createRun(api, { project: uniq('rl') });
    const first = (await api.ok(LOG_PREDICTIONS, { runId, input: predictions('k-0') }))
      .logPredictions;
    expect(first.accuracy).toBe(0.5);
    for (let i = 1; i < MAX; i++) await api.ok(LOG_PREDICTIONS, { runId, input: predictions() });
    const ids = (await stored(runId)).evaluations.map((e: Loose) => e.id);
    expect(ids).toHaveLength(MAX);

    expectRunFull(await api.gql(LOG_PREDICTIONS, { runId, input: predictions() }), 'evaluations');
    expectRunFull(
      await api.gql(LOG_PREDICTIONS, { runId, input: predictions('k-new') }),
      'evaluations',
    );
    // The retry of a stored evaluation returns it; nothing was added.
    const retry = (await api.ok(LOG_PREDICTIONS, { runId, input: predictions('k-0') }))
      .logPredictions;
    expect(retry).toEqual(first);
    expect((await stored(runId)).evaluations.map((e: Loose) => e.id)).toEqual(ids);
    // Another run is not affected.
    const other = await createRun(api, { project: uniq('rl') });
    await api.ok(LOG_PREDICTIONS, { runId: other, input: predictions() });
  });

  it('lets exactly the limit through when evaluations arrive at once', async () => {
    const runId = await createRun(api, { project: uniq('rl') });
    const results = await Promise.all(
      Array.from({ length: MAX + 2 }, () =>
        api.gql(LOG_PREDICTIONS, { runId, input: predictions() }),
      ),
    );
    const refused = results.filter((r) => r.errors);
    expect(results.length - refused.length).toBe(MAX);
    for (const r of refused) expectRunFull(r, 'evaluations');
    expect((await stored(runId)).evaluations).toHaveLength(MAX);
  });

  it(`refuses a run's uncertainty evaluation ${MAX + 1}, still answers a retry`, async () => {
    const runId = await createRun(api, { project: uniq('rl') });
    const first = (await api.ok(LOG_UNCERTAINTY, { runId, input: uncertainty('u-0') }))
      .logUncertainty;
    for (let i = 1; i < MAX; i++) await api.ok(LOG_UNCERTAINTY, { runId, input: uncertainty() });
    const ids = (await stored(runId)).uncertainties.map((u: Loose) => u.id);
    expect(ids).toHaveLength(MAX);

    expectRunFull(await api.gql(LOG_UNCERTAINTY, { runId, input: uncertainty() }), 'uncertainties');
    const retry = (await api.ok(LOG_UNCERTAINTY, { runId, input: uncertainty('u-0') }))
      .logUncertainty;
    expect(retry.id).toBe(first.id);
    expect((await stored(runId)).uncertainties.map((u: Loose) => u.id)).toEqual(ids);
  });

  it(`refuses a metrics batch that would give a run ${MAX + 1} names, storing none of it`, async () => {
    const runId = await createRun(api, { project: uniq('rl') });
    await api.ok(LOG_METRICS, { runId, points: points(['a', 'b'], 0) });
    // Two new names at once: 2 + 2 = 4 names, the whole batch (with a's new point) refused.
    const two = await api.gql(LOG_METRICS, {
      runId,
      points: [...points(['a'], 1), ...points(['c', 'd'], 1)],
    });
    expectRunFull(two, 'metricNames', 4);
    let run = await stored(runId);
    expect(run.metricNames).toEqual(['a', 'b']);
    expect(run.summary).toEqual([
      { name: 'a', count: 1 },
      { name: 'b', count: 1 },
    ]);

    const third = await api.ok(LOG_METRICS, { runId, points: points(['c', 'a'], 1) });
    expect(third.logMetrics).toEqual({ accepted: 2, duplicates: 0 });
    expectRunFull(
      await api.gql(LOG_METRICS, { runId, points: points(['b', 'e'], 2) }),
      'metricNames',
    );
    // Names the run has are still taken, and a re-sent batch counts as duplicates.
    const known = await api.ok(LOG_METRICS, { runId, points: points(['a', 'b', 'c'], 2) });
    expect(known.logMetrics).toEqual({ accepted: 3, duplicates: 0 });
    const again = await api.ok(LOG_METRICS, { runId, points: points(['a', 'b', 'c'], 2) });
    expect(again.logMetrics).toEqual({ accepted: 0, duplicates: 3 });
    run = await stored(runId);
    expect(run.metricNames).toEqual(['a', 'b', 'c']);
    expect(run.summary).toEqual([
      { name: 'a', count: 3 },
      { name: 'b', count: 2 },
      { name: 'c', count: 2 },
    ]);
    expect(run.metrics).toEqual([
      { name: 'a', totalPoints: 3 },
      { name: 'b', totalPoints: 2 },
      { name: 'c', totalPoints: 2 },
    ]);
  });
});
