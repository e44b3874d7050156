// Pure helpers of brush-to-zoom: pixels of a drag to a data range, and what stays in view.
import type { Extent, Point } from './types';

/** Options of {@link brushDomain}. */
export interface BrushDomainOptions {
  /** The x scale's current domain (data units). */
  domain: Extent;
  /** The x scale's range (pixels), e.g. [0, innerW]. */
  range: Extent;
  /** Drags narrower than this many pixels are clicks, not zooms. Default 5. */
  minPixels?: number;
}

/**
 * The data range a horizontal drag from pixel `from` to pixel `to` selects (either direction),
 * clamped to the plot; null for a drag narrower than `minPixels` (a click) or a degenerate scale.
 */
export function brushDomain(from: number, to: number, options: BrushDomainOptions): Extent | null {
  const { domain, range, minPixels = 5 } = options;
  const [r0, r1] = range;
  const lo = Math.max(Math.min(r0, r1), Math.min(from, to));
  const hi = Math.min(Math.max(r0, r1), Math.max(from, to));
  if (!(hi - lo >= minPixels) || r1 === r0) return null;
  const invert = (px: number) => domain[0] + ((px - r0) / (r1 - r0)) * (domain[1] - domain[0]);
  const a = invert(lo);
  const b = invert(hi);
  return a <= b ? [a, b] : [b, a];
}

/**
 * The x domain to draw: the zoom range where it overlaps the full data range (cut to it), else
 * the full range (no zoom, or a zoom kept from data that no longer overlaps).
 */
export function visibleDomain(full: Extent, zoom: Extent | null | undefined): Extent {
  if (!zoom) return full;
  const lo = Math.max(full[0], Math.min(zoom[0], zoom[1]));
  const hi = Math.min(full[1], Math.max(zoom[0], zoom[1]));
  return hi > lo ? [lo, hi] : full;
}

/** Whether `shown` is narrower than `full` (a Reset zoom has something to undo). */
export function isZoomed(full: Extent, shown: Extent): boolean {
  return shown[0] > full[0] || shown[1] < full[1];
}

/** The points whose step lies in `domain` (inclusive), for fitting the y axis to what is in view. */
export function pointsInDomain<P extends Point>(points: readonly P[], domain: Extent): P[] {
  return points.filter((p) => p.step >= domain[0] && p.step <= domain[1]);
}

/**
 * Linear interpolation of a curve sorted by x at `x` (clamped to its ends); null when empty.
 * Where the curve is vertical at `x` (several points share it, as ROC steps do), `vertical`
 * picks the lowest or the highest of them (default highest).
 */
export function interpolateAt(
  points: readonly { x: number; y: number }[],
  x: number,
  vertical: 'min' | 'max' = 'max',
): number | null {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;
  const pick = vertical === 'min' ? Math.min : Math.max;
  const at = points.filter((p) => p.x === x).map((p) => p.y);
  if (at.length > 0) return pick(...at);
  if (x < first.x) return first.y;
  if (x > last.x) return last.y;
  const i = points.findIndex((p) => p.x > x);
  const a = points[i - 1];
  const b = points[i];
  if (!a || !b) return last.y;
  return a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y);
}

/**
 * y range of non-decreasing curves (ROC: TPR over FPR) inside the x range `domain`: from the
 * lowest curve at the left edge to the highest at the right edge, padded by `padding` of the
 * span and kept inside [0, 1]. [0, 1] when nothing is zoomed or no curve has points.
 */
export function monotoneYDomain(
  curves: readonly (readonly { x: number; y: number }[])[],
  domain: Extent,
  padding = 0.04,
): Extent {
  const starts = curves.map((c) => interpolateAt(c, domain[0], 'min')).filter((v) => v !== null);
  const ends = curves.map((c) => interpolateAt(c, domain[1])).filter((v) => v !== null);
  if (starts.length === 0 || ends.length === 0) return [0, 1];
  const lo = Math.min(...starts);
  const hi = Math.max(...ends);
  const span = hi - lo || 0.1;
  return [Math.max(0, lo - span * padding), Math.min(1, hi + span * padding)];
}
