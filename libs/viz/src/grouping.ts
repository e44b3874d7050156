// Pure grouping of table rows by a value (a hyperparameter), with per-group statistics of a metric.
import { compareValues } from './sort';

/** Count, mean, min and max of the finite values of a metric in a group (null when none). */
export interface GroupStats {
  /** Rows with a finite value. */
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

/** One group of rows sharing a value. */
export interface RowGroup<T> {
  /** Stable key of the value (`number:0.01`, `string:adam`, `missing`). */
  key: string;
  /** The shared value; null for the rows without one. */
  value: string | number | boolean | null;
  /** The rows, in their input order. */
  rows: T[];
  /** Statistics of the metric over the rows. */
  stats: GroupStats;
}

/** {@link GroupStats} of the finite values among `values` (others are ignored). */
export function metricStats(values: readonly (number | null | undefined)[]): GroupStats {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    n += 1;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0 ? { n, mean: null, min: null, max: null } : { n, mean: sum / n, min, max };
}

/**
 * Groups `rows` by `groupValue` (rows without a value form one last group), groups ordered by
 * value ascending (numbers numerically, strings case-insensitively and numeric-aware), rows kept
 * in input order (so a sorted table stays sorted within each group), with {@link metricStats}
 * of `metric` per group.
 */
export function groupRows<T>(
  rows: readonly T[],
  groupValue: (row: T) => string | number | boolean | null | undefined,
  metric: (row: T) => number | null | undefined,
): RowGroup<T>[] {
  const groups = new Map<string, { value: string | number | boolean | null; rows: T[] }>();
  for (const row of rows) {
    const raw = groupValue(row);
    const value =
      raw === undefined || raw === null || (typeof raw === 'number' && Number.isNaN(raw))
        ? null
        : raw;
    const key = value === null ? 'missing' : `${typeof value}:${String(value)}`;
    const group = groups.get(key);
    if (group) group.rows.push(row);
    else groups.set(key, { value, rows: [row] });
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => {
      const av = typeof a.value === 'boolean' ? String(a.value) : a.value;
      const bv = typeof b.value === 'boolean' ? String(b.value) : b.value;
      // Mixed types (a number and a string) order numbers first.
      if (typeof av !== typeof bv && av !== null && bv !== null)
        return typeof av === 'number' ? -1 : 1;
      return compareValues(av, bv, 'asc');
    })
    .map(([key, g]) => ({
      key,
      value: g.value,
      rows: g.rows,
      stats: metricStats(g.rows.map(metric)),
    }));
}
