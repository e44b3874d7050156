/**
 * Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", MLSys 2020) as early stopping: every run is queued for the full
 * `maxResource` epochs and judged at each rung (`minResource * eta^k` epochs) against the runs that
 * reached that rung before it. The paper's promotion rule, top `floor(n / eta)` of the `n` results
 * at a rung, decides: a run outside that set when it arrives is stopped. A run cannot wait to be
 * promoted later (its training is live), so while a rung has fewer than `eta` results there is no
 * top set yet and the run goes on, as the paper's first configs do before anything is promoted.
 *
 * Each decision depends only on results recorded before the run arrived, so recomputing from the
 * database always gives the same stops (no state kept between calls, any API instance may judge).
 */

/** Which way the metric improves. */
export type MetricGoal = 'maximize' | 'minimize';

/** ASHA's settings (see the sweep config's `asha`). */
export interface AshaSettings {
  minResource: number;
  eta: number;
  maxResource: number;
}

/**
 * The rungs, in epochs: `minResource * eta^k` below `maxResource` (reaching `maxResource` is
 * finishing, not a judgement). E.g. minResource 1, eta 3, maxResource 27: [1, 3, 9].
 */
export function ashaRungs(settings: AshaSettings): number[] {
  const { minResource, eta, maxResource } = settings;
  const out: number[] = [];
  for (let r = minResource; r < maxResource; r *= eta) out.push(r);
  return out;
}

/** `a` is strictly better than `b` for `goal`. */
function better(a: number, b: number, goal: MetricGoal): boolean {
  return goal === 'maximize' ? a > b : a < b;
}

/**
 * The paper's promotion set at one rung: the top `floor(n / eta)` of its `n` results (ties keep
 * the earlier entry). Returns their ids, best first.
 */
export function ashaTopK(
  results: readonly { id: string; value: number }[],
  eta: number,
  goal: MetricGoal,
): string[] {
  const k = Math.floor(results.length / eta);
  const sorted = results
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) =>
      better(a.value, b.value, goal) ? -1 : better(b.value, a.value, goal) ? 1 : a.i - b.i,
    );
  return sorted.slice(0, k).map((r) => r.id);
}

/**
 * Whether a run that reaches a rung with `value` goes on, given the values that reached the same
 * rung before it: it must be in the top `floor(n / eta)` of all `n` (itself included; a tie with
 * an earlier run counts in its favour). Fewer than `eta` results: it goes on.
 */
export function ashaContinues(
  earlier: readonly number[],
  value: number,
  eta: number,
  goal: MetricGoal,
): boolean {
  const n = earlier.length + 1;
  if (n < eta) return true;
  const k = Math.floor(n / eta);
  const strictlyBetter = earlier.filter((v) => better(v, value, goal)).length;
  return strictlyBetter < k;
}

/** One point of a run's metric: its epoch, the value and when it was logged (orders arrivals). */
export interface AshaPoint {
  epoch: number;
  value: number;
  /** Milliseconds since the epoch, or any number that orders arrivals. */
  at: number;
}

/** A run of the sweep and its metric per epoch. */
export interface AshaRun {
  runId: string;
  points: readonly AshaPoint[];
}

/** A run the rule stops, and the rung (epochs) where it failed. */
export interface AshaStop {
  runId: string;
  rung: number;
}

/**
 * Every run ASHA stops, each at the first rung it fails. A run's result at a rung is its metric
 * at that epoch; runs arrive at a rung in the order those points were logged (ties by run id).
 * Non-finite values are left out (a run with NaN at a rung is judged when it has a number).
 */
export function ashaStops(
  settings: AshaSettings,
  goal: MetricGoal,
  runs: readonly AshaRun[],
): AshaStop[] {
  const stopped = new Map<string, number>();
  for (const rung of ashaRungs(settings)) {
    const arrivals: { runId: string; value: number; at: number }[] = [];
    for (const run of runs) {
      const p = run.points.find((pt) => pt.epoch === rung && Number.isFinite(pt.value));
      if (p !== undefined) arrivals.push({ runId: run.runId, value: p.value, at: p.at });
    }
    arrivals.sort((a, b) => a.at - b.at || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    const earlier: number[] = [];
    for (const a of arrivals) {
      if (!stopped.has(a.runId) && !ashaContinues(earlier, a.value, settings.eta, goal)) {
        stopped.set(a.runId, rung);
      }
      // A run stopped here or before still reached this rung: its result counts for later arrivals.
      earlier.push(a.value);
    }
  }
  return [...stopped].map(([runId, rung]) => ({ runId, rung }));
}
