// TensorBoard's smoothing of a scalar curve: an exponential moving average debiased for its
// start, so the first smoothed value is the first logged value instead of a fraction of it.
import type { Point } from './types';

/** Largest smoothing weight accepted; at 1 the average would never move. */
export const MAX_SMOOTHING = 0.999;

/**
 * TensorBoard's debiased EMA of points in step order: `last = last * w + (1 - w) * v` and
 * `smoothed = last / (1 - w^n)`, n counting the finite values seen so far. Non-finite values
 * are skipped (neither smoothed nor counted), so a NaN from a diverged step does not poison
 * the rest of the curve. `weight` is clamped to [0, {@link MAX_SMOOTHING}]; 0 returns the
 * finite points unchanged. [1, 2, 3] at 0.5 gives [1, 1.6667, 2.4286].
 */
export function emaSmooth(points: readonly Point[], weight: number): Point[] {
  const w = Number.isFinite(weight) ? Math.min(MAX_SMOOTHING, Math.max(0, weight)) : 0;
  const out: Point[] = [];
  let last = 0;
  let n = 0;
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    last = last * w + (1 - w) * p.value;
    n += 1;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, n);
    out.push({ step: p.step, value: last / debias });
  }
  return out;
}
