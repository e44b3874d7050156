/**
 * Pure shaping for the explanation views: hit-testing the tiles of a channel grid, ranking
 * saliency methods by faithfulness, and colouring LIME superpixels.
 */

/** Layout of a tiled grid image (channel grids, filter patterns), as the explanation pack stores it. */
export interface TileGrid {
  columns: number;
  rows: number;
  /** Pixels between tiles and around the grid. */
  padding: number;
  tileWidth: number;
  tileHeight: number;
  /** Tiles drawn (the last row may be partly empty). */
  count: number;
}

/** A tile's rectangle in grid pixels. */
export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rectangle of tile `i` (row-major). */
export function gridTileRect(grid: TileGrid, i: number): TileRect {
  const col = i % grid.columns;
  const row = Math.floor(i / grid.columns);
  return {
    x: grid.padding + col * (grid.tileWidth + grid.padding),
    y: grid.padding + row * (grid.tileHeight + grid.padding),
    width: grid.tileWidth,
    height: grid.tileHeight,
  };
}

/**
 * The tile under a point given in grid pixels (fractions allowed, e.g. from a scaled image), or
 * null on the padding, outside the grid or past the last tile.
 */
export function gridTileAt(grid: TileGrid, x: number, y: number): number | null {
  const { padding, tileWidth, tileHeight } = grid;
  if (x < 0 || y < 0) return null;
  const col = Math.floor((x - padding) / (tileWidth + padding));
  const row = Math.floor((y - padding) / (tileHeight + padding));
  if (col < 0 || row < 0 || col >= grid.columns || row >= grid.rows) return null;
  const r = gridTileRect(grid, row * grid.columns + col);
  if (x < r.x || x >= r.x + r.width || y < r.y || y >= r.y + r.height) return null;
  const i = row * grid.columns + col;
  return i < grid.count ? i : null;
}

/** One method's faithfulness on one map. */
export interface MethodFaithfulness {
  method: string;
  /** Area under the insertion curve (higher = more faithful). */
  insertionAuc: number;
  /** Area under the deletion curve (lower = more faithful). */
  deletionAuc: number;
}

/** A ranked method: score = insertion AUC - deletion AUC. */
export interface RankedMethod extends MethodFaithfulness {
  score: number;
  /** True for the highest score (every method tied at the top). */
  best: boolean;
}

/**
 * Methods with their faithfulness score (insertion AUC minus deletion AUC, as libs/ml's
 * rankByFaithfulness), in the order given; the best one(s) flagged. Non-finite scores are never best.
 */
export function rankMethods(methods: MethodFaithfulness[]): RankedMethod[] {
  const scored = methods.map((m) => ({ ...m, score: m.insertionAuc - m.deletionAuc }));
  const top = Math.max(...scored.map((m) => (Number.isFinite(m.score) ? m.score : -Infinity)));
  return scored.map((m) => ({ ...m, best: Number.isFinite(m.score) && m.score === top }));
}

/** Pixels on a boundary between superpixels (right or lower neighbour has another label). */
export function segmentEdges(labels: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (labels.length !== width * height)
    throw new Error(`labels has ${labels.length} values, expected ${width} x ${height}`);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (
        (x + 1 < width && labels[p + 1] !== labels[p]) ||
        (y + 1 < height && labels[p + width] !== labels[p])
      )
        out[p] = 1;
    }
  return out;
}

/** Colours of {@link limeOverlay}. */
export const LIME_COLORS = {
  positive: [0, 170, 80] as const,
  negative: [220, 40, 40] as const,
  boundary: [255, 215, 0] as const,
};

/** Options of {@link limeOverlay}. */
export interface LimeOverlayOptions {
  /** The image as RGBA bytes `[height, width, 4]`. */
  image: ArrayLike<number>;
  /** Superpixel label per pixel, `[height, width]`. */
  labels: ArrayLike<number>;
  width: number;
  height: number;
  /** Superpixels for the class (drawn green). */
  positive: number[];
  /** Superpixels against the class (drawn red). */
  negative: number[];
  /** Weight of the segment colours (default 0.5). */
  alpha?: number;
  /** Draw the superpixel boundaries (default true). */
  boundaries?: boolean;
}

/**
 * The image with the top positive superpixels tinted green, the top negative ones red, and the
 * superpixel boundaries in yellow (skimage's mark_boundaries look).
 * @returns RGBA bytes
 */
export function limeOverlay(options: LimeOverlayOptions): Uint8ClampedArray {
  const { image, labels, width, height } = options;
  const n = width * height;
  if (image.length !== n * 4)
    throw new Error(`image has ${image.length} values, expected ${n * 4}`);
  const alpha = options.alpha ?? 0.5;
  const pos = new Set(options.positive);
  const neg = new Set(options.negative);
  const edges = options.boundaries === false ? null : segmentEdges(labels, width, height);
  const out = new Uint8ClampedArray(n * 4);
  // In range: image has 4n values (checked above), labels one per pixel, colours 3 channels.
  for (let p = 0; p < n; p++) {
    const label = labels[p]!;
    const tint = pos.has(label)
      ? LIME_COLORS.positive
      : neg.has(label)
        ? LIME_COLORS.negative
        : null;
    for (let k = 0; k < 3; k++) {
      const v = image[p * 4 + k]!;
      out[p * 4 + k] = edges?.[p]
        ? LIME_COLORS.boundary[k]!
        : tint
          ? Math.round((1 - alpha) * v + alpha * tint[k]!)
          : v;
    }
    out[p * 4 + 3] = 255;
  }
  return out;
}
