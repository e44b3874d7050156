import { max } from 'd3';
import { textWidth } from './chart-shell';
import type { ConfusionMode } from './evaluation';

/** Largest side of a confusion-matrix cell in px. */
export const MAX_CELL = 64;

/** Where a confusion matrix goes in its SVG: label room, cell size and the total height. */
export interface ConfusionLayout {
  /** Room for the row labels and the "true class" title, left of the grid. */
  left: number;
  /** Room for the column labels and the "predicted class" title, above the grid. */
  top: number;
  /** Side of one (square) cell. */
  cell: number;
  /** Side of the whole grid (`cell` × classes). */
  gridSize: number;
  /** Whether the column labels are slanted because they do not fit a cell. */
  slanted: boolean;
  /** Height of the SVG: labels, grid and the colour legend below it. */
  height: number;
}

/** Height reserved for the colour legend under the grid. */
const LEGEND_HEIGHT = 50;

/**
 * Lays out a confusion matrix of `classes` rows and columns in `width` px: cells square and at
 * most {@link MAX_CELL} (at least 18) px, column labels slanted at 40° when the longest of
 * `classNames` does not fit the cell width (the grid then leaves room on the right for the last
 * slanted label).
 */
export function confusionLayout(opts: {
  classNames: readonly string[];
  classes: number;
  width: number;
}): ConfusionLayout {
  const { classNames, classes: C, width } = opts;
  const longest = max(classNames, (n) => textWidth(n, 11)) ?? 0;
  const left = longest + 34;
  const provisionalCell = Math.min(MAX_CELL, (width - left - 16) / Math.max(1, C));
  const slanted = longest > provisionalCell - 6;
  const top = (slanted ? longest * 0.68 + 14 : 18) + 22;
  // A slanted last label reaches right of the grid (cos 40° ≈ 0.77 of its width from the last
  // column's centre): keep room for it so phones show it whole.
  const right = slanted ? Math.max(16, longest * 0.77 - provisionalCell / 2 + 4) : 16;
  const cell = Math.max(18, Math.min(MAX_CELL, (width - left - right) / Math.max(1, C)));
  const gridSize = cell * C;
  return { left, top, cell, gridSize, slanted, height: top + gridSize + LEGEND_HEIGHT };
}

/** What the colour legend of a confusion matrix shows. */
export interface ConfusionLegend {
  /** Value range of the colour scale. */
  domain: [number, number];
  ticks: { t: number; label: string }[];
  title: string;
}

/**
 * The legend of a confusion matrix: counts from 0 to the largest count (at least 1), or row
 * shares from 0% to 100%.
 */
export function confusionLegend(
  matrix: readonly (readonly number[])[],
  mode: ConfusionMode,
): ConfusionLegend {
  if (mode !== 'counts')
    return {
      domain: [0, 1],
      ticks: [
        { t: 0, label: '0%' },
        { t: 0.5, label: '50%' },
        { t: 1, label: '100%' },
      ],
      title: 'share of true class',
    };
  const maxCount = Math.max(1, ...matrix.flat());
  return {
    domain: [0, maxCount],
    ticks: [
      { t: 0, label: '0' },
      { t: 1, label: String(maxCount) },
    ],
    title: 'samples',
  };
}
