// Collision-free placement of point labels and wrapping of legends, as plain rectangles (no DOM).

/** An axis-aligned box: left, top, width, height in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A label to place: the point it belongs to and the size of its text block. */
export interface LabelRequest {
  /** The point's position in plot pixels. */
  px: number;
  py: number;
  width: number;
  height: number;
}

/** Where a label went: its box (left/top), or hidden when no free spot was found. */
export interface PlacedLabel extends Box {
  hidden: boolean;
}

/** Options of {@link layoutLabels}. */
export interface LabelLayoutOptions {
  /** The plot area [0, width] × [0, height]: labels stay inside it (off the axes). */
  width: number;
  height: number;
  /** Gap between a point and its label. Default 6. */
  offset?: number;
  /** Minimum gap between two labels. Default 2. */
  gap?: number;
  /** Radius around every point that labels keep clear of (dots stay visible). Default 3. */
  pointRadius?: number;
}

function overlaps(a: Box, b: Box, gap: number): boolean {
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Places each label near its point without covering another label, any point, or the area
 * outside the plot: centred above the point, else below it, then further up and further down
 * by one label height at a time (up to three); horizontally centred on the point but shifted
 * inwards at the plot edges. A label with no free spot is hidden. Labels are placed in request
 * order (earlier labels win), and the result is in request order.
 */
export function layoutLabels(
  labels: readonly LabelRequest[],
  options: LabelLayoutOptions,
): PlacedLabel[] {
  const { width, height, offset = 6, gap = 2, pointRadius = 3 } = options;
  const taken: Box[] = labels.map((l) => ({
    x: l.px - pointRadius,
    y: l.py - pointRadius,
    width: 2 * pointRadius,
    height: 2 * pointRadius,
  }));
  return labels.map((l) => {
    const x = clamp(l.px - l.width / 2, 0, width - l.width);
    const above = l.py - offset - l.height;
    const below = l.py + offset;
    const tops = [above, below];
    for (let k = 1; k <= 3; k++) tops.push(above - k * l.height, below + k * l.height);
    for (const top of tops) {
      if (top < 0 || top + l.height > height) continue;
      const box = { x, y: top, width: l.width, height: l.height };
      if (taken.some((t) => overlaps(box, t, gap))) continue;
      taken.push(box);
      return { ...box, hidden: false };
    }
    return {
      x,
      y: clamp(above, 0, height - l.height),
      width: l.width,
      height: l.height,
      hidden: true,
    };
  });
}

/** Options of {@link legendRows}. */
export interface LegendRowsOptions {
  /** Width available to the legend. */
  maxWidth: number;
  /** Space after each item. Default 18. */
  gap?: number;
}

/** Position of one legend item: its row (0-based) and its left offset in the row. */
export interface LegendSlot {
  row: number;
  x: number;
}

/**
 * Wraps legend items of the given widths into rows of at most `maxWidth` (an item wider than
 * the row gets a row of its own), so a legend on a phone takes several lines instead of
 * running off the chart. Returns a slot per item and the row count (0 without items).
 */
export function legendRows(
  widths: readonly number[],
  options: LegendRowsOptions,
): { slots: LegendSlot[]; rows: number } {
  const { maxWidth, gap = 18 } = options;
  const slots: LegendSlot[] = [];
  let row = 0;
  let x = 0;
  for (const w of widths) {
    if (x > 0 && x + w > maxWidth) {
      row += 1;
      x = 0;
    }
    slots.push({ row, x });
    x += w + gap;
  }
  return { slots, rows: widths.length === 0 ? 0 : row + 1 };
}
