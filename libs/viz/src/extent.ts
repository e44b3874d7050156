import type { Extent, NamedSeries } from './types';

/** Min and max of the finite numbers in `values` (NaN, ±Infinity, null skipped); `null` when there are none. */
export function finiteExtent(values: Iterable<number | null | undefined>): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : [min, max];
}

/** Options of {@link seriesDomain}. */
export interface DomainOptions {
  /** Fraction of the value range added above and below so lines do not touch the frame. Default 0.05. */
  padding?: number;
  /** Clamp the padded lower bound at 0 when every value is non-negative (losses, accuracies). Default true. */
  clampZero?: boolean;
}

/** x (step) and y (value) domains of a set of series. */
export interface SeriesDomain {
  x: Extent;
  y: Extent;
}

/**
 * Domains for plotting several series on shared axes, ignoring non-finite values (a diverged
 * loss logged as NaN must not blow up the scale). A single step or a constant value gets a
 * non-empty range so scales never divide by zero. `null` when no point is finite.
 */
export function seriesDomain(
  series: readonly NamedSeries[],
  options: DomainOptions = {},
): SeriesDomain | null {
  const { padding = 0.05, clampZero = true } = options;
  const finite = series.flatMap((s) =>
    s.points.filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value)),
  );
  const x = finiteExtent(finite.map((p) => p.step));
  const y = finiteExtent(finite.map((p) => p.value));
  if (!x || !y) return null;
  const xDomain: Extent = x[0] === x[1] ? [x[0] - 1, x[1] + 1] : x;
  const span = y[1] - y[0];
  const pad = span === 0 ? Math.abs(y[0]) * 0.1 || 1 : span * padding;
  let lo = y[0] - pad;
  if (clampZero && y[0] >= 0 && lo < 0) lo = 0;
  return { x: xDomain, y: [lo, y[1] + pad] };
}
