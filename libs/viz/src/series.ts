import type { NamedSeries } from './types';

/** Prefix Keras-style trainers put in front of validation metrics (`val_loss`). */
export const VALIDATION_PREFIX = 'val_';

/** A training metric paired with its validation counterpart, e.g. `loss` with `val_loss`. */
export interface CurvePair<S extends NamedSeries = NamedSeries> {
  /** Base metric name without the validation prefix (`loss`, `accuracy`). */
  key: string;
  /** Training series, absent when only the validation metric was logged. */
  train?: S;
  /** Validation series, absent when only the training metric was logged. */
  validation?: S;
}

/** Preferred order of well-known metrics; others follow alphabetically. */
const PREFERRED_ORDER = ['loss', 'accuracy', 'acc'];

function rank(key: string): number {
  const i = PREFERRED_ORDER.indexOf(key);
  return i === -1 ? PREFERRED_ORDER.length : i;
}

/**
 * Groups metric series into train/validation pairs (`loss` + `val_loss`, `accuracy` + `val_accuracy`).
 * A metric without a counterpart becomes a pair with one side only. Pairs come loss first, then
 * accuracy, then the rest alphabetically, so charts keep a stable order while a run is live.
 */
export function pairTrainValidation<S extends NamedSeries>(series: readonly S[]): CurvePair<S>[] {
  const pairs = new Map<string, CurvePair<S>>();
  for (const s of series) {
    const isValidation =
      s.name.startsWith(VALIDATION_PREFIX) && s.name.length > VALIDATION_PREFIX.length;
    const key = isValidation ? s.name.slice(VALIDATION_PREFIX.length) : s.name;
    const pair: CurvePair<S> = pairs.get(key) ?? { key };
    if (isValidation) pair.validation = s;
    else pair.train = s;
    pairs.set(key, pair);
  }
  return [...pairs.values()].sort(
    (a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key),
  );
}

/** A row of {@link alignSteps}: one step and the value of every input series at it (`null` if absent). */
export interface AlignedRow {
  step: number;
  values: (number | null)[];
}

/**
 * Aligns several series on the union of their steps without resampling: every logged step appears
 * once, in ascending order, with `null` where a series has no point (validation is often logged
 * less often than training). When a series repeats a step the last value wins.
 */
export function alignSteps(series: readonly NamedSeries[]): AlignedRow[] {
  const byStep = new Map<number, (number | null)[]>();
  series.forEach((s, i) => {
    for (const p of s.points) {
      let row = byStep.get(p.step);
      if (!row) {
        row = new Array<number | null>(series.length).fill(null);
        byStep.set(p.step, row);
      }
      row[i] = p.value;
    }
  });
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => ({ step, values }));
}

/**
 * Index of the point whose step is closest to `step` in points sorted by step (ties go to the
 * earlier point), or -1 for an empty array. Used by the hover tooltip.
 */
export function nearestIndex(points: readonly { step: number }[], step: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  // Binary search: lo, hi and mid stay within [0, length - 1].
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && step - points[lo - 1]!.step <= points[lo]!.step - step) return lo - 1;
  return lo;
}
