import type { MetricGoal, Point } from './types';
import { VALIDATION_PREFIX } from './series';

/**
 * Substrings of metric names where larger is better (quality scores, throughput such as
 * `train_images_per_s`); anything else (loss, error, mse, epoch_time_s...) is minimised.
 */
const MAXIMISED = [
  'acc',
  'precision',
  'recall',
  'f1',
  'auc',
  'iou',
  'top',
  'score',
  'per_s',
  'per_sec',
  'throughput',
];

/** Whether a metric is maximised (accuracy-like) or minimised (loss-like), judged from its name. */
export function metricGoal(name: string): MetricGoal {
  const base = name.toLowerCase().replace(VALIDATION_PREFIX, '');
  if (/loss|error|err\b|mse|mae|rmse/.test(base)) return 'min';
  return MAXIMISED.some((m) => base.includes(m)) ? 'max' : 'min';
}

/**
 * The best finite point of a series: highest value for `max`, lowest for `min`; the earliest
 * step wins ties. `null` when no value is finite.
 */
export function bestPoint(points: readonly Point[], goal: MetricGoal): Point | null {
  let best: Point | null = null;
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    if (
      !best ||
      (goal === 'max' ? p.value > best.value : p.value < best.value) ||
      (p.value === best.value && p.step < best.step)
    ) {
      best = p;
    }
  }
  return best ? { step: best.step, value: best.value } : null;
}

/** Per-metric summary as the API returns it (computed over the full series, not downsampled). */
export interface SummaryLike {
  name: string;
  min: number;
  max: number;
}

/** Best value of metric `name` from a run summary, using {@link metricGoal}; `null` when not logged. */
export function bestFromSummary(summary: readonly SummaryLike[], name: string): number | null {
  const s = summary.find((m) => m.name === name);
  if (!s) return null;
  const v = metricGoal(name) === 'max' ? s.max : s.min;
  return Number.isFinite(v) ? v : null;
}
