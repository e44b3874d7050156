import { textWidth } from './chart-shell';
import type { HeatmapRow } from './evaluation';

/** Widest heatmap column in px. */
const MAX_CELL_WIDTH = 140;
/** Room above the grid for the column labels. */
const TOP = 26;
/** Room under the grid for the colour legend. */
const LEGEND_HEIGHT = 52;

/** Where a heatmap goes in its SVG. */
export interface HeatmapLayout {
  /** Room for the row labels, left of the grid. */
  labelW: number;
  /** Room for the row notes, right of the grid. */
  noteW: number;
  /** Room for the column labels, above the grid. */
  top: number;
  cellW: number;
  rowHeight: number;
  /** Height of the grid (`rowHeight` × rows). */
  gridH: number;
  /** Height of the SVG: column labels, grid and the legend below it. */
  height: number;
}

/**
 * Lays out a heatmap of `rows` × `columns` in `width` px: room for the longest row label
 * (at least 60 px) and note, columns sharing the rest (each at most 140 px wide).
 */
export function heatmapLayout(opts: {
  rows: readonly HeatmapRow[];
  columns: number;
  width: number;
  rowHeight: number;
}): HeatmapLayout {
  const { rows, rowHeight } = opts;
  const labelW = Math.max(60, ...rows.map((r) => textWidth(r.label, 12))) + 14;
  const noteW = Math.max(0, ...rows.map((r) => (r.note ? textWidth(r.note, 11) : 0))) + 16;
  const gridW = Math.max(40, opts.width - labelW - noteW - 8);
  const cellW = Math.min(MAX_CELL_WIDTH, gridW / Math.max(1, opts.columns));
  const gridH = rowHeight * rows.length;
  return { labelW, noteW, top: TOP, cellW, rowHeight, gridH, height: TOP + gridH + LEGEND_HEIGHT };
}

/** Indices of the rows that start a new `kind` (e.g. the first average after the classes). */
export function kindBoundaries(rows: readonly HeatmapRow[]): number[] {
  const starts: number[] = [];
  rows.forEach((r, i) => {
    if (i > 0 && (r.kind ?? 'row') !== (rows[i - 1]?.kind ?? 'row')) starts.push(i);
  });
  return starts;
}
