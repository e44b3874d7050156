/**
 * The projector artifact (`projector.json`): every method's 2-D layout quantised to uint16 within
 * its bounds, and the labels, predictions and confidences of the samples, as little-endian
 * base64 arrays (about 16 bytes a point for three layouts), so 10,000 points stay near 250 KB.
 * libs/viz's `parseProjector` reads it back.
 */

/** Name of the artifact (no `/`: artifact routes take one path segment). */
export const PROJECTOR_ARTIFACT = 'projector.json';

/** The projection methods, in the order they are computed. */
export const PROJECTOR_METHODS = ['pca', 'umap', 'tsne'] as const;

/** One projection method. */
export type ProjectorMethod = (typeof PROJECTOR_METHODS)[number];

/** One method's layout in the artifact. */
export interface ProjectorLayout {
  method: ProjectorMethod;
  /** Points laid out (fewer than the samples when a subset was used). */
  points: number;
  /** base64 uint32 sample indices of the points, present only for a subset. */
  indices?: string;
  /** base64 uint16 `[points, 2]`: x and y mapped from `bounds` onto 0..65535. */
  coords: string;
  /** `[xMin, xMax, yMin, yMax]` of the layout before quantisation. */
  bounds: [number, number, number, number];
  /** Seconds the method took. */
  seconds: number;
  /** The method's parameters (seed included). */
  params: Record<string, number>;
}

/** The artifact's content. */
export interface ProjectorIndex {
  version: 1;
  createdAt: string;
  /** Samples (test-split indices 0..count-1). */
  count: number;
  classNames: string[];
  /** `[height, width, channels]` of the inputs. */
  imageShape: [number, number, number];
  /** Layer whose output was projected, and its width. */
  featureLayer: string;
  featureDim: number;
  /** base64 uint16 true class of each sample. */
  labels: string;
  /** base64 uint16 predicted class of each sample. */
  predicted: string;
  /** base64 uint16 confidence (probability of the predicted class) times 65535. */
  confidence: string;
  layouts: ProjectorLayout[];
  /** Seconds per stage (features, pca, umap, tsne, total). */
  timings: Record<string, number>;
  /** What was left out and why (time budget, or an error of one method). */
  skipped: { what: string; reason: string }[];
  /** The options in effect. */
  options: Record<string, unknown>;
}

/** base64 of a typed array's bytes (little-endian, as every supported platform stores them). */
export function toBase64(array: ArrayBufferView): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** A layout quantised to uint16 within its bounds (a degenerate axis maps to 0). */
export function quantizeLayout(xy: Float32Array): {
  coords: Uint16Array;
  bounds: [number, number, number, number];
} {
  const n = xy.length / 2;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (n === 0) [x0, x1, y0, y1] = [0, 0, 0, 0];
  const coords = new Uint16Array(n * 2);
  const sx = x1 > x0 ? 65535 / (x1 - x0) : 0;
  const sy = y1 > y0 ? 65535 / (y1 - y0) : 0;
  for (let i = 0; i < n; i++) {
    coords[2 * i] = Math.round((xy[2 * i]! - x0) * sx);
    coords[2 * i + 1] = Math.round((xy[2 * i + 1]! - y0) * sy);
  }
  return { coords, bounds: [x0, x1, y0, y1] };
}

/** Predicted class and its probability per sample, from row-major `[count, columns]` probabilities (one column: sigmoid). */
export function predictionsFrom(
  probabilities: Float32Array,
  count: number,
): { predicted: Uint16Array; confidence: Uint16Array } {
  const columns = Math.max(1, Math.round(probabilities.length / Math.max(count, 1)));
  const predicted = new Uint16Array(count);
  const confidence = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    let p = 0;
    if (columns === 1) {
      const q = probabilities[i]!;
      best = q >= 0.5 ? 1 : 0;
      p = best ? q : 1 - q;
    } else {
      p = -Infinity;
      for (let c = 0; c < columns; c++) {
        const v = probabilities[i * columns + c]!;
        if (v > p) [p, best] = [v, c];
      }
    }
    predicted[i] = best;
    confidence[i] = Math.round(Math.min(1, Math.max(0, p)) * 65535);
  }
  return { predicted, confidence };
}
