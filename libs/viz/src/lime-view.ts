/**
 * Pure shaping of the LIME view: the top superpixels ranked by weight, the picture drawn at the
 * display scale (so superpixel boundaries and outlines are one screen pixel wide, not one image
 * pixel), and where each ranked superpixel's number goes.
 */

/** One superpixel's LIME weight. */
export interface SegmentWeight {
  segment: number;
  weight: number;
}

/** A superpixel of the legend: its rank (1 = strongest) and weight. */
export interface RankedSegment extends SegmentWeight {
  rank: number;
  /** 'for' (positive weight) or 'against' (negative). */
  sign: 'for' | 'against';
}

/** Options of {@link limeTopSegments}. */
export interface LimeTopSegmentsOptions {
  /** Weight per superpixel (LIME's coefficients), indexed by segment. */
  coefficients: ArrayLike<number>;
  /** How many positive superpixels (default 5). */
  top?: number;
  /** How many negative superpixels (default 0). */
  topNegative?: number;
}

/**
 * The `top` superpixels with the largest positive weights (rank 1 first) and the `topNegative`
 * most negative ones; zero and non-finite weights are never listed; ties keep segment order.
 */
export function limeTopSegments(options: LimeTopSegmentsOptions): RankedSegment[] {
  const all = Array.from(options.coefficients, (weight, segment) => ({ segment, weight })).filter(
    (s) => Number.isFinite(s.weight) && s.weight !== 0,
  );
  const pos = all
    .filter((s) => s.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.segment - b.segment)
    .slice(0, options.top ?? 5)
    .map((s, i) => ({ ...s, rank: i + 1, sign: 'for' as const }));
  const neg = all
    .filter((s) => s.weight < 0)
    .sort((a, b) => a.weight - b.weight || a.segment - b.segment)
    .slice(0, options.topNegative ?? 0)
    .map((s, i) => ({ ...s, rank: i + 1, sign: 'against' as const }));
  return [...pos, ...neg];
}

/** Coefficients from a stored LIME JSON's lists when `coefficients` is missing (older packs). */
export function limeCoefficients(lime: {
  numSegments?: number;
  coefficients?: number[];
  positive?: SegmentWeight[];
  negative?: SegmentWeight[];
  labels: ArrayLike<number>;
}): number[] {
  if (lime.coefficients?.length) return lime.coefficients;
  let n = lime.numSegments ?? 0;
  for (let p = 0; p < lime.labels.length; p++) n = Math.max(n, lime.labels[p]! + 1);
  const out = new Array<number>(n).fill(0);
  for (const s of [...(lime.positive ?? []), ...(lime.negative ?? [])])
    if (s.segment >= 0 && s.segment < n) out[s.segment] = s.weight;
  return out;
}

/** Colours of {@link limeViewPixels}, RGB. */
export const LIME_VIEW_COLORS = {
  /** Outline of a superpixel for the class. */
  for: [0, 200, 90] as const,
  /** Outline and tint of a superpixel against the class. */
  against: [235, 50, 50] as const,
  /** The thin superpixel boundaries (blended, so they never hide the image). */
  boundary: [255, 255, 255] as const,
};

/** Options of {@link limeViewPixels}. */
export interface LimeViewOptions {
  /** The image as RGBA bytes `[height, width, 4]`. */
  image: ArrayLike<number>;
  /** Superpixel label per pixel, `[height, width]`. */
  labels: ArrayLike<number>;
  width: number;
  height: number;
  /** Integer upscaling to screen pixels (nearest neighbour). */
  scale: number;
  /** The superpixels to highlight (from {@link limeTopSegments}). */
  highlight: readonly RankedSegment[];
  /** Draw every superpixel boundary, one screen pixel wide (default false). */
  boundaries?: boolean;
  /** How much the superpixels not highlighted fade toward `dimTo`, in [0, 1] (default 0.6). */
  dim?: number;
  /** Grey level the rest fades to (default 128: visible on dark and light images). */
  dimTo?: number;
  /** Outline width of a highlighted superpixel in screen pixels (default 2). */
  outline?: number;
  /** Opacity of the boundaries (default 0.5). */
  boundaryAlpha?: number;
  /** Tint of a superpixel against the class (default 0.35). */
  againstTint?: number;
}

/** A drawn LIME view. */
export interface LimeView {
  /** RGBA bytes `[height * scale, width * scale, 4]`. */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/**
 * The LIME picture at screen resolution: highlighted superpixels at full strength with an inner
 * outline (`outline` screen pixels) in their sign's colour, superpixels against the class also
 * tinted, the rest faded toward grey, and optionally every boundary as a one-pixel line (drawn
 * on the screen pixel left of / above a label change, so lines never double up).
 */
export function limeViewPixels(options: LimeViewOptions): LimeView {
  const { image, labels, width, height } = options;
  const n = width * height;
  if (image.length !== n * 4)
    throw new Error(`image has ${image.length} values, expected ${n * 4}`);
  if (labels.length !== n)
    throw new Error(`labels has ${labels.length} values, expected ${width} x ${height}`);
  const scale = options.scale;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`scale must be an integer >= 1, got ${scale}`);
  const dim = options.dim ?? 0.6;
  const dimTo = options.dimTo ?? 128;
  const outline = options.outline ?? 2;
  const boundaryAlpha = options.boundaryAlpha ?? 0.5;
  const tint = options.againstTint ?? 0.35;
  const sign = new Map(options.highlight.map((s) => [s.segment, s.sign]));
  const W = width * scale;
  const H = height * scale;
  // Label at a screen pixel, -1 outside the picture.
  const at = (X: number, Y: number) =>
    X < 0 || Y < 0 || X >= W || Y >= H
      ? -1
      : labels[Math.floor(Y / scale) * width + Math.floor(X / scale)]!;
  const out = new Uint8ClampedArray(W * H * 4);
  for (let Y = 0; Y < H; Y++)
    for (let X = 0; X < W; X++) {
      const src = (Math.floor(Y / scale) * width + Math.floor(X / scale)) * 4;
      const label = at(X, Y);
      const s = sign.get(label);
      const edge = s !== undefined && nearOtherLabel(at, X, Y, label, outline);
      const onBoundary =
        options.boundaries === true &&
        ((X + 1 < W && at(X + 1, Y) !== label) || (Y + 1 < H && at(X, Y + 1) !== label));
      const o = (Y * W + X) * 4;
      for (let k = 0; k < 3; k++) {
        const v = image[src + k]!;
        let c: number;
        if (edge && s) c = LIME_VIEW_COLORS[s][k]!;
        else if (s === 'for') c = v;
        else if (s === 'against') c = (1 - tint) * v + tint * LIME_VIEW_COLORS.against[k]!;
        else c = (1 - dim) * v + dim * dimTo;
        if (onBoundary && !edge)
          c = (1 - boundaryAlpha) * c + boundaryAlpha * LIME_VIEW_COLORS.boundary[k]!;
        out[o + k] = Math.round(c);
      }
      out[o + 3] = 255;
    }
  return { pixels: out, width: W, height: H };
}

/** True when a pixel within `d` steps (Manhattan) has another label (or is outside). */
function nearOtherLabel(
  at: (X: number, Y: number) => number,
  X: number,
  Y: number,
  label: number,
  d: number,
): boolean {
  for (let dy = -d; dy <= d; dy++)
    for (let dx = -d; dx <= d; dx++) {
      if (Math.abs(dx) + Math.abs(dy) > d || (dx === 0 && dy === 0)) continue;
      if (at(X + dx, Y + dy) !== label) return true;
    }
  return false;
}

/** Where a superpixel's number goes, in image pixels (the centre of a pixel). */
export interface SegmentAnchor {
  segment: number;
  x: number;
  y: number;
}

/**
 * An anchor inside each listed superpixel: the pixel of the segment closest to its centroid
 * (a curved segment's centroid may lie outside it), as the pixel's centre (x + 0.5, y + 0.5).
 * Segments with no pixel are left out.
 */
export function segmentAnchors(
  labels: ArrayLike<number>,
  width: number,
  segments: readonly number[],
): SegmentAnchor[] {
  const want = new Set(segments);
  const sums = new Map<number, { x: number; y: number; n: number }>();
  for (let p = 0; p < labels.length; p++) {
    const s = labels[p]!;
    if (!want.has(s)) continue;
    const acc = sums.get(s) ?? { x: 0, y: 0, n: 0 };
    acc.x += p % width;
    acc.y += Math.floor(p / width);
    acc.n += 1;
    sums.set(s, acc);
  }
  const out: SegmentAnchor[] = [];
  for (const segment of segments) {
    const acc = sums.get(segment);
    if (!acc) continue;
    const cx = acc.x / acc.n;
    const cy = acc.y / acc.n;
    let best = -1;
    let bestD = Infinity;
    for (let p = 0; p < labels.length; p++) {
      if (labels[p] !== segment) continue;
      const d = ((p % width) - cx) ** 2 + (Math.floor(p / width) - cy) ** 2;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    out.push({ segment, x: (best % width) + 0.5, y: Math.floor(best / width) + 0.5 });
  }
  return out;
}
